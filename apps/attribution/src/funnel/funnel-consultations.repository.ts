import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { edgeParams } from './edge-ranges';
import { Dimension, Range } from './funnel.rules';

export interface FunnelConsultationRow {
  consultation_id: string;
  at: Date;
  channel: string;
  city: string;
  agent_id: string | null;
}

/** funnel_consultations: one row per consultation counted, with its time and dimensions (a consultation has no store or brand). */
@Injectable()
export class FunnelConsultationsRepository {
  constructor(private readonly db: DataSource) {}

  /** Answers false when the consultation was counted already. */
  async insert(r: FunnelConsultationRow): Promise<boolean> {
    const rows = await this.db.query<unknown[]>(
      `INSERT INTO funnel_consultations (consultation_id, at, channel, city, agent_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (consultation_id) DO NOTHING RETURNING consultation_id`,
      [r.consultation_id, r.at, r.channel, r.city, r.agent_id],
    );
    return rows.length === 1;
  }

  /** Per dimension and key, the consultations in the ranges (a report's partial edge hours). */
  async countWithin(dims: Dimension[], ranges: Range[]): Promise<{ dim: Dimension; key: string; n: number }[]> {
    if (ranges.length === 0) return [];
    return this.db.query(
      `SELECT d.dim, d.key, count(*)::int AS n
         FROM funnel_consultations c
        CROSS JOIN LATERAL (VALUES ('channel', c.channel), ('city', c.city), ('store', 'none'), ('agent', coalesce(c.agent_id, 'none')), ('brand', 'none')) AS d(dim, key)
        WHERE ((c.at >= $1 AND c.at < $2) OR (c.at >= $3 AND c.at < $4)) AND d.dim = ANY($5)
        GROUP BY d.dim, d.key`,
      [...edgeParams(ranges), dims],
    );
  }
}
