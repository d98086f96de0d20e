import { Actor, LeadStatus, Role } from '@o2o/contracts';

/** Open leads hold their phone: a new intake of the phone joins them. */
export const OPEN_STATUSES: LeadStatus[] = [LeadStatus.Unassigned, LeadStatus.Assigned, LeadStatus.Contacted, LeadStatus.Visited];

/** Where each action may start; anything else is a conflict. */
export const LEAD_MOVES = {
  contacted: [LeadStatus.Assigned],
  lost: [LeadStatus.Assigned, LeadStatus.Contacted, LeadStatus.Visited],
  visited: [LeadStatus.Unassigned, LeadStatus.Assigned, LeadStatus.Contacted],
  won: [LeadStatus.Unassigned, LeadStatus.Assigned, LeadStatus.Contacted, LeadStatus.Visited],
  reassign: [LeadStatus.Unassigned, LeadStatus.Assigned, LeadStatus.Contacted],
} as const satisfies Record<string, readonly LeadStatus[]>;

export type LeadMove = keyof typeof LEAD_MOVES;

export const canMove = (move: LeadMove, from: LeadStatus): boolean => (LEAD_MOVES[move] as readonly LeadStatus[]).includes(from);

const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 24 * 3600_000;

/** The start of the Asia/Shanghai day holding `now` (UTC+8, no daylight saving): capacity counts from it. */
export function shanghaiDayStart(now: Date): Date {
  const local = now.getTime() + SHANGHAI_OFFSET_MS;
  return new Date(local - (((local % DAY_MS) + DAY_MS) % DAY_MS) - SHANGHAI_OFFSET_MS);
}

/** Which leads a caller reads: everything, a partner's brand, or a store's (and their own). */
export type LeadReader = { all: true } | { all: false; brandId?: string; storeId?: string; staffId?: string } | undefined;

export function readerOf(actor: Actor): LeadReader {
  if (actor.kind === 'partner') return { all: false, brandId: actor.brandId };
  if (actor.kind !== 'staff') return undefined;
  if (actor.roles.includes(Role.Admin) || actor.roles.includes(Role.Ops)) return { all: true };
  if ((actor.roles.includes(Role.StoreStaff) || actor.roles.includes(Role.StoreManager)) && actor.storeId) {
    return { all: false, storeId: actor.storeId, staffId: actor.staffId };
  }
  return undefined;
}

/** The full phone: the owner, the manager of the lead's store, ops and admin; everyone else sees it masked. */
export function showsPhone(actor: Actor, lead: { owner_id: string | null; store_id: string | null }): boolean {
  if (actor.kind !== 'staff') return false;
  if (actor.roles.includes(Role.Admin) || actor.roles.includes(Role.Ops)) return true;
  if (actor.staffId !== undefined && actor.staffId === lead.owner_id) return true;
  return actor.roles.includes(Role.StoreManager) && actor.storeId !== undefined && actor.storeId === lead.store_id;
}
