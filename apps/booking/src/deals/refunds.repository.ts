import { Injectable } from '@nestjs/common';
import { RefundView } from '@o2o/contracts';
import { queryRows } from '@o2o/platform';
import { DataSource } from 'typeorm';

export interface RefundRow {
  id: string;
  deal_id: string;
  amount_fen: number;
  reason: string;
  full_refund: boolean;
  refunded_total_fen: number;
  card_reversal: 'none' | 'pending' | 'done';
  refunded_by: string | null;
  at: Date;
}

export const toRefundView = (r: RefundRow): RefundView => ({
  id: r.id,
  dealId: r.deal_id,
  amountFen: r.amount_fen,
  reason: r.reason,
  full: r.full_refund,
  refundedTotalFen: r.refunded_total_fen,
  cardReversal: r.card_reversal,
  at: r.at.toISOString(),
});

/** The refunds table. */
@Injectable()
export class RefundsRepository {
  constructor(private readonly db: DataSource) {}

  async insert(r: Omit<RefundRow, 'at'>): Promise<RefundRow> {
    const [row] = await queryRows<RefundRow>(
      this.db,
      `INSERT INTO refunds (id, deal_id, amount_fen, reason, full_refund, refunded_total_fen, card_reversal, refunded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
      [r.id, r.deal_id, r.amount_fen, r.reason, r.full_refund, r.refunded_total_fen, r.card_reversal, r.refunded_by],
    );
    return row;
  }

  async ofDeal(dealId: string): Promise<RefundRow[]> {
    return this.db.query<RefundRow[]>('SELECT * FROM refunds WHERE deal_id = $1 ORDER BY at, id', [dealId]);
  }

  async markReversed(refundId: string): Promise<void> {
    await this.db.query(`UPDATE refunds SET card_reversal = 'done' WHERE id = $1 AND card_reversal = 'pending'`, [refundId]);
  }
}
