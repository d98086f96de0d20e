import { Inject, Injectable } from '@nestjs/common';
import { Actor, FunnelQueryDto, FunnelView, Role } from '@o2o/contracts';
import { badInput, requireRoles } from '@o2o/platform';
import { DataSource } from 'typeorm';
import { ATTRIBUTION_CONFIG, AttributionConfig } from '../attribution.config';
import { TouchpointsService } from '../touchpoints/touchpoints.service';
import { FunnelBookingsRepository } from './funnel-bookings.repository';
import { FunnelConsultationsRepository } from './funnel-consultations.repository';
import { FunnelDaysRepository } from './funnel-days.repository';
import { FunnelDealsRepository } from './funnel-deals.repository';
import { FunnelHoursRepository } from './funnel-hours.repository';
import { FunnelStoreVisitsRepository } from './funnel-store-visits.repository';
import { assembleFunnel, CountsByKey, Dimension, reportRange, splitRange } from './funnel.rules';

/**
 * The funnel report: whole UTC days from the daily rollups, the whole hours around them from the
 * hourly ones, the partial hours at the edges from the raw rows, all read in one snapshot so that
 * the rows and the total agree.
 */
@Injectable()
export class FunnelService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly hours: FunnelHoursRepository,
    private readonly days: FunnelDaysRepository,
    private readonly consultations: FunnelConsultationsRepository,
    private readonly bookings: FunnelBookingsRepository,
    private readonly storeVisits: FunnelStoreVisitsRepository,
    private readonly deals: FunnelDealsRepository,
    private readonly touchpoints: TouchpointsService,
    @Inject(ATTRIBUTION_CONFIG) private readonly config: AttributionConfig,
  ) {}

  async report(query: FunnelQueryDto, actor: Actor): Promise<FunnelView> {
    requireRoles(actor, Role.Ops);
    const tz = query.tz ?? this.config.REPORT_TIME_ZONE;
    const range = reportRange(query.from, query.to, tz);
    if (Array.isArray(range)) throw badInput(range.map((p) => `${p.field} ${p.message}`).join('; '), range);
    const { whole, days, hours, edges } = splitRange(range);
    // The channel rows are the total: every record has exactly one channel.
    const dims: Dimension[] = query.groupBy === 'channel' ? ['channel'] : [query.groupBy, 'channel'];

    const { counts, visits } = await this.dataSource.transaction(async () => {
      await this.dataSource.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const counts = new CountsByKey();
      for (const r of await this.days.sums(dims, days ? [days] : [])) counts.add(r.dim, r.key, r);
      for (const r of await this.hours.sums(dims, hours)) counts.add(r.dim, r.key, r);
      for (const r of await this.consultations.countWithin(dims, edges)) counts.add(r.dim, r.key, { consultations: r.n });
      for (const r of await this.bookings.countWithin(dims, edges)) counts.add(r.dim, r.key, { bookings: r.n });
      for (const r of await this.storeVisits.countWithin(dims, edges)) counts.add(r.dim, r.key, { storeVisits: r.n });
      for (const r of await this.deals.countWithin(dims, edges)) counts.add(r.dim, r.key, r);
      return { counts, visits: await this.touchpoints.distinctVisitors(whole, edges) };
    });
    const { rows, total } = assembleFunnel(query.groupBy, counts, visits);
    return { rows, total, from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString(), tz };
  }
}
