import { Injectable } from '@nestjs/common';
import {
  CardExpiredEvent,
  CardIneligibility,
  CardRedeemedEvent,
  CardReversedEvent,
  CardStatus,
  ErrorCode,
  EVENTS,
  RedeemCardMessage,
  RedemptionView,
  ReversalView,
  ReverseRedemptionMessage,
} from '@o2o/contracts';
import { DomainError, isUniqueViolation, notFound, ruleBroken, writeEvent } from '@o2o/platform';
import { DataSource } from 'typeorm';
import { discountFor } from '../campaigns/campaigns.rules';
import { CatalogFactsService } from '../catalog-facts/catalog-facts.service';
import { Card, cardEventFacts, CardsRepository, sourceView } from './cards.repository';
import { effectiveStatus, ineligibility } from './cards.rules';
import { Redemption, RedemptionsRepository } from './redemptions.repository';

const cardUsed = () => new DomainError(ErrorCode.Conflict, 'The card has already been redeemed', undefined, CardIneligibility.Used);

const MESSAGES: Record<CardIneligibility, string> = {
  [CardIneligibility.PendingPayment]: 'The card has not been paid for',
  [CardIneligibility.Used]: 'The card has already been redeemed',
  [CardIneligibility.Expired]: 'The card has expired',
  [CardIneligibility.Void]: 'The card has been voided',
  [CardIneligibility.NotYetValid]: 'The card is not valid yet',
  [CardIneligibility.WrongBrand]: 'The card does not apply to this brand',
  [CardIneligibility.WrongCity]: "The card does not apply in this store's city",
  [CardIneligibility.WrongCategory]: "The card does not apply to this brand's categories",
  [CardIneligibility.UnderMinSpend]: 'The deal is under the minimum spend of the card',
  [CardIneligibility.UnknownStore]: 'The store is not known to the card service yet',
  [CardIneligibility.UnknownBrand]: 'The brand is not known to the card service yet',
};

/** The deal flow's side of cards: redeem when a deal closes, reverse when it is fully refunded. */
@Injectable()
export class RedemptionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cards: CardsRepository,
    private readonly redemptions: RedemptionsRepository,
    private readonly facts: CatalogFactsService,
  ) {}

  /**
   * Redeems a card for a deal, at most once per card and once per deal. A repeat for the same
   * deal and card answers the first redemption; a card already used answers 409 (reason card_used);
   * a card that does not apply answers 422 with the reason.
   */
  async redeem(dto: RedeemCardMessage): Promise<RedemptionView> {
    // No look-up of the deal first: a repeat finds its card redeemed (and then the deal's
    // redemption), or trips the unique deal id, so the common path stays one short transaction.
    try {
      return await this.dataSource.transaction(() => this.redeemOnce(dto));
    } catch (e) {
      // The deal already redeemed a card (another one, or this one before a reversal).
      if (isUniqueViolation(e)) {
        const winner = await this.redemptions.findByDeal(dto.dealId);
        const card = winner && (await this.cards.findByNo(dto.cardNo));
        if (winner && card) return replay(winner, card);
      }
      throw e;
    }
  }

  private async redeemOnce(dto: RedeemCardMessage): Promise<RedemptionView> {
    const card = await this.cards.findByNo(dto.cardNo);
    if (!card) throw notFound('Card');
    const brandId = dto.brandId.toLowerCase();
    const known = await this.facts.about({ storeId: dto.storeId, brandId }, card.terms);
    const reason = ineligibility(card, card.terms, { brandId, amountFen: dto.amountFen, ...known }, new Date());
    if (reason === CardIneligibility.Used) return this.afterLostRace(dto, card);
    if (reason) throw ruleBroken(MESSAGES[reason], reason);
    const discountFen = discountFor(card.terms.benefit, dto.amountFen);

    const redeemedAt = await this.cards.markRedeemed(card.id);
    if (!redeemedAt) return this.afterLostRace(dto, card);
    await this.redemptions.insert({ cardId: card.id, dealId: dto.dealId, storeId: dto.storeId, brandId, amountFen: dto.amountFen, discountFen, redeemedAt });
    const event: CardRedeemedEvent = {
      ...cardEventFacts(card),
      phone: card.phone,
      dealId: dto.dealId,
      storeId: dto.storeId,
      brandId,
      amountFen: dto.amountFen,
      discountFen,
      redeemedAt: redeemedAt.toISOString(),
    };
    await writeEvent(this.dataSource.manager, EVENTS.cardRedeemed, event);
    return redemptionView({ dealId: dto.dealId, amountFen: dto.amountFen, discountFen, redeemedAt }, card);
  }

  /**
   * Undoes a deal's redemption after a full refund. The card is active again while within its
   * validity, and expired otherwise. Repeats answer the first reversal.
   */
  async reverse(dto: ReverseRedemptionMessage): Promise<ReversalView> {
    return this.dataSource.transaction(async () => {
      const undone = await this.redemptions.reverse(dto.dealId, dto.reason ?? null);
      if (!undone) {
        const earlier = await this.redemptions.findByDeal(dto.dealId);
        const card = earlier && (await this.cards.findById(earlier.cardId));
        if (!earlier || !card) throw notFound('Redemption for this deal');
        return { cardNo: card.cardNo, dealId: dto.dealId, status: effectiveStatus(card, new Date()), reversedAt: earlier.reversedAt!.toISOString() };
      }
      const card = await this.cards.unredeem(undone.cardId);
      if (!card) throw new DomainError(ErrorCode.Conflict, 'The card of this redemption is not redeemed');
      const reversedAt = undone.reversedAt.toISOString();
      const reversed: CardReversedEvent = { ...cardEventFacts(card), dealId: dto.dealId, status: card.status, reversedAt };
      await writeEvent(this.dataSource.manager, EVENTS.cardReversed, reversed);
      if (card.status === CardStatus.Expired) {
        const expired: CardExpiredEvent = { ...cardEventFacts(card), validTo: card.validTo.toISOString(), expiredAt: reversedAt };
        await writeEvent(this.dataSource.manager, EVENTS.cardExpired, expired);
      }
      return { cardNo: card.cardNo, dealId: dto.dealId, status: card.status, reversedAt };
    });
  }

  /** The card was redeemed by someone else first: the same deal (a retry) or another one. */
  private async afterLostRace(dto: RedeemCardMessage, card: Card): Promise<RedemptionView> {
    const winner = await this.redemptions.findByDeal(dto.dealId);
    if (winner) return replay(winner, card);
    const now = await this.cards.findById(card.id);
    const status = now ? effectiveStatus(now, new Date()) : undefined;
    if (status === CardStatus.Expired) throw ruleBroken(MESSAGES[CardIneligibility.Expired], CardIneligibility.Expired);
    if (status === CardStatus.Void) throw ruleBroken(MESSAGES[CardIneligibility.Void], CardIneligibility.Void);
    throw cardUsed();
  }
}

function redemptionView(r: Pick<Redemption, 'dealId' | 'amountFen' | 'discountFen' | 'redeemedAt'>, card: Card): RedemptionView {
  return {
    cardNo: card.cardNo,
    dealId: r.dealId,
    campaignId: card.campaignId,
    amountFen: r.amountFen,
    discountFen: r.discountFen,
    payableFen: r.amountFen - r.discountFen,
    redeemedAt: r.redeemedAt.toISOString(),
    source: sourceView(card.source),
  };
}

/** The first answer again, when the repeat is for the same card and the redemption still stands. */
function replay(r: Redemption, card: Card): RedemptionView {
  if (r.cardId !== card.id) throw new DomainError(ErrorCode.Conflict, 'This deal has already redeemed another card');
  if (r.reversedAt) throw new DomainError(ErrorCode.Conflict, "This deal's redemption has been reversed");
  return redemptionView(r, card);
}
