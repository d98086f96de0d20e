import { AssignmentStrategy } from '@o2o/contracts';

/** Where a lead may go: a store, and the brand it is routed for (null: any of the store's brands). */
export interface Target {
  storeId: string;
  brandId: string | null;
}

/** An active salesperson of the target, with today's load. */
export interface Candidate {
  id: string;
  dailyCapacity: number;
  assignedToday: number;
  openLeads: number;
}

export interface Pick {
  staffId: string;
  reason: string;
}

/**
 * The stores (and brands) to try, in order: with brands, the tenancies of those brands in the
 * lead's city, the booked store first; without brands, the booked store, then the city's stores.
 */
export function routingTargets(lead: { storeId: string | null; brandIds: string[] }, tenancies: Target[], cityStores: string[]): Target[] {
  const booked = lead.storeId;
  if (lead.brandIds.length > 0) {
    const brandOrder = (t: Target) => lead.brandIds.indexOf(t.brandId ?? '');
    const ofStore = (storeId: string) => tenancies.filter((t) => t.storeId === storeId).sort((a, b) => brandOrder(a) - brandOrder(b));
    const stores = [...new Set([...(booked ? [booked] : []), ...tenancies.map((t) => t.storeId).sort()])];
    return stores.flatMap(ofStore);
  }
  const stores = [...new Set([...(booked ? [booked] : []), ...cityStores])];
  return stores.map((storeId) => ({ storeId, brandId: null }));
}

/** Nobody inactive or at capacity is ever given a lead: the caller passes active people only. */
export const underCapacity = (c: Candidate): boolean => c.assignedToday < c.dailyCapacity;

/** The people in rotation order: those after the last one assigned, then the rest from the start. */
export function inRotation<T extends { id: string }>(people: T[], lastId: string | undefined): T[] {
  const sorted = [...people].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (!lastId) return sorted;
  const after = sorted.findIndex((p) => p.id > lastId);
  return after < 0 ? sorted : [...sorted.slice(after), ...sorted.slice(0, after)];
}

/** Picks one of the eligible people by the strategy; ties go to the rotation. Undefined when nobody is eligible. */
export function pickSalesperson(strategy: AssignmentStrategy, people: Candidate[], lastId: string | undefined): Pick | undefined {
  const rotation = inRotation(people.filter(underCapacity), lastId);
  if (rotation.length === 0) return undefined;
  const after = lastId ? `next after ${lastId}` : 'first in rotation';
  switch (strategy) {
    case 'round_robin':
      return { staffId: rotation[0].id, reason: `round_robin: ${after}` };
    case 'least_loaded': {
      const least = rotation.reduce((best, c) => (c.openLeads < best.openLeads ? c : best));
      return { staffId: least.id, reason: `least_loaded: ${least.openLeads} open leads` };
    }
    case 'weighted': {
      // assignedToday / dailyCapacity, compared without division; capacity > 0 here (under capacity).
      const lighter = (a: Candidate, b: Candidate) => a.assignedToday * b.dailyCapacity < b.assignedToday * a.dailyCapacity;
      const pick = rotation.reduce((best, c) => (lighter(c, best) ? c : best));
      return { staffId: pick.id, reason: `weighted: ${pick.assignedToday}/${pick.dailyCapacity} assigned today` };
    }
  }
}

/** Why nobody got the lead at a target. */
export const nobodyAt = (t: Target): string =>
  t.brandId ? `no active salesperson of brand ${t.brandId} with capacity in store ${t.storeId}` : `no active salesperson with capacity in store ${t.storeId}`;

/** Why there was nowhere to route the lead. */
export const nowhere = (lead: { city: string; brandIds: string[] }): string =>
  lead.brandIds.length ? `no store in ${lead.city} where brands ${lead.brandIds.join(', ')} are tenants` : `no store known in ${lead.city}`;

/** Why a person cannot be given a lead by hand; undefined when they can. */
export function ineligibility(
  person: { id: string; team: string; role: string; active: boolean; store_id: string | null; brand_ids: string[]; daily_capacity: number },
  lead: { storeId: string | null; brandIds: string[]; ownerId: string | null },
  assignedToday: number,
): string | undefined {
  if (person.team !== 'offline' || !['store_staff', 'store_manager'].includes(person.role)) return 'staff_not_salesperson';
  if (!person.active) return 'staff_inactive';
  if (lead.storeId !== null && person.store_id !== lead.storeId) return 'staff_other_store';
  if (lead.ownerId === person.id) return 'already_owner';
  if (lead.brandIds.length && person.brand_ids.length && !person.brand_ids.some((b) => lead.brandIds.includes(b))) return 'staff_wrong_brand';
  if (assignedToday >= person.daily_capacity) return 'staff_over_capacity';
  return undefined;
}
