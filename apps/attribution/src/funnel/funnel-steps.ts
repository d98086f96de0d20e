import { Injectable } from '@nestjs/common';
import { BookingCreatedEvent, BookingVisitedEvent, ConsultationRecordedEvent, DealClosedEvent } from '@o2o/contracts';
import { DealCredit, FunnelSteps } from '../events/steps';
import { hourOf } from '../touchpoints/touchpoints.rules';
import { FunnelBookingsRepository } from './funnel-bookings.repository';
import { FunnelDaysRepository } from './funnel-days.repository';
import { FunnelConsultationsRepository } from './funnel-consultations.repository';
import { FunnelDealsRepository } from './funnel-deals.repository';
import { FunnelHoursRepository } from './funnel-hours.repository';
import { FunnelStoreVisitsRepository } from './funnel-store-visits.repository';
import { dayOf, DimensionKey, dimensionKeys, premiumOf, StepCounts } from './funnel.rules';

/** An event's time; one that does not parse is the producer's bug, and the event waits rather than counting at a wrong hour. */
function instant(value: string, field: string): Date {
  const t = new Date(value);
  if (Number.isNaN(t.getTime())) throw new Error(`The event's ${field} is not a time: ${JSON.stringify(value)}`);
  return t;
}

const brandsOf = (ids: string[] | undefined): string[] => [...new Set((ids ?? []).map((b) => b.toLowerCase()))].sort();

/**
 * The funnel's counts of consultations, bookings, store visits and deals, inside the transaction
 * of the event. Each keeps a raw row keyed by its record's id; the hourly and daily rollups move
 * only when that row is new, so a repeated event counts nothing.
 */
@Injectable()
export class FunnelStepCounter extends FunnelSteps {
  constructor(
    private readonly consultations: FunnelConsultationsRepository,
    private readonly bookings: FunnelBookingsRepository,
    private readonly storeVisits: FunnelStoreVisitsRepository,
    private readonly deals: FunnelDealsRepository,
    private readonly hours: FunnelHoursRepository,
    private readonly days: FunnelDaysRepository,
  ) {
    super();
  }

  /** One record into both rollups: its UTC hour's and its UTC day's. */
  private async count(at: Date, keys: DimensionKey[], counts: Partial<StepCounts>): Promise<void> {
    await this.hours.add(hourOf(at.getTime()), keys, counts);
    await this.days.add(dayOf(at.getTime()), keys, counts);
  }

  async consultationRecorded(e: ConsultationRecordedEvent): Promise<void> {
    const at = instant(e.recordedAt, 'recordedAt');
    const row = { consultation_id: e.consultationId, at, channel: e.source.channel, city: e.city, agent_id: e.source.agentId ?? null };
    if (!(await this.consultations.insert(row))) return;
    const keys = dimensionKeys({ channel: row.channel, city: row.city, storeId: null, agentId: row.agent_id, brandIds: [] });
    await this.count(at, keys, { consultations: 1 });
  }

  async bookingCreated(e: BookingCreatedEvent): Promise<void> {
    const at = instant(e.at, 'at');
    const row = {
      booking_id: e.bookingId,
      at,
      channel: e.source.channel,
      city: e.city,
      store_id: e.storeId?.toLowerCase() ?? null,
      agent_id: e.source.agentId ?? null,
      brand_ids: brandsOf(e.brandIds),
    };
    if (!(await this.bookings.insert(row))) return;
    const keys = dimensionKeys({ channel: row.channel, city: row.city, storeId: row.store_id, agentId: row.agent_id, brandIds: row.brand_ids });
    await this.count(at, keys, { bookings: 1 });
  }

  /** A check-in counts under its booking's channel, which the event carries as its source. */
  async bookingVisited(e: BookingVisitedEvent): Promise<void> {
    const at = instant(e.visitedAt ?? e.at, 'visitedAt');
    const row = {
      booking_id: e.bookingId,
      at,
      channel: e.source.channel,
      city: e.city,
      store_id: e.storeId?.toLowerCase() ?? null,
      agent_id: e.source.agentId ?? null,
      brand_ids: brandsOf(e.brandIds),
    };
    if (!(await this.storeVisits.insert(row))) return;
    const keys = dimensionKeys({ channel: row.channel, city: row.city, storeId: row.store_id, agentId: row.agent_id, brandIds: row.brand_ids });
    await this.count(at, keys, { storeVisits: 1 });
  }

  /** A deal counts under the channel and agent attribution credited it to. */
  async dealClosed(e: DealClosedEvent, credit: DealCredit): Promise<void> {
    const at = instant(e.closedAt, 'closedAt');
    const budget = e.budgetFen ?? null;
    const row = {
      deal_id: e.dealId,
      at,
      channel: credit.channel,
      city: e.city ?? null,
      store_id: e.storeId.toLowerCase(),
      brand_id: e.brandId.toLowerCase(),
      agent_id: credit.agentId,
      amount_fen: e.amountFen,
      budget_fen: budget,
    };
    if (!(await this.deals.insert(row))) return;
    const keys = dimensionKeys({ channel: row.channel, city: row.city, storeId: row.store_id, agentId: row.agent_id, brandIds: [row.brand_id] });
    await this.count(at, keys, {
      deals: 1,
      dealAmountFen: row.amount_fen,
      budgetFen: budget ?? 0,
      premiumFen: premiumOf(row.amount_fen, budget),
    });
  }
}
