import { DataSource } from 'typeorm';
import { edgeParams } from './edge-ranges';
import { Dimension, Range } from './funnel.rules';

/** A booking counted at one step (created, or visited in the store), with the booking's dimensions. */
export interface BookingStepRow {
  booking_id: string;
  at: Date;
  channel: string;
  city: string;
  store_id: string | null;
  agent_id: string | null;
  brand_ids: string[];
}

/**
 * The SQL the two booking steps (funnel_bookings, funnel_store_visits) share: the same columns,
 * one row per booking. Each repository names its own table.
 */
export class BookingStepRows {
  constructor(
    private readonly db: DataSource,
    private readonly table: 'funnel_bookings' | 'funnel_store_visits',
  ) {}

  /** Answers false when the booking was counted at this step already. */
  async insert(r: BookingStepRow): Promise<boolean> {
    const rows = await this.db.query<unknown[]>(
      `INSERT INTO ${this.table} (booking_id, at, channel, city, store_id, agent_id, brand_ids) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (booking_id) DO NOTHING RETURNING booking_id`,
      [r.booking_id, r.at, r.channel, r.city, r.store_id, r.agent_id, r.brand_ids],
    );
    return rows.length === 1;
  }

  /** Per dimension and key, the rows in the ranges (a report's partial edge hours); once under each of a booking's brands. */
  async countWithin(dims: Dimension[], ranges: Range[]): Promise<{ dim: Dimension; key: string; n: number }[]> {
    if (ranges.length === 0) return [];
    return this.db.query(
      `SELECT d.dim, d.key, count(*)::int AS n
         FROM ${this.table} b
        CROSS JOIN LATERAL (
          SELECT 'channel' AS dim, b.channel AS key
          UNION ALL SELECT 'city', b.city
          UNION ALL SELECT 'store', coalesce(b.store_id::text, 'none')
          UNION ALL SELECT 'agent', coalesce(b.agent_id, 'none')
          UNION ALL SELECT 'brand', k FROM unnest(CASE WHEN cardinality(b.brand_ids) = 0 THEN ARRAY['none'] ELSE b.brand_ids::text[] END) AS k
        ) AS d
        WHERE ((b.at >= $1 AND b.at < $2) OR (b.at >= $3 AND b.at < $4)) AND d.dim = ANY($5)
        GROUP BY d.dim, d.key`,
      [...edgeParams(ranges), dims],
    );
  }
}
