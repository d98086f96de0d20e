import {
  BookingCreatedEvent,
  BookingVisitedEvent,
  CardEventName,
  Channel,
  ConsultationRecordedEvent,
  DealClosedEvent,
  DealRefundedEvent,
  LeadEventName,
  LeadFacts,
} from '@o2o/contracts';

/** Whom a deal was credited to online: the funnel counts the deal under this channel and agent. */
export interface DealCredit {
  channel: Channel | 'none';
  agentId: string | null;
}

/**
 * What the funnel does with each event, inside the transaction that records the event's id. Each
 * step is idempotent on its record's id (consultation, booking, deal): a repeat counts nothing.
 */
export abstract class FunnelSteps {
  abstract consultationRecorded(event: ConsultationRecordedEvent): Promise<void>;
  abstract bookingCreated(event: BookingCreatedEvent): Promise<void>;
  abstract bookingVisited(event: BookingVisitedEvent): Promise<void>;
  abstract dealClosed(event: DealClosedEvent, credit: DealCredit): Promise<void>;
}

/**
 * What attribution does with each event, inside the transaction that records the event's id.
 * Facts are kept per phone, newest wins whatever the order of arrival; a deal is credited once
 * (a repeat answers the first credit); a refund of a deal not credited yet throws, so that the
 * event is retried rather than dropped.
 */
export abstract class AttributionSteps {
  abstract cardEvent(type: CardEventName, data: Record<string, unknown>, occurredAt: string): Promise<void>;
  abstract bookingCreated(event: BookingCreatedEvent): Promise<void>;
  abstract consultationRecorded(event: ConsultationRecordedEvent): Promise<void>;
  abstract leadEvent(type: LeadEventName, event: LeadFacts, occurredAt: string): Promise<void>;
  abstract dealClosed(event: DealClosedEvent): Promise<DealCredit>;
  abstract dealRefunded(event: DealRefundedEvent): Promise<void>;
}
