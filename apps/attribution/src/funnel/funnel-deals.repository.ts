import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { edgeParams } from './edge-ranges';
import { Dimension, Range, StepCounts } from './funnel.rules';

export interface FunnelDealRow {
  deal_id: string;
  at: Date;
  /** The channel the deal was credited to, `none` when unattributed. */
  channel: string;
  city: string | null;
  store_id: string;
  brand_id: string;
  agent_id: string | null;
  amount_fen: number;
  budget_fen: number | null;
}

interface CountRow {
  dim: Dimension;
  key: string;
  deals: number;
  deal_amount_fen: string;
  budget_fen: string;
  premium_fen: string;
}

/** funnel_deals: one row per deal counted, at its closing, under the channel and agent it was credited to. */
@Injectable()
export class FunnelDealsRepository {
  constructor(private readonly db: DataSource) {}

  /** Answers false when the deal was counted already. */
  async insert(r: FunnelDealRow): Promise<boolean> {
    const rows = await this.db.query<unknown[]>(
      `INSERT INTO funnel_deals (deal_id, at, channel, city, store_id, brand_id, agent_id, amount_fen, budget_fen) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (deal_id) DO NOTHING RETURNING deal_id`,
      [r.deal_id, r.at, r.channel, r.city, r.store_id, r.brand_id, r.agent_id, r.amount_fen, r.budget_fen],
    );
    return rows.length === 1;
  }

  /** Per dimension and key, the deals and their money in the ranges (a report's partial edge hours). */
  async countWithin(
    dims: Dimension[],
    ranges: Range[],
  ): Promise<({ dim: Dimension; key: string } & Pick<StepCounts, 'deals' | 'dealAmountFen' | 'budgetFen' | 'premiumFen'>)[]> {
    if (ranges.length === 0) return [];
    const rows = await this.db.query<CountRow[]>(
      `SELECT d.dim, d.key, count(*)::int AS deals, sum(x.amount_fen) AS deal_amount_fen, coalesce(sum(x.budget_fen), 0) AS budget_fen,
              sum(CASE WHEN x.budget_fen IS NULL THEN 0 ELSE greatest(0, x.amount_fen - x.budget_fen) END) AS premium_fen
         FROM funnel_deals x
        CROSS JOIN LATERAL (VALUES ('channel', x.channel), ('city', coalesce(x.city, 'none')), ('store', x.store_id::text), ('agent', coalesce(x.agent_id, 'none')), ('brand', x.brand_id::text)) AS d(dim, key)
        WHERE ((x.at >= $1 AND x.at < $2) OR (x.at >= $3 AND x.at < $4)) AND d.dim = ANY($5)
        GROUP BY d.dim, d.key`,
      [...edgeParams(ranges), dims],
    );
    return rows.map((r) => ({
      dim: r.dim,
      key: r.key,
      deals: r.deals,
      dealAmountFen: Number(r.deal_amount_fen),
      budgetFen: Number(r.budget_fen),
      premiumFen: Number(r.premium_fen),
    }));
  }
}
