import { ServiceName } from './services';

/** Event names that travel through the outbox to other services. */
export const EVENTS = {
  storeCreated: 'store.created',
  storeUpdated: 'store.updated',
  brandCreated: 'brand.created',
  brandJoinedStore: 'brand.joined_store',
  productPublished: 'product.published',
  productUnpublished: 'product.unpublished',
  cardActivated: 'card.activated',
  cardRedeemed: 'card.redeemed',
  cardReversed: 'card.reversed',
  cardExpired: 'card.expired',
  cardVoided: 'card.voided',
  consultationRecorded: 'consultation.recorded',
  bookingCreated: 'booking.created',
  bookingConfirmed: 'booking.confirmed',
  bookingRescheduled: 'booking.rescheduled',
  bookingVisited: 'booking.visited',
  bookingCancelled: 'booking.cancelled',
  bookingNoShow: 'booking.no_show',
  dealClosed: 'deal.closed',
  dealRefunded: 'deal.refunded',
  leadCreated: 'lead.created',
  leadAssigned: 'lead.assigned',
  leadReassigned: 'lead.reassigned',
  leadBookingLinked: 'lead.booking_linked',
  staffChanged: 'staff.changed',
} as const;

export type EventName = (typeof EVENTS)[keyof typeof EVENTS];

/** The card events, as one type: a card's life as coupons tells it. */
export const CARD_EVENTS = [EVENTS.cardActivated, EVENTS.cardRedeemed, EVENTS.cardReversed, EVENTS.cardExpired, EVENTS.cardVoided] as const;
export type CardEventName = (typeof CARD_EVENTS)[number];

/** The lead events that say who owns a phone's lead. */
export const LEAD_OWNER_EVENTS = [EVENTS.leadCreated, EVENTS.leadAssigned, EVENTS.leadReassigned] as const;
export type LeadEventName = (typeof LEAD_OWNER_EVENTS)[number];

/** An event as delivered to a consumer. */
export interface EventEnvelope<T = Record<string, unknown>> {
  id: string;
  type: EventName;
  source: ServiceName | 'gateway';
  occurredAt: string;
  data: T;
}

/**
 * Which service consumes which events, declared before the handlers exist. The outbox relay fans
 * each event out to one durable queue per (consumer, type); a declared type the consumer cannot
 * handle yet waits in its queue, and a handler for a type not declared here fails the service at
 * boot.
 */
export const EVENT_SUBSCRIPTIONS: Record<ServiceName, readonly EventName[]> = {
  catalog: [],
  booking: [
    // Slots and validation need the stores and which brands sit in them.
    EVENTS.storeCreated,
    EVENTS.storeUpdated,
    EVENTS.brandJoinedStore,
    // The booking's leadId, and who owns the lead (who sees the customer's phone).
    EVENTS.leadAssigned,
    EVENTS.leadReassigned,
    EVENTS.leadBookingLinked,
    // Who may close a deal at a store: its active salespeople and managers.
    EVENTS.staffChanged,
    // A full refund's card reversal runs after the refund commits.
    EVENTS.dealRefunded,
  ],
  coupons: [EVENTS.storeCreated, EVENTS.storeUpdated, EVENTS.brandCreated],
  leads: [
    // Intake.
    EVENTS.bookingCreated,
    EVENTS.consultationRecorded,
    EVENTS.cardActivated,
    // Lead status.
    EVENTS.bookingVisited,
    EVENTS.dealClosed,
    // Routing facts.
    EVENTS.storeCreated,
    EVENTS.storeUpdated,
    EVENTS.brandCreated,
    EVENTS.brandJoinedStore,
    // Sent on to partner webhooks (with leads' own lead.assigned and lead.reassigned).
    EVENTS.bookingConfirmed,
    EVENTS.dealRefunded,
  ],
  attribution: [
    // Each source a deal can be credited to, per phone.
    ...CARD_EVENTS,
    EVENTS.bookingCreated,
    EVENTS.consultationRecorded,
    // The funnel's store visits.
    EVENTS.bookingVisited,
    // Attribution, commissions and clawbacks.
    EVENTS.dealClosed,
    EVENTS.dealRefunded,
    // Who owns a phone's lead, and until when: the flying-order check.
    ...LEAD_OWNER_EVENTS,
  ],
};

export function consumersOf(type: EventName): ServiceName[] {
  return (Object.keys(EVENT_SUBSCRIPTIONS) as ServiceName[]).filter((s) => EVENT_SUBSCRIPTIONS[s].includes(type));
}
