import { Injectable } from '@nestjs/common';
import { BookingSource, DealItemDto, DealView, maskPhone, RefundView } from '@o2o/contracts';
import { queryRows } from '@o2o/platform';
import { DataSource } from 'typeorm';

export type DealStatus = 'pending' | 'closed' | 'compensating' | 'abandoned';

export interface DealRow {
  id: string;
  request_id: string;
  status: DealStatus;
  store_id: string;
  brand_id: string;
  staff_id: string;
  city: string;
  phone: string;
  customer_name: string | null;
  booking_id: string | null;
  consultation_id: string | null;
  lead_id: string | null;
  card_no: string | null;
  amount_fen: number;
  discount_fen: number;
  refunded_fen: number;
  budget_fen: number | null;
  source: BookingSource | null;
  items: DealItemDto[];
  deadline_at: Date;
  created_by: string | null;
  created_at: Date;
  closed_at: Date | null;
  abandoned_reason: string | null;
}

export type NewDeal = Omit<DealRow, 'status' | 'discount_fen' | 'refunded_fen' | 'created_at' | 'closed_at' | 'abandoned_reason'>;

export interface DealFilter {
  storeId?: string;
  brandId?: string;
  bookingId?: string;
}

const INSERT_COLUMNS = `id, request_id, status, store_id, brand_id, staff_id, city, phone, customer_name, booking_id, consultation_id, lead_id, card_no,
  amount_fen, budget_fen, source, items, deadline_at, created_by, closed_at`;

const insertParams = (d: NewDeal, status: DealStatus, closedAt: Date | null) => [
  d.id,
  d.request_id,
  status,
  d.store_id,
  d.brand_id,
  d.staff_id,
  d.city,
  d.phone,
  d.customer_name,
  d.booking_id,
  d.consultation_id,
  d.lead_id,
  d.card_no,
  d.amount_fen,
  d.budget_fen,
  d.source === null ? null : JSON.stringify(d.source),
  JSON.stringify(d.items),
  d.deadline_at,
  d.created_by,
  closedAt,
];

/**
 * The deals table. A deal with a card is written pending before the card's redemption, closed
 * after it, or compensated (its redemption reversed) and abandoned. Each step is a conditional
 * update on the status, so the saga's driver and its recovery never both win.
 */
@Injectable()
export class DealsRepository {
  constructor(private readonly db: DataSource) {}

  /** Inserts the deal, unless a live one already answers the request: then undefined. */
  async insert(d: NewDeal, status: 'pending' | 'closed', closedAt: Date | null): Promise<DealRow | undefined> {
    const [row] = await queryRows<DealRow>(
      this.db,
      `INSERT INTO deals (${INSERT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
       ON CONFLICT (request_id) WHERE status IN ('pending', 'closed', 'compensating') DO NOTHING RETURNING *`,
      insertParams(d, status, closedAt),
    );
    return row;
  }

  /** The deal a request made and that still stands (pending, closed, or being undone). */
  async findLive(requestId: string): Promise<DealRow | undefined> {
    const [row] = await this.db.query<DealRow[]>(`SELECT * FROM deals WHERE request_id = $1 AND status IN ('pending', 'closed', 'compensating')`, [requestId]);
    return row;
  }

  async find(id: string): Promise<DealRow | undefined> {
    const [row] = await this.db.query<DealRow[]>('SELECT * FROM deals WHERE id = $1', [id]);
    return row;
  }

  /** A closed deal, locked for a refund. */
  async lockClosed(id: string): Promise<DealRow | undefined> {
    const [row] = await this.db.query<DealRow[]>(`SELECT * FROM deals WHERE id = $1 AND status = 'closed' FOR UPDATE`, [id]);
    return row;
  }

  /** The saga's last step: the redemption is done, the deal closes with its discount. */
  async close(id: string, discountFen: number, source: BookingSource | null, closedAt: Date): Promise<DealRow | undefined> {
    const [row] = await queryRows<DealRow>(
      this.db,
      `UPDATE deals SET status = 'closed', discount_fen = $2, source = coalesce($3::jsonb, source), closed_at = $4 WHERE id = $1 AND status = 'pending' RETURNING *`,
      [id, discountFen, source === null ? null : JSON.stringify(source), closedAt],
    );
    return row;
  }

  /** A pending deal whose card was refused: nothing happened, nothing is kept. */
  async discard(id: string): Promise<boolean> {
    const rows = await queryRows(this.db, `DELETE FROM deals WHERE id = $1 AND status = 'pending' RETURNING id`, [id]);
    return rows.length === 1;
  }

  /**
   * Claims a deal for compensation: one being compensated already, a pending one past its
   * caller's deadline (plus grace), or, when its own driver gives up, any pending one.
   */
  async claimForCompensation(id: string, options: { graceMs: number; evenBeforeDeadline: boolean }): Promise<boolean> {
    const rows = await queryRows(
      this.db,
      `UPDATE deals SET status = 'compensating' WHERE id = $1
         AND (status = 'compensating' OR (status = 'pending' AND ($3 OR deadline_at < now() - make_interval(secs => $2 / 1000.0))))
       RETURNING id`,
      [id, options.graceMs, options.evenBeforeDeadline],
    );
    return rows.length === 1;
  }

  async abandon(id: string, reason: string): Promise<void> {
    await this.db.query(`UPDATE deals SET status = 'abandoned', abandoned_reason = $2 WHERE id = $1 AND status = 'compensating'`, [id, reason]);
  }

  /** Deals the saga left unsettled: pending past their deadline (plus grace), or mid-compensation. */
  async unsettled(graceMs: number, limit: number): Promise<string[]> {
    const rows = await this.db.query<{ id: string }[]>(
      `SELECT id FROM deals WHERE status IN ('pending', 'compensating') AND (status = 'compensating' OR deadline_at < now() - make_interval(secs => $1 / 1000.0))
       ORDER BY deadline_at LIMIT $2`,
      [graceMs, limit],
    );
    return rows.map((r) => r.id);
  }

  /** Adds a refund to a closed deal, never past its amount. */
  async addRefunded(id: string, amountFen: number): Promise<DealRow | undefined> {
    const [row] = await queryRows<DealRow>(
      this.db,
      `UPDATE deals SET refunded_fen = refunded_fen + $2 WHERE id = $1 AND status = 'closed' AND refunded_fen + $2 <= amount_fen RETURNING *`,
      [id, amountFen],
    );
    return row;
  }

  /** Closed deals, newest first, after the cursor's id. */
  async page(filter: DealFilter, limit: number, afterId?: string): Promise<DealRow[]> {
    return this.db.query<DealRow[]>(
      `SELECT * FROM deals WHERE status = 'closed' AND ($1::uuid IS NULL OR id < $1) AND ($2::uuid IS NULL OR store_id = $2)
         AND ($3::uuid IS NULL OR brand_id = $3) AND ($4::uuid IS NULL OR booking_id = $4)
       ORDER BY id DESC LIMIT $5`,
      [afterId ?? null, filter.storeId ?? null, filter.brandId ?? null, filter.bookingId ?? null, limit],
    );
  }
}

export function toDealView(row: DealRow, fullPhone: boolean, refunds?: RefundView[]): DealView {
  return {
    id: row.id,
    status: 'closed',
    storeId: row.store_id,
    brandId: row.brand_id,
    staffId: row.staff_id,
    customerPhone: fullPhone ? row.phone : maskPhone(row.phone),
    customerName: row.customer_name,
    bookingId: row.booking_id,
    consultationId: row.consultation_id,
    leadId: row.lead_id,
    ...(row.card_no ? { cardNo: row.card_no } : {}),
    amountFen: row.amount_fen,
    discountFen: row.discount_fen,
    payableFen: row.amount_fen - row.discount_fen,
    refundedFen: row.refunded_fen,
    source: row.source,
    items: row.items.map((i) => ({ productId: i.productId ?? null, skuCode: i.skuCode ?? null, qty: i.qty, priceFen: i.priceFen })),
    closedAt: row.closed_at!.toISOString(),
    ...(refunds ? { refunds } : {}),
  };
}
