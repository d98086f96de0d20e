import { Actor, BookingSourceView, Role } from '@o2o/contracts';
import { hasRole } from '@o2o/platform';

/** Which records a caller reaches: everything, one store's, or one brand's (a partner). */
export type Scope = { all: true } | { all: false; storeId?: string; brandId?: string };

const storeRoles = (actor: Actor): boolean => actor.kind === 'staff' && (actor.roles.includes(Role.StoreStaff) || actor.roles.includes(Role.StoreManager));

/**
 * Who reads booking orders: online staff and ops all of them, store staff their store's, a
 * partner those naming its brand. Undefined: nobody's.
 */
export function bookingReader(actor: Actor): Scope | undefined {
  if (actor.kind === 'partner') return { all: false, brandId: actor.brandId };
  if (hasRole(actor, Role.Ops, Role.Agent)) return { all: true };
  if (storeRoles(actor) && actor.kind === 'staff' && actor.storeId) return { all: false, storeId: actor.storeId };
  return undefined;
}

/** Who reads deals: ops all of them, store staff their store's, a partner its brand's. */
export function dealReader(actor: Actor): Scope | undefined {
  if (actor.kind === 'partner') return { all: false, brandId: actor.brandId };
  if (hasRole(actor, Role.Ops)) return { all: true };
  if (storeRoles(actor) && actor.kind === 'staff' && actor.storeId) return { all: false, storeId: actor.storeId };
  return undefined;
}

export const inScope = (scope: Scope, record: { storeId: string | null; brandIds: string[] }): boolean =>
  scope.all || ((scope.storeId === undefined || scope.storeId === record.storeId) && (scope.brandId === undefined || record.brandIds.includes(scope.brandId)));

/** Staff of the store (or, with no store yet, nobody from a store), or the roles that act on every store. */
export function actsForStore(actor: Actor, storeId: string | null, everywhere: Role[]): boolean {
  if (hasRole(actor, ...everywhere)) return true;
  return storeRoles(actor) && actor.kind === 'staff' && actor.storeId !== undefined && actor.storeId === storeId;
}

/** The full phone: online staff and ops, the lead's owner, the manager of the store. Everyone else sees it masked. */
export function showsBookingPhone(actor: Actor, booking: { storeId: string | null; leadOwnerId: string | null }): boolean {
  if (actor.kind !== 'staff') return false;
  if (hasRole(actor, Role.Ops, Role.Agent)) return true;
  if (actor.staffId !== undefined && actor.staffId === booking.leadOwnerId) return true;
  return actor.roles.includes(Role.StoreManager) && actor.storeId !== undefined && actor.storeId === booking.storeId;
}

/**
 * A booking or deal as its reader may see it: a partner sees of its source the channel alone
 * (campaigns, agents and visitors are the platform's own), as on cards and webhooks.
 */
export function withSourceFor<V extends { source: BookingSourceView | null }>(actor: Actor, view: V): V {
  if (actor.kind !== 'partner' || view.source === null) return view;
  return { ...view, source: { channel: view.source.channel, campaign: null, agentId: null, visitorId: null } };
}
