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
} as const;

export type EventName = (typeof EVENTS)[keyof typeof EVENTS];

/** An event as delivered to a consumer. */
export interface EventEnvelope<T = Record<string, unknown>> {
  id: string;
  type: EventName;
  source: ServiceName | 'gateway';
  occurredAt: string;
  data: T;
}

/**
 * Which service consumes which events. The outbox relay fans each event out to one durable queue
 * per consumer listed here; a service that starts consuming an event adds itself.
 */
export const EVENT_SUBSCRIPTIONS: Record<ServiceName, readonly EventName[]> = {
  catalog: [],
  booking: [],
  coupons: [EVENTS.storeCreated, EVENTS.storeUpdated, EVENTS.brandCreated],
  leads: [],
  attribution: [],
};

export function consumersOf(type: EventName): ServiceName[] {
  return (Object.keys(EVENT_SUBSCRIPTIONS) as ServiceName[]).filter((s) => EVENT_SUBSCRIPTIONS[s].includes(type));
}
