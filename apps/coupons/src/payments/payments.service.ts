import { Injectable } from '@nestjs/common';
import { CardActivatedEvent, CardStatus, CompletePaymentDto, ErrorCode, EVENTS, PaymentCompletion } from '@o2o/contracts';
import { DomainError, notFound, queryRows, ruleBroken, writeEvent } from '@o2o/platform';
import { DataSource, EntityManager } from 'typeorm';
import { CardRow, eventFactsOf } from '../cards/card-row';
import { effectiveStatus } from '../cards/eligibility';
import { PaymentProviders } from './payment-provider';

interface PaidOrder {
  id: string;
  card_id: string;
  amount_fen: number;
}

type ActivatedCard = Pick<CardRow, 'id' | 'card_no' | 'campaign_id' | 'phone' | 'channel' | 'source_campaign' | 'agent_id' | 'visitor_id' | 'brand_ids'> & {
  valid_from: Date;
  valid_to: Date;
  activated_at: Date;
};

@Injectable()
export class PaymentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly providers: PaymentProviders,
  ) {}

  /**
   * Records a payment and activates its card, exactly once. Concurrent or repeated callbacks
   * queue on the order row; only the first finds it pending, the others answer what it did.
   */
  async complete(dto: CompletePaymentDto): Promise<PaymentCompletion> {
    const confirmed = await this.providers.get(dto.provider).confirm({ orderId: dto.orderId, body: dto.body, headers: dto.headers });
    return this.dataSource.transaction(async (m) => {
      const [order] = await queryRows<PaidOrder>(
        m,
        `UPDATE payment_orders SET status = 'paid', paid_at = now(), provider_ref = $3
          WHERE id = $1 AND provider = $2 AND status = 'pending' RETURNING id, card_id, amount_fen`,
        [confirmed.orderId, dto.provider, confirmed.providerRef],
      );
      if (!order) return this.alreadySettled(m, confirmed.orderId, dto.provider);
      if (confirmed.amountFen !== undefined && confirmed.amountFen !== order.amount_fen) {
        throw ruleBroken(`Paid ${confirmed.amountFen} fen for an order of ${order.amount_fen} fen`, 'amount_mismatch');
      }
      // A card valid for some days after issue starts its validity now that it is paid for.
      const [card] = await queryRows<ActivatedCard>(
        m,
        `UPDATE cards k SET status = 'active', activated_at = now(),
                valid_from = CASE WHEN c.valid_days_after_issue IS NULL THEN k.valid_from ELSE now() END,
                valid_to = CASE WHEN c.valid_days_after_issue IS NULL THEN k.valid_to ELSE now() + make_interval(days => c.valid_days_after_issue) END
           FROM campaigns c
          WHERE k.id = $1 AND k.status = 'pending_payment' AND c.id = k.campaign_id
          RETURNING k.id, k.card_no, k.campaign_id, k.phone, k.channel, k.source_campaign, k.agent_id, k.visitor_id,
                    k.valid_from, k.valid_to, k.activated_at, c.brand_ids`,
        [order.card_id],
      );
      if (!card) throw new DomainError(ErrorCode.Conflict, 'The card is no longer waiting for payment');
      const event: CardActivatedEvent = {
        ...eventFactsOf(card),
        phone: card.phone,
        orderId: order.id,
        amountFen: order.amount_fen,
        validFrom: card.valid_from.toISOString(),
        validTo: card.valid_to.toISOString(),
        activatedAt: card.activated_at.toISOString(),
      };
      await writeEvent(m, EVENTS.cardActivated, event);
      return { orderId: order.id, status: 'paid', cardNo: card.card_no, cardStatus: CardStatus.Active, activatedNow: true };
    });
  }

  private async alreadySettled(m: EntityManager, orderId: string, provider: string): Promise<PaymentCompletion> {
    const [row]: { status: string; card_no: string; card_status: CardStatus; valid_from: Date | null; valid_to: Date | null }[] = await m.query(
      `SELECT o.status, k.card_no, k.status AS card_status, k.valid_from, k.valid_to
         FROM payment_orders o JOIN cards k ON k.id = o.card_id WHERE o.id = $1 AND o.provider = $2`,
      [orderId, provider],
    );
    if (!row) throw notFound('Payment order');
    if (row.status !== 'paid') throw new DomainError(ErrorCode.Conflict, 'The payment order has expired and its card was released', undefined, 'payment_expired');
    const cardStatus = effectiveStatus({ status: row.card_status, validFrom: row.valid_from, validTo: row.valid_to }, new Date());
    return { orderId, status: 'paid', cardNo: row.card_no, cardStatus, activatedNow: false };
  }

  /**
   * Expires an order still unpaid at its deadline: its card is released and its place goes back
   * to the campaign and phone limits. A paid or already expired order is left alone.
   */
  async expireOrder(orderId: string): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      const [order] = await queryRows<{ card_id: string }>(
        m,
        `UPDATE payment_orders SET status = 'expired', expired_at = now()
          WHERE id = $1 AND status = 'pending' AND expires_at <= now() RETURNING card_id`,
        [orderId],
      );
      if (!order) return false;
      const [card] = await queryRows<{ campaign_id: string }>(
        m,
        `UPDATE cards SET status = 'void', voided_at = now(), void_reason = 'payment_expired'
          WHERE id = $1 AND status = 'pending_payment' RETURNING campaign_id`,
        [order.card_id],
      );
      if (card) await m.query('UPDATE campaigns SET issued = issued - 1 WHERE id = $1', [card.campaign_id]);
      return true;
    });
  }

  /** Orders past their deadline that no timer expired (a lost job, Redis down at purchase). */
  async expireOverdueOrders(batch = 500): Promise<number> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM payment_orders WHERE status = 'pending' AND expires_at <= now() ORDER BY expires_at LIMIT $1`,
      [batch],
    );
    let expired = 0;
    for (const row of rows) if (await this.expireOrder(row.id)) expired++;
    return expired;
  }
}
