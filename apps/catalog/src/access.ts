import { Actor, Role } from '@o2o/contracts';
import { notFound } from '@o2o/platform';

/** Admin and ops manage the whole catalog. */
export const isCatalogManager = (actor: Actor) =>
  actor.kind === 'staff' && (actor.roles.includes(Role.Admin) || actor.roles.includes(Role.Ops));

/** The brand a partner key is limited to, or undefined for everyone else. */
export const partnerBrand = (actor: Actor) => (actor.kind === 'partner' ? actor.brandId : undefined);

/**
 * A partner may touch only its own brand; anything else is answered as if it did not exist,
 * so that a partner cannot learn what other brands hold.
 */
export function assertBrandAccess(actor: Actor, brandId: string, what: string): void {
  const own = partnerBrand(actor);
  if (own !== undefined && own !== brandId) throw notFound(what);
}
