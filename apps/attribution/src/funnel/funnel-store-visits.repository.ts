import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { edgeParams } from './edge-ranges';
import { Dimension, Range } from './funnel.rules';

export interface FunnelStoreVisitRow {
  booking_id: string;
  at: Date;
  channel: string;
  city: string;
  store_id: string | null;
  agent_id: string | null;
  brand_ids: string[];
}

/** funnel_store_visits: one row per store visit (check-in) counted, with its booking's dimensions; a booking is visited once. */
@Injectable()
export class FunnelStoreVisitsRepository {
  constructor(private readonly db: DataSource) {}

  /** Answers false when the visit was counted already. */
  async insert(r: FunnelStoreVisitRow): Promise<boolean> {
    const rows = await this.db.query<unknown[]>(
      `INSERT INTO funnel_store_visits (booking_id, at, channel, city, store_id, agent_id, brand_ids) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (booking_id) DO NOTHING RETURNING booking_id`,
      [r.booking_id, r.at, r.channel, r.city, r.store_id, r.agent_id, r.brand_ids],
    );
    return rows.length === 1;
  }

  /** Per dimension and key, the store visits in the ranges (a report's partial edge hours); once under each brand. */
  async countWithin(dims: Dimension[], ranges: Range[]): Promise<{ dim: Dimension; key: string; n: number }[]> {
    if (ranges.length === 0) return [];
    return this.db.query(
      `SELECT d.dim, d.key, count(*)::int AS n
         FROM funnel_store_visits v
        CROSS JOIN LATERAL (
          SELECT 'channel' AS dim, v.channel AS key
          UNION ALL SELECT 'city', v.city
          UNION ALL SELECT 'store', coalesce(v.store_id::text, 'none')
          UNION ALL SELECT 'agent', coalesce(v.agent_id, 'none')
          UNION ALL SELECT 'brand', k FROM unnest(CASE WHEN cardinality(v.brand_ids) = 0 THEN ARRAY['none'] ELSE v.brand_ids::text[] END) AS k
        ) AS d
        WHERE ((v.at >= $1 AND v.at < $2) OR (v.at >= $3 AND v.at < $4)) AND d.dim = ANY($5)
        GROUP BY d.dim, d.key`,
      [...edgeParams(ranges), dims],
    );
  }
}
