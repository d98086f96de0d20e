import { EVENTS, maskPhone } from '@o2o/contracts';

/** The event types partners receive on their webhooks. */
export const PARTNER_EVENT_TYPES = [EVENTS.leadAssigned, EVENTS.leadReassigned, EVENTS.bookingConfirmed, EVENTS.dealClosed, EVENTS.dealRefunded] as const;
export type PartnerEventType = (typeof PARTNER_EVENT_TYPES)[number];

/**
 * The lead events leads itself writes and sends on to partners. A booking that joins a lead which
 * already has an owner, bringing brands new to it, is told to those brands as lead.assigned: for
 * them the lead is newly assigned, and no other event would tell them.
 */
export type LeadWebhookType = typeof EVENTS.leadAssigned | typeof EVENTS.leadReassigned | typeof EVENTS.leadBookingLinked;
export const LEAD_WEBHOOK_TYPES: LeadWebhookType[] = [EVENTS.leadAssigned, EVENTS.leadReassigned, EVENTS.leadBookingLinked];

/** The type a partner receives for a lead event. */
export const partnerTypeOf = (type: LeadWebhookType): PartnerEventType => (type === EVENTS.leadBookingLinked ? EVENTS.leadAssigned : type);

/** The brands a lead event is sent to: a linked booking's new brands once the lead has an owner; else as brandsConcerned. */
export function leadEventBrands(type: LeadWebhookType, data: Record<string, unknown>): string[] {
  if (type !== EVENTS.leadBookingLinked) return brandsConcerned(type, data);
  if (typeof data.ownerId !== 'string') return [];
  return brandsConcerned(EVENTS.leadAssigned, { brandIds: data.addedBrandIds });
}

export const isPartnerEventType = (type: string): type is PartnerEventType => (PARTNER_EVENT_TYPES as readonly string[]).includes(type);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The brands an event concerns: the payload's brandIds (leads, bookings) or brandId (deals).
 * Anything that is not a brand id is ignored; each brand once, lower case as the table keeps it.
 */
export function brandsConcerned(type: PartnerEventType, data: Record<string, unknown>): string[] {
  let raw: unknown[];
  switch (type) {
    case EVENTS.leadAssigned:
    case EVENTS.leadReassigned:
    case EVENTS.bookingConfirmed:
      raw = Array.isArray(data.brandIds) ? data.brandIds : [];
      break;
    case EVENTS.dealClosed:
    case EVENTS.dealRefunded:
      raw = [data.brandId];
      break;
  }
  return [...new Set(raw.filter((b): b is string => typeof b === 'string' && UUID.test(b)).map((b) => b.toLowerCase()))];
}

/**
 * What a partner is shown of an event: phones masked (a partner never sees a customer's number),
 * and of a booking's or deal's source the channel alone (campaigns and agents are the platform's own).
 */
export function partnerData(type: PartnerEventType, data: Record<string, unknown>): Record<string, unknown> {
  const { phone, ...rest } = data;
  const shown: Record<string, unknown> = { ...rest };
  if (typeof phone === 'string') shown.phoneMasked = maskPhone(phone);
  if ((type === EVENTS.bookingConfirmed || type === EVENTS.dealClosed) && typeof rest.source === 'object' && rest.source !== null) {
    shown.source = { channel: (rest.source as { channel?: unknown }).channel ?? null };
  }
  if (type === EVENTS.dealClosed) delete shown.budgetFen;
  delete shown.addedBrandIds; // how leads came to tell this brand, not a fact of the lead
  return shown;
}

/** The occurredAt a partner sees: the event's own time when it carries one, so that every path sends the same. */
export function occurredAtOf(data: Record<string, unknown>, fallback: string): string {
  const at = typeof data.at === 'string' ? data.at : fallback;
  return Number.isNaN(Date.parse(at)) ? fallback : new Date(at).toISOString();
}
