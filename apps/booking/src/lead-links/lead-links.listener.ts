import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EventEnvelope, EVENTS, LeadBookingLinkedEvent, LeadFacts } from '@o2o/contracts';
import { EventConsumer, LOGGER } from '@o2o/platform';
import type { Logger } from 'pino';
import { BookingsRepository } from '../bookings/bookings.repository';
import { LeadOwnersRepository } from './lead-owners.repository';

const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const textOrNull = (v: unknown): string | null => (isText(v) ? v : null);

/** Gives each booking the lead it became, and keeps who owns that lead (who sees the phone), from the lead events. */
@Injectable()
export class LeadLinksListener implements OnModuleInit {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly bookings: BookingsRepository,
    private readonly owners: LeadOwnersRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    const onOwner = async (event: EventEnvelope) => {
      const d = event.data as Partial<LeadFacts>;
      if (!isText(d.leadId) || !isText(d.at)) return this.malformed(event);
      await this.owners.record({ leadId: d.leadId, ownerId: textOrNull(d.ownerId), storeId: textOrNull(d.storeId), asOf: d.at });
      if (isText(d.storeId)) await this.bookings.adoptStoreOfLead(d.leadId, d.storeId);
    };
    this.consumer.on(EVENTS.leadAssigned, onOwner);
    this.consumer.on(EVENTS.leadReassigned, onOwner);
    this.consumer.on(EVENTS.leadBookingLinked, async (event) => {
      const d = event.data as Partial<LeadBookingLinkedEvent>;
      if (!isText(d.bookingId) || !isText(d.leadId)) return this.malformed(event);
      await this.bookings.linkLead(d.bookingId, d.leadId, textOrNull(d.storeId));
      await onOwner(event);
    });
  }

  /** Retrying cannot fix a payload; it is recorded as processed and reported. */
  private malformed(event: EventEnvelope): void {
    this.logger.error({ eventId: event.id, type: event.type }, 'lead event without the expected fields; skipped');
  }
}
