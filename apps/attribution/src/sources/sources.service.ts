import { Inject, Injectable } from '@nestjs/common';
import { BookingCreatedEvent, CardEventName, ConsultationRecordedEvent, LeadEventName, LeadFacts } from '@o2o/contracts';
import { LOGGER } from '@o2o/platform';
import type { Logger } from 'pino';
import { LeadOwnerFact, LeadOwnersRepository } from './lead-owners.repository';
import { BookingFact, SourceBookingsRepository } from './source-bookings.repository';
import { SourceCardsRepository } from './source-cards.repository';
import { ConsultationFact, SourceConsultationsRepository } from './source-consultations.repository';
import { CardFact, cardFactOf, LEAD_EVENT_RANK } from './sources.rules';

/** What attribution knows, when a deal closes, about the deal's own card and booking and about its phone. */
export interface PhoneFacts {
  /** The card the deal redeemed, when attribution has heard of it. */
  card?: CardFact;
  /** The deal's booking, when attribution has heard of it. */
  booking?: BookingFact;
  /** The phone's cards and bookings, newest first. */
  cards: CardFact[];
  bookings: BookingFact[];
  /** The consultations those bookings (and the deal) came from. */
  consultations: ConsultationFact[];
  leads: LeadOwnerFact[];
}

const validDate = (v: string): Date | undefined => {
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d;
};

/**
 * Attribution's own copy of each phone's sources, fed by the other services' events in any order:
 * cards (by card number, newest state wins), bookings, consultations and who owns the phone's lead.
 */
@Injectable()
export class SourcesService {
  constructor(
    private readonly cards: SourceCardsRepository,
    private readonly bookings: SourceBookingsRepository,
    private readonly consultations: SourceConsultationsRepository,
    private readonly leads: LeadOwnersRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async recordCard(type: CardEventName, data: Record<string, unknown>, occurredAt: string): Promise<void> {
    const fact = cardFactOf(type, data, occurredAt);
    if (!fact) return this.skipped(type, 'card event without a state attribution can read');
    await this.cards.record(fact);
  }

  async recordBooking(e: BookingCreatedEvent): Promise<void> {
    const at = validDate(e.at);
    if (!at || !e.source?.channel) return this.skipped('booking.created', 'booking without a time or a channel');
    await this.bookings.record({
      bookingId: e.bookingId,
      phone: e.phone,
      consultationId: e.consultationId ?? null,
      storeId: e.storeId ?? null,
      channel: e.source.channel,
      campaign: e.source.campaign ?? null,
      agentId: e.source.agentId ?? null,
      visitorId: e.source.visitorId ?? null,
      budgetFen: Number.isSafeInteger(e.budgetFen) ? e.budgetFen : null,
      at,
    });
  }

  async recordConsultation(e: ConsultationRecordedEvent): Promise<void> {
    const recordedAt = validDate(e.recordedAt);
    if (!recordedAt || !e.source?.channel) return this.skipped('consultation.recorded', 'consultation without a time or a channel');
    await this.consultations.record({
      consultationId: e.consultationId,
      phone: e.phone ?? null,
      channel: e.source.channel,
      campaign: e.source.campaign ?? null,
      agentId: e.source.agentId ?? null,
      recordedAt,
    });
  }

  async recordLead(type: LeadEventName, e: LeadFacts, occurredAt: string): Promise<void> {
    const at = validDate(e.at);
    const protectedUntil = validDate(e.protectedUntil);
    const asOf = validDate(occurredAt);
    if (!at || !protectedUntil || !asOf) return this.skipped(type, 'lead event without valid times');
    await this.leads.record({
      leadId: e.leadId,
      phone: e.phone,
      storeId: e.storeId ?? null,
      ownerId: e.ownerId ?? null,
      protectedUntil,
      since: at,
      asOf,
      rank: LEAD_EVENT_RANK[type],
    });
  }

  /** Everything known about a closing deal's sources. */
  async factsFor(deal: { phone: string; cardNo: string | null; bookingId: string | null; consultationId: string | null }): Promise<PhoneFacts> {
    // One after another: inside the event's transaction they share one connection.
    const card = deal.cardNo ? await this.cards.find(deal.cardNo) : undefined;
    const booking = deal.bookingId ? await this.bookings.find(deal.bookingId) : undefined;
    const cards = await this.cards.ofPhone(deal.phone);
    const bookings = await this.bookings.ofPhone(deal.phone);
    const leads = await this.leads.ofPhone(deal.phone);
    const consultationIds = [deal.consultationId, booking?.consultationId, ...bookings.map((b) => b.consultationId)].filter((id): id is string => !!id);
    const consultations = await this.consultations.findMany([...new Set(consultationIds)]);
    return { card, booking, cards, bookings, consultations, leads };
  }

  /** Retrying cannot fix a payload: it is reported, and the event counts as handled. */
  private skipped(type: string, why: string): void {
    this.logger.error({ type }, `${why}; skipped`);
  }
}
