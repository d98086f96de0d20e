import { Actor, BookingRefusal, BookingSource, CardSourceView, Role, StaffRole, Team } from '@o2o/contracts';
import { hasRole } from '@o2o/platform';

/** Who may record a deal for a store and brand; undefined when they may, else why not. */
export function closerRefusal(actor: Actor, deal: { storeId: string; brandId: string; staffId: string }): 'not_found' | 'forbidden' | undefined {
  if (actor.kind === 'partner') return actor.brandId === deal.brandId ? undefined : 'not_found';
  if (actor.kind !== 'staff') return 'forbidden';
  if (hasRole(actor)) {
    if (actor.roles.includes(Role.Admin)) return undefined;
    if (actor.storeId !== deal.storeId) return 'forbidden';
    if (actor.roles.includes(Role.StoreManager)) return undefined;
    // A salesperson records their own deals; their manager records anyone's.
    if (actor.roles.includes(Role.StoreStaff)) return actor.staffId === undefined || actor.staffId === deal.staffId ? undefined : 'forbidden';
  }
  return 'forbidden';
}

/** Who a deal may name as its closer: an active salesperson or manager of the deal's store, as booking's copy of the roster has them. */
export function closesAtStore(staff: { storeId: string | null; role: StaffRole; team: Team; active: boolean } | undefined, storeId: string): boolean {
  return (
    staff !== undefined &&
    staff.active &&
    staff.team === 'offline' &&
    staff.storeId === storeId &&
    (staff.role === 'store_staff' || staff.role === 'store_manager')
  );
}

/** Who may refund: the store's staff, the brand's partner, ops and admin. */
export function refunderAllowed(actor: Actor, deal: { storeId: string; brandId: string }): boolean {
  if (actor.kind === 'partner') return actor.brandId === deal.brandId;
  if (hasRole(actor, Role.Ops)) return true;
  return actor.kind === 'staff' && actor.storeId === deal.storeId && (actor.roles.includes(Role.StoreStaff) || actor.roles.includes(Role.StoreManager));
}

/** The full phone: ops and admin, the salesperson who closed it, the manager of the store. */
export function showsDealPhone(actor: Actor, deal: { storeId: string; staffId: string }): boolean {
  if (actor.kind !== 'staff') return false;
  if (hasRole(actor, Role.Ops)) return true;
  if (actor.staffId !== undefined && actor.staffId === deal.staffId) return true;
  return actor.roles.includes(Role.StoreManager) && actor.storeId === deal.storeId;
}

/** A deal's online source: the redeemed card's first, else the booking's. */
export function dealSource(card: CardSourceView | undefined, booking: BookingSource | null): BookingSource | null {
  if (card) return { channel: card.channel, campaign: card.campaign ?? null, agentId: card.agentId ?? null, visitorId: card.visitorId ?? null };
  return booking;
}

export type RefundCheck = { amountFen: number; full: boolean } | { refusal: BookingRefusal.FullyRefunded | BookingRefusal.RefundOverAmount };

/** A refund: the rest of the deal when no amount is named; never past the amount. */
export function refundOf(deal: { amountFen: number; refundedFen: number }, asked: number | undefined): RefundCheck {
  const left = deal.amountFen - deal.refundedFen;
  if (left <= 0) return { refusal: BookingRefusal.FullyRefunded };
  const amountFen = asked ?? left;
  if (amountFen > left) return { refusal: BookingRefusal.RefundOverAmount };
  return { amountFen, full: amountFen === left };
}
