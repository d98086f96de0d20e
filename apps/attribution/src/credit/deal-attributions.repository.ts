import { Injectable } from '@nestjs/common';
import { AttributionVia, Channel, ExplainStepView } from '@o2o/contracts';
import { queryRows } from '@o2o/platform';
import { DataSource } from 'typeorm';

/** A deal as credited: once, when its deal.closed first arrives. */
export interface DealAttribution {
  dealId: string;
  storeId: string;
  brandId: string;
  staffId: string;
  phone: string;
  amountFen: number;
  budgetFen: number | null;
  closedAt: Date;
  via: AttributionVia;
  channel: Channel | null;
  campaign: string | null;
  agentId: string | null;
  sourceRef: string | null;
  ruleVersion: number | null;
  flags: string[];
  reasons: string[];
  /** How the source, the flags and the rules were found; the entries' arithmetic lives with the entries. */
  explain: ExplainStepView[];
}

interface AttributionRow {
  deal_id: string;
  store_id: string;
  brand_id: string;
  staff_id: string;
  phone: string;
  amount_fen: string;
  budget_fen: string | null;
  closed_at: Date;
  via: AttributionVia;
  channel: Channel | null;
  campaign: string | null;
  agent_id: string | null;
  source_ref: string | null;
  rule_version: number | null;
  flags: string[];
  reasons: string[];
  explain: ExplainStepView[];
  credited_at: Date;
}

const toAttribution = (r: AttributionRow): DealAttribution => ({
  dealId: r.deal_id,
  storeId: r.store_id,
  brandId: r.brand_id,
  staffId: r.staff_id,
  phone: r.phone,
  amountFen: Number(r.amount_fen),
  budgetFen: r.budget_fen === null ? null : Number(r.budget_fen),
  closedAt: r.closed_at,
  via: r.via,
  channel: r.channel,
  campaign: r.campaign,
  agentId: r.agent_id,
  sourceRef: r.source_ref,
  ruleVersion: r.rule_version,
  flags: r.flags,
  reasons: r.reasons,
  explain: r.explain,
});

/** The deal_attributions table: one row per deal, written once. */
@Injectable()
export class DealAttributionsRepository {
  constructor(private readonly db: DataSource) {}

  /** Inserts the attribution unless the deal has one already: then undefined. */
  async insert(a: DealAttribution): Promise<DealAttribution | undefined> {
    const [row] = await queryRows<AttributionRow>(
      this.db,
      `INSERT INTO deal_attributions (deal_id, store_id, brand_id, staff_id, phone, amount_fen, budget_fen, closed_at, via, channel, campaign, agent_id,
         source_ref, rule_version, flags, reasons, explain)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
       ON CONFLICT (deal_id) DO NOTHING RETURNING *`,
      [
        a.dealId,
        a.storeId,
        a.brandId,
        a.staffId,
        a.phone,
        a.amountFen,
        a.budgetFen,
        a.closedAt,
        a.via,
        a.channel,
        a.campaign,
        a.agentId,
        a.sourceRef,
        a.ruleVersion,
        a.flags,
        a.reasons,
        JSON.stringify(a.explain),
      ],
    );
    return row && toAttribution(row);
  }

  async find(dealId: string): Promise<DealAttribution | undefined> {
    const [row] = await this.db.query<AttributionRow[]>('SELECT * FROM deal_attributions WHERE deal_id = $1', [dealId]);
    return row && toAttribution(row);
  }

  /** The deal's attribution, locked while one of its refunds is clawed back. */
  async lock(dealId: string): Promise<DealAttribution | undefined> {
    const [row] = await this.db.query<AttributionRow[]>('SELECT * FROM deal_attributions WHERE deal_id = $1 FOR UPDATE', [dealId]);
    return row && toAttribution(row);
  }

  /** Flagged deals, newest first, after the cursor's deal id. */
  async flagged(limit: number, afterDealId?: string): Promise<DealAttribution[]> {
    const rows = await this.db.query<AttributionRow[]>(
      `SELECT * FROM deal_attributions WHERE cardinality(flags) > 0 AND ($1::uuid IS NULL OR deal_id < $1) ORDER BY deal_id DESC LIMIT $2`,
      [afterDealId ?? null, limit],
    );
    return rows.map(toAttribution);
  }
}
