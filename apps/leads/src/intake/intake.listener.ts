import { Inject, Injectable, OnModuleInit, Optional } from '@nestjs/common';
import {
  BookingCreatedEvent,
  BookingVisitedEvent,
  CardActivatedEvent,
  ConsultationRecordedEvent,
  DealClosedEvent,
  EventEnvelope,
  EVENTS,
  isMainlandMobile,
  LeadStatus,
  normalizePhone,
} from '@o2o/contracts';
import { EventConsumer, LOGGER } from '@o2o/platform';
import type { Logger } from 'pino';
import { WebhookNotifier } from '../webhooks/webhook-notifier';
import { Intake, IntakeService } from './intake.service';

const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const phoneOf = (v: unknown): string | undefined => (typeof v === 'string' && isMainlandMobile(v) ? normalizePhone(v) : undefined);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const idOrNull = (v: unknown): string | null => (typeof v === 'string' && UUID.test(v) ? v : null);

export function bookingIntakeOf(event: EventEnvelope): Intake | undefined {
  const data = event.data as Partial<BookingCreatedEvent>;
  const phone = phoneOf(data.phone);
  if (!phone || !isText(data.bookingId) || !isText(data.city)) return undefined;
  const brandIds = Array.isArray(data.brandIds) ? data.brandIds.filter(isText) : [];
  return {
    phone,
    city: data.city,
    storeId: idOrNull(data.storeId),
    brandIds,
    bookingId: data.bookingId,
    leadId: idOrNull(data.leadId),
    source: `booking ${data.bookingId}`,
  };
}

export function consultationIntakeOf(event: EventEnvelope): Intake | undefined {
  const data = event.data as Partial<ConsultationRecordedEvent>;
  const phone = phoneOf(data.phone);
  if (!phone || !isText(data.consultationId) || !isText(data.city)) return undefined;
  return { phone, city: data.city, storeId: null, brandIds: [], bookingId: null, source: `consultation ${data.consultationId}` };
}

/**
 * Intake and status from booking, consultation, card and deal events. The consumer runs each
 * handler once, in the transaction that records the event id.
 */
@Injectable()
export class IntakeListener implements OnModuleInit {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly intake: IntakeService,
    @Inject(LOGGER) private readonly logger: Logger,
    // deal.closed is also sent on to partners; one handler per type, so this one does both.
    @Optional() private readonly webhooks?: WebhookNotifier,
  ) {}

  onModuleInit(): void {
    this.consumer.on(EVENTS.bookingCreated, async (event) => {
      const intake = bookingIntakeOf(event);
      if (intake) await this.intake.intake(intake);
      else this.malformed(event);
    });
    this.consumer.on(EVENTS.consultationRecorded, async (event) => {
      const data = event.data as Partial<ConsultationRecordedEvent>;
      if (data.phone === null) return; // no phone, no lead
      const intake = consultationIntakeOf(event);
      if (intake) await this.intake.intake(intake);
      else this.malformed(event);
    });
    this.consumer.on(EVENTS.cardActivated, async (event) => {
      const data = event.data as Partial<CardActivatedEvent>;
      const phone = phoneOf(data.phone);
      if (phone && isText(data.cardNo)) await this.intake.touch(phone, `card ${data.cardNo}`);
      else this.malformed(event);
    });
    this.consumer.on(EVENTS.bookingVisited, async (event) => {
      const data = event.data as Partial<BookingVisitedEvent>;
      const phone = phoneOf(data.phone);
      if (phone) await this.intake.progress({ leadId: idOrNull(data.leadId), phone }, LeadStatus.Visited, `booking ${String(data.bookingId)}`);
      else this.malformed(event);
    });
    this.consumer.on(EVENTS.dealClosed, async (event) => {
      const data = event.data as Partial<DealClosedEvent>;
      const phone = phoneOf(data.phone);
      if (phone) await this.intake.progress({ leadId: idOrNull(data.leadId), phone }, LeadStatus.Won, `deal ${String(data.dealId)}`);
      else this.malformed(event);
      await this.webhooks?.partnerEvent(event);
    });
  }

  /** Retrying cannot fix a payload; it is recorded as processed and reported (no phone in the log). */
  private malformed(event: EventEnvelope): void {
    this.logger.error({ eventId: event.id, type: event.type }, 'event without the expected fields; skipped');
  }
}
