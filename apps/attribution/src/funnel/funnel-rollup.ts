import { DataSource } from 'typeorm';
import { edgeParams } from './edge-ranges';
import { Dimension, DimensionKey, Range, StepCounts } from './funnel.rules';

export interface KeyCounts extends StepCounts {
  dim: Dimension;
  key: string;
}

interface SumRow {
  dim: Dimension;
  key: string;
  consultations: string;
  bookings: string;
  store_visits: string;
  deals: string;
  deal_amount_fen: string;
  budget_fen: string;
  premium_fen: string;
}

/**
 * The SQL the two rollups (funnel_hours by hour, funnel_days by day) share: the same columns,
 * bucketed by a different period. Each repository names its own table.
 */
export class FunnelRollup {
  constructor(
    private readonly db: DataSource,
    private readonly table: 'funnel_hours' | 'funnel_days',
    private readonly period: 'hour' | 'day',
  ) {}

  /** Adds one record's counts under each of its keys, in the order given (the lock order). */
  async add(bucket: number, keys: DimensionKey[], c: Partial<StepCounts>): Promise<void> {
    await this.db.query(
      `INSERT INTO ${this.table} AS f (dim, key, ${this.period}, consultations, bookings, store_visits, deals, deal_amount_fen, budget_fen, premium_fen)
       SELECT dim, key, $3, $4, $5, $6, $7, $8, $9, $10
         FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(dim, key, n)
        ORDER BY n
       ON CONFLICT (dim, ${this.period}, key) DO UPDATE SET
         consultations = f.consultations + EXCLUDED.consultations,
         bookings = f.bookings + EXCLUDED.bookings,
         store_visits = f.store_visits + EXCLUDED.store_visits,
         deals = f.deals + EXCLUDED.deals,
         deal_amount_fen = f.deal_amount_fen + EXCLUDED.deal_amount_fen,
         budget_fen = f.budget_fen + EXCLUDED.budget_fen,
         premium_fen = f.premium_fen + EXCLUDED.premium_fen`,
      [
        keys.map((k) => k.dim),
        keys.map((k) => k.key),
        new Date(bucket),
        c.consultations ?? 0,
        c.bookings ?? 0,
        c.storeVisits ?? 0,
        c.deals ?? 0,
        c.dealAmountFen ?? 0,
        c.budgetFen ?? 0,
        c.premiumFen ?? 0,
      ],
    );
  }

  /** Per dimension and key, the counts of the buckets in at most two ranges, each made of whole buckets. */
  async sums(dims: Dimension[], ranges: Range[]): Promise<KeyCounts[]> {
    if (ranges.length === 0) return [];
    const p = this.period;
    const rows = await this.db.query<SumRow[]>(
      `SELECT dim, key, sum(consultations) AS consultations, sum(bookings) AS bookings, sum(store_visits) AS store_visits, sum(deals) AS deals,
              sum(deal_amount_fen) AS deal_amount_fen, sum(budget_fen) AS budget_fen, sum(premium_fen) AS premium_fen
         FROM ${this.table}
        WHERE dim = ANY($5) AND ((${p} >= $1 AND ${p} < $2) OR (${p} >= $3 AND ${p} < $4))
        GROUP BY dim, key`,
      [...edgeParams(ranges), dims],
    );
    return rows.map((r) => ({
      dim: r.dim,
      key: r.key,
      consultations: Number(r.consultations),
      bookings: Number(r.bookings),
      storeVisits: Number(r.store_visits),
      deals: Number(r.deals),
      dealAmountFen: Number(r.deal_amount_fen),
      budgetFen: Number(r.budget_fen),
      premiumFen: Number(r.premium_fen),
    }));
  }
}
