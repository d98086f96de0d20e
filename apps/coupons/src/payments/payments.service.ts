import { Injectable } from '@nestjs/common';
import { CardActivatedEvent, CardStatus, CompletePaymentMessage, ErrorCode, EVENTS, PaymentCompletionView } from '@o2o/contracts';
import { DomainError, notFound, ruleBroken, writeEvent } from '@o2o/platform';
import { DataSource } from 'typeorm';
import { CampaignsRepository } from '../campaigns/campaigns.repository';
import { cardEventFacts, CardsRepository } from '../cards/cards.repository';
import { effectiveStatus } from '../cards/cards.rules';
import { PaymentOrdersRepository } from './payment-orders.repository';
import { PaymentProviders } from './payment-provider';

/** A card's payment: completed once by its provider's word, or expired and its place given back. */
@Injectable()
export class PaymentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly providers: PaymentProviders,
    private readonly orders: PaymentOrdersRepository,
    private readonly cards: CardsRepository,
    private readonly campaigns: CampaignsRepository,
  ) {}

  /**
   * Records a payment and activates its card, exactly once. Concurrent or repeated callbacks
   * queue on the order row; only the first finds it pending, the others answer what it did.
   */
  async complete(dto: CompletePaymentMessage): Promise<PaymentCompletionView> {
    const confirmed = await this.providers.get(dto.provider).confirm({ orderId: dto.orderId, body: dto.body, headers: dto.headers });
    return this.dataSource.transaction(async () => {
      const order = await this.orders.markPaid(confirmed.orderId, dto.provider, confirmed.providerRef);
      if (!order) return this.alreadySettled(confirmed.orderId, dto.provider);
      if (confirmed.amountFen !== undefined && confirmed.amountFen !== order.amountFen) {
        throw ruleBroken(`Paid ${confirmed.amountFen} fen for an order of ${order.amountFen} fen`, 'amount_mismatch');
      }
      const card = await this.cards.activate(order.cardId);
      if (!card) throw new DomainError(ErrorCode.Conflict, 'The card is no longer waiting for payment');
      const event: CardActivatedEvent = {
        ...cardEventFacts(card),
        phone: card.phone,
        orderId: order.id,
        amountFen: order.amountFen,
        validFrom: card.validFrom.toISOString(),
        validTo: card.validTo.toISOString(),
        activatedAt: card.activatedAt.toISOString(),
      };
      await writeEvent(this.dataSource.manager, EVENTS.cardActivated, event);
      return { orderId: order.id, status: 'paid', cardNo: card.cardNo, cardStatus: CardStatus.Active, activatedNow: true };
    });
  }

  private async alreadySettled(orderId: string, provider: string): Promise<PaymentCompletionView> {
    const order = await this.orders.findById(orderId, provider);
    const card = order && (await this.cards.findById(order.cardId));
    if (!order || !card) throw notFound('Payment order');
    if (order.status !== 'paid')
      throw new DomainError(ErrorCode.Conflict, 'The payment order has expired and its card was released', undefined, 'payment_expired');
    return { orderId, status: 'paid', cardNo: card.cardNo, cardStatus: effectiveStatus(card, new Date()), activatedNow: false };
  }

  /**
   * Expires an order still unpaid at its deadline: its card is released and its place goes back
   * to the campaign and phone limits. A paid or already expired order is left alone.
   */
  async expireOrder(orderId: string): Promise<boolean> {
    return this.dataSource.transaction(async () => {
      const order = await this.orders.expire(orderId);
      if (!order) return false;
      const campaignId = await this.cards.releaseUnpaid(order.cardId);
      if (campaignId) await this.campaigns.givePlaceBack(campaignId);
      return true;
    });
  }

  /** Orders past their deadline that no timer expired (a lost job, Redis down at purchase). */
  async expireOverdueOrders(batch = 500): Promise<number> {
    let expired = 0;
    for (const id of await this.orders.overdue(batch)) if (await this.expireOrder(id)) expired++;
    return expired;
  }
}
