import { EVENTS, maskPhone } from '@o2o/contracts';

/** The event types partners receive on their webhooks. */
export const PARTNER_EVENT_TYPES = [EVENTS.leadAssigned, EVENTS.leadReassigned, EVENTS.bookingConfirmed, EVENTS.dealClosed, EVENTS.dealRefunded] as const;
export type PartnerEventType = (typeof PARTNER_EVENT_TYPES)[number];

/** The lead events leads itself writes and sends on to partners. */
export type LeadWebhookType = typeof EVENTS.leadAssigned | typeof EVENTS.leadReassigned;

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
 * and of a booking's source the channel alone (campaigns and agents are the platform's own).
 */
export function partnerData(type: PartnerEventType, data: Record<string, unknown>): Record<string, unknown> {
  const { phone, ...rest } = data;
  const shown: Record<string, unknown> = { ...rest };
  if (typeof phone === 'string') shown.phoneMasked = maskPhone(phone);
  if (type === EVENTS.bookingConfirmed && typeof rest.source === 'object' && rest.source !== null) {
    shown.source = { channel: (rest.source as { channel?: unknown }).channel ?? null };
  }
  if (type === EVENTS.dealClosed) delete shown.budgetFen;
  return shown;
}

/** The occurredAt a partner sees: the event's own time when it carries one, so that every path sends the same. */
export function occurredAtOf(data: Record<string, unknown>, fallback: string): string {
  const at = typeof data.at === 'string' ? data.at : fallback;
  return Number.isNaN(Date.parse(at)) ? fallback : new Date(at).toISOString();
}
