import { Injectable } from '@nestjs/common';
import { queryRows } from '@o2o/platform';
import { DataSource } from 'typeorm';

export type PaymentOrderStatus = 'pending' | 'paid' | 'expired';

interface PaymentOrderRow {
  id: string;
  card_id: string;
  provider: string;
  amount_fen: number;
  status: PaymentOrderStatus;
  provider_ref: string | null;
  created_at: Date;
  expires_at: Date;
  paid_at: Date | null;
  expired_at: Date | null;
}

/** What the buyer owes for one card, with the provider that collects it. */
export interface PaymentOrder {
  id: string;
  cardId: string;
  provider: string;
  amountFen: number;
  status: PaymentOrderStatus;
  providerRef: string | null;
  createdAt: Date;
  expiresAt: Date;
  paidAt: Date | null;
  expiredAt: Date | null;
}

const toOrder = (r: PaymentOrderRow): PaymentOrder => ({
  id: r.id,
  cardId: r.card_id,
  provider: r.provider,
  amountFen: r.amount_fen,
  status: r.status,
  providerRef: r.provider_ref,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  paidAt: r.paid_at,
  expiredAt: r.expired_at,
});

/** The payment_orders table. An order is paid or expired once, by a conditional UPDATE from pending. */
@Injectable()
export class PaymentOrdersRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A pending order that expires ttlSeconds from now, by the database's clock. */
  async insertPending(order: { id: string; cardId: string; provider: string; amountFen: number; ttlSeconds: number }): Promise<PaymentOrder> {
    const [row] = await queryRows<PaymentOrderRow>(
      this.dataSource,
      `INSERT INTO payment_orders (id, card_id, provider, amount_fen, status, expires_at)
       VALUES ($1, $2, $3, $4, 'pending', now() + make_interval(secs => $5)) RETURNING *`,
      [order.id, order.cardId, order.provider, order.amountFen, order.ttlSeconds],
    );
    return toOrder(row!);
  }

  async findById(id: string, provider: string): Promise<PaymentOrder | undefined> {
    const [row] = await this.dataSource.query<PaymentOrderRow[]>('SELECT * FROM payment_orders WHERE id = $1 AND provider = $2', [id, provider]);
    return row && toOrder(row);
  }

  /**
   * pending → paid; undefined when the order is not pending. Concurrent or repeated callbacks
   * queue on the order row; only the first finds it pending.
   */
  async markPaid(id: string, provider: string, providerRef: string): Promise<PaymentOrder | undefined> {
    const [row] = await queryRows<PaymentOrderRow>(
      this.dataSource,
      `UPDATE payment_orders SET status = 'paid', paid_at = now(), provider_ref = $3
        WHERE id = $1 AND provider = $2 AND status = 'pending' RETURNING *`,
      [id, provider, providerRef],
    );
    return row && toOrder(row);
  }

  /** pending and past its deadline → expired; answers the order, or undefined when paid, expired or not due. */
  async expire(id: string): Promise<PaymentOrder | undefined> {
    const [row] = await queryRows<PaymentOrderRow>(
      this.dataSource,
      `UPDATE payment_orders SET status = 'expired', expired_at = now()
        WHERE id = $1 AND status = 'pending' AND expires_at <= now() RETURNING *`,
      [id],
    );
    return row && toOrder(row);
  }

  /** Ids of pending orders past their deadline, oldest first. */
  async overdue(limit: number): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM payment_orders WHERE status = 'pending' AND expires_at <= now() ORDER BY expires_at LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.id);
  }
}
