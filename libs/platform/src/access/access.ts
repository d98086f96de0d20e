import { Actor, Role } from '@o2o/contracts';
import { forbidden, notFound } from '../errors/domain-error';

/**
 * Who may do what, the same in every service and the gateway. The gateway checks first; each
 * service checks again, so that a stray internal call cannot slip past.
 */

/** Staff holding one of the roles; admin always passes. With no roles named, any staff member. */
export function hasRole(actor: Actor, ...roles: Role[]): boolean {
  if (actor.kind !== 'staff') return false;
  return roles.length === 0 || actor.roles.includes(Role.Admin) || roles.some((r) => actor.roles.includes(r));
}

export function requireRoles(actor: Actor, ...roles: Role[]): void {
  if (!hasRole(actor, ...roles)) throw forbidden(`This needs one of the roles: ${[Role.Admin, ...roles].join(', ')}`);
}

export const isStaff = (actor: Actor): actor is Extract<Actor, { kind: 'staff' }> => actor.kind === 'staff';

/** The brand a partner key is limited to, or undefined for everyone else. */
export const partnerBrand = (actor: Actor): string | undefined => (actor.kind === 'partner' ? actor.brandId : undefined);

/** The store a store staff member works in, or undefined. */
export const staffStore = (actor: Actor): string | undefined => (actor.kind === 'staff' ? actor.storeId : undefined);

/**
 * A partner reaches only its own brand's data; another brand's is answered as if it did not
 * exist (404), so that a partner cannot learn what other brands hold.
 */
export function requireBrandAccess(actor: Actor, brandId: string, what: string): void {
  const own = partnerBrand(actor);
  if (own !== undefined && own !== brandId) throw notFound(what);
}

/** Who did something, as history records it: `staff:<userId>`, `partner:<brandId>`, or null for an anonymous caller. */
export function actorRef(actor: Actor): string | null {
  if (actor.kind === 'staff') return `staff:${actor.userId}`;
  if (actor.kind === 'partner') return `partner:${actor.brandId}`;
  return null;
}
