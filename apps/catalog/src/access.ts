import { Actor, Role } from '@o2o/contracts';
import { hasRole, partnerBrand, requireRoles } from '@o2o/platform';

/** Ops manage the whole catalog (admin passes every role check). */
export const isCatalogManager = (actor: Actor) => hasRole(actor, Role.Ops);

export const requireCatalogManager = (actor: Actor) => requireRoles(actor, Role.Ops);

/** Products are written by catalog managers and by partner keys; a partner's brand is checked against the product's. */
export function requireProductWriter(actor: Actor): void {
  if (partnerBrand(actor) === undefined) requireCatalogManager(actor);
}
