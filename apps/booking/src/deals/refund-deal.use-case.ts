import { Injectable } from '@nestjs/common';
import { Actor, BookingRefusal, DealRefundedEvent, ErrorCode, EVENTS, RefundDealMessage, RefundView } from '@o2o/contracts';
import { actorRef, DomainError, newId, notFound, writeEvent } from '@o2o/platform';
import { DataSource } from 'typeorm';
import { dealReader, inScope } from '../bookings/bookings.rules';
import { refunderAllowed, refundOf } from './deals.rules';
import { DealsRepository } from './deals.repository';
import { RefundsRepository, toRefundView } from './refunds.repository';

/**
 * Refunds a closed deal, in one transaction with its event. Partial refunds add up to at most the
 * amount. A full refund of a deal with a card leaves the card's reversal pending: it runs once
 * this commits, from the deal.refunded event, and is retried until coupons takes it.
 */
@Injectable()
export class RefundDealUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly deals: DealsRepository,
    private readonly refunds: RefundsRepository,
  ) {}

  async refund(m: RefundDealMessage, actor: Actor): Promise<RefundView> {
    const deal = await this.deals.lockClosed(m.id.toLowerCase());
    const scope = dealReader(actor);
    if (
      !deal ||
      !scope ||
      !inScope(scope, { storeId: deal.store_id, brandIds: [deal.brand_id] }) ||
      !refunderAllowed(actor, { storeId: deal.store_id, brandId: deal.brand_id })
    ) {
      throw notFound('Deal');
    }
    const check = refundOf({ amountFen: deal.amount_fen, refundedFen: deal.refunded_fen }, m.amountFen);
    if ('refusal' in check) {
      if (check.refusal === BookingRefusal.FullyRefunded)
        throw new DomainError(ErrorCode.Conflict, 'The deal is already fully refunded', undefined, check.refusal);
      const message = `at most ${deal.amount_fen - deal.refunded_fen} fen is left to refund`;
      throw new DomainError(ErrorCode.RuleBroken, message, [{ field: 'amountFen', message }], check.refusal);
    }
    const updated = await this.deals.addRefunded(deal.id, check.amountFen);
    if (!updated) throw new DomainError(ErrorCode.Conflict, 'The deal changed meanwhile');
    const refund = await this.refunds.insert({
      id: newId(),
      deal_id: deal.id,
      amount_fen: check.amountFen,
      reason: m.reason,
      full_refund: check.full,
      refunded_total_fen: updated.refunded_fen,
      card_reversal: check.full && deal.card_no ? 'pending' : 'none',
      refunded_by: actorRef(actor),
    });
    const event: DealRefundedEvent = {
      dealId: deal.id,
      storeId: deal.store_id,
      brandId: deal.brand_id,
      cardNo: deal.card_no,
      refundId: refund.id,
      amountFen: refund.amount_fen,
      refundedTotalFen: refund.refunded_total_fen,
      full: refund.full_refund,
      at: refund.at.toISOString(),
    };
    await writeEvent(this.dataSource.manager, EVENTS.dealRefunded, event);
    return toRefundView(refund);
  }
}
