import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import {
  BookingCreatedEvent,
  BookingVisitedEvent,
  CARD_EVENTS,
  ConsultationRecordedEvent,
  DealClosedEvent,
  DealRefundedEvent,
  EventEnvelope,
  EVENTS,
  LEAD_OWNER_EVENTS,
  LeadFacts,
} from '@o2o/contracts';
import { EventConsumer, LOGGER } from '@o2o/platform';
import type { Logger } from 'pino';
import { AttributionSteps, FunnelSteps } from './steps';

const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const has = <T>(event: EventEnvelope, ...fields: string[]): T | undefined => (fields.every((f) => event.data[f] !== undefined) ? (event.data as T) : undefined);

/**
 * The one place attribution's events arrive: each is handed to attribution (sources, credit,
 * commissions) and to the funnel (counts), in the transaction that records the event's id, so an
 * event is applied once and both sides see it together. A deal is counted in the funnel under
 * the channel it was credited to.
 */
@Injectable()
export class AttributionEventsListener implements OnModuleInit {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly attribution: AttributionSteps,
    private readonly funnel: FunnelSteps,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    for (const type of CARD_EVENTS) {
      this.consumer.on(type, async (event) => {
        if (!isText(event.data.cardNo)) return this.malformed(event);
        await this.attribution.cardEvent(type, event.data, event.occurredAt);
      });
    }
    for (const type of LEAD_OWNER_EVENTS) {
      this.consumer.on(type, async (event) => {
        const lead = has<LeadFacts>(event, 'leadId', 'phone', 'protectedUntil', 'at');
        if (!lead) return this.malformed(event);
        await this.attribution.leadEvent(type, lead, event.occurredAt);
      });
    }
    this.consumer.on(EVENTS.consultationRecorded, async (event) => {
      const consultation = has<ConsultationRecordedEvent>(event, 'consultationId', 'city', 'source', 'recordedAt');
      if (!consultation) return this.malformed(event);
      await this.attribution.consultationRecorded(consultation);
      await this.funnel.consultationRecorded(consultation);
    });
    this.consumer.on(EVENTS.bookingCreated, async (event) => {
      const booking = has<BookingCreatedEvent>(event, 'bookingId', 'phone', 'city', 'source', 'at');
      if (!booking) return this.malformed(event);
      await this.attribution.bookingCreated(booking);
      await this.funnel.bookingCreated(booking);
    });
    this.consumer.on(EVENTS.bookingVisited, async (event) => {
      const visit = has<BookingVisitedEvent>(event, 'bookingId', 'city', 'source', 'at');
      if (!visit) return this.malformed(event);
      await this.funnel.bookingVisited(visit);
    });
    this.consumer.on(EVENTS.dealClosed, async (event) => {
      const deal = has<DealClosedEvent>(event, 'dealId', 'storeId', 'brandId', 'staffId', 'phone', 'amountFen', 'closedAt');
      if (!deal) return this.malformed(event);
      const credit = await this.attribution.dealClosed(deal);
      await this.funnel.dealClosed(deal, credit);
    });
    this.consumer.on(EVENTS.dealRefunded, async (event) => {
      const refund = has<DealRefundedEvent>(event, 'dealId', 'refundId', 'amountFen', 'refundedTotalFen', 'full');
      if (!refund) return this.malformed(event);
      await this.attribution.dealRefunded(refund);
    });
  }

  /** Retrying cannot fix a payload; it is recorded as processed and reported. */
  private malformed(event: EventEnvelope): void {
    this.logger.error({ eventId: event.id, type: event.type }, 'event without the expected fields; skipped');
  }
}
