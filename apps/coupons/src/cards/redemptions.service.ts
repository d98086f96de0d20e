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
  RedemptionRefusal,
  RedemptionView,
  ReversalView,
  ReverseRedemptionMessage,
} from '@o2o/contracts';
import { commandTransaction, DomainError, notFound, ruleBroken, writeEvent } from '@o2o/platform';
import { DataSource } from 'typeorm';
import { discountFor } from '../campaigns/campaigns.rules';
import { CatalogFactsService } from '../catalog-facts/catalog-facts.service';
import { Card, cardEventFacts, CardsRepository, sourceView } from './cards.repository';
import { effectiveStatus, ineligibility } from './cards.rules';
import { DealRecord, Redemption, RedemptionsRepository, Tombstone } from './redemptions.repository';

const cardUsed = () => new DomainError(ErrorCode.Conflict, 'The card has already been redeemed', undefined, CardIneligibility.Used);
const dealAbandoned = () =>
  new DomainError(ErrorCode.Conflict, 'This deal was given up before it redeemed a card: it cannot redeem one', undefined, RedemptionRefusal.DealAbandoned);

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
   * a deal reversed before it redeemed answers 409 (reason deal_abandoned); a card that does not
   * apply answers 422 with the reason.
   */
  async redeem(dto: RedeemCardMessage): Promise<RedemptionView> {
    // No look-up of the deal first: a repeat finds its card redeemed (and then the deal's
    // redemption), or the deal's row, so the common path stays one short transaction. Inside a
    // command it is the command's transaction as is: nothing here goes on after a failed
    // statement, so it needs no savepoint (two round trips).
    const tx = commandTransaction.getStore();
    return tx && !tx.closed ? this.redeemOnce(dto) : this.dataSource.transaction(() => this.redeemOnce(dto));
  }

  /** A card read, then one statement that changes it and writes its redemption and event. */
  private async redeemOnce(dto: RedeemCardMessage): Promise<RedemptionView> {
    const read = await this.cards.findByNoWithNow(dto.cardNo);
    if (!read) throw notFound('Card');
    const { card } = read;
    const brandId = dto.brandId.toLowerCase();
    const known = await this.facts.about({ storeId: dto.storeId, brandId }, card.terms);
    const reason = ineligibility(card, card.terms, { brandId, amountFen: dto.amountFen, ...known }, new Date());
    if (reason === CardIneligibility.Used) return this.afterLostRace(dto, card);
    if (reason) throw ruleBroken(MESSAGES[reason], reason);
    const discountFen = discountFor(card.terms.benefit, dto.amountFen);

    // The statement stamps redeemed_at with now(), the transaction's start, as read with the card.
    const event: CardRedeemedEvent = {
      ...cardEventFacts(card),
      phone: card.phone,
      dealId: dto.dealId,
      storeId: dto.storeId,
      brandId,
      amountFen: dto.amountFen,
      discountFen,
      redeemedAt: read.now.toISOString(),
    };
    const done = await this.redemptions.redeem(
      { cardId: card.id, dealId: dto.dealId, storeId: dto.storeId, brandId, amountFen: dto.amountFen, discountFen },
      event,
    );
    // Not active and valid when its row lock came free, or the deal already had its row.
    if (!done.cardRedeemed) return this.afterLostRace(dto, card);
    if (!done.recorded) {
      // The deal's row (a redemption of another card, or a tombstone) committed while the insert
      // waited on the deal id: undo the card's change, as a rollback would, and answer as a repeat.
      await this.cards.undoMarkRedeemed(card.id);
      const winner = await this.redemptions.findByDeal(dto.dealId);
      if (winner) return replay(winner, card);
      throw cardUsed();
    }
    return redemptionView({ dealId: dto.dealId, amountFen: dto.amountFen, discountFen, redeemedAt: done.redeemedAt! }, card);
  }

  /**
   * Undoes a deal's redemption after a full refund, or after the deal flow gave up on the deal.
   * The card is active again while within its validity, and expired otherwise. A deal not seen
   * redeemed gets a tombstone instead, so that a redeem of it still in flight can never win.
   * Repeats answer the first reversal.
   */
  async reverse(dto: ReverseRedemptionMessage): Promise<ReversalView> {
    const reason = dto.reason ?? null;
    return this.dataSource.transaction(async () => {
      // Each statement sees what committed before it (read committed). A redeem of the deal that
      // commits between them shows up in the next one, and the second round reverses it: rows
      // are never deleted, and a reversed row stays reversed, so two rounds always settle.
      for (let round = 0; round < 2; round++) {
        const undone = await this.redemptions.reverse(dto.dealId, reason);
        if (undone) return this.undo(undone);
        const earlier = await this.redemptions.findByDeal(dto.dealId);
        if (earlier?.reversedAt) return this.reversalOf(earlier, earlier.reversedAt);
        if (earlier) continue; // redeemed and committed since the update: reverse it
        // Waits for a redeem of the deal that is not committed yet; nothing written if it commits.
        const tombstone = await this.redemptions.entomb(dto.dealId, reason);
        if (tombstone) return tombstoneView(tombstone);
      }
      throw new Error(`The reversal of deal ${dto.dealId} did not settle`);
    });
  }

  private async undo(undone: Redemption & { reversedAt: Date }): Promise<ReversalView> {
    const card = await this.cards.unredeem(undone.cardId);
    if (!card) throw new DomainError(ErrorCode.Conflict, 'The card of this redemption is not redeemed');
    const reversedAt = undone.reversedAt.toISOString();
    const reversed: CardReversedEvent = { ...cardEventFacts(card), dealId: undone.dealId, status: card.status, reversedAt };
    await writeEvent(this.dataSource.manager, EVENTS.cardReversed, reversed);
    if (card.status === CardStatus.Expired) {
      const expired: CardExpiredEvent = { ...cardEventFacts(card), validTo: card.validTo.toISOString(), expiredAt: reversedAt };
      await writeEvent(this.dataSource.manager, EVENTS.cardExpired, expired);
    }
    return { cardNo: card.cardNo, dealId: undone.dealId, status: card.status, wasRedeemed: true, reversedAt };
  }

  /** The first answer to a reversal, again. */
  private async reversalOf(earlier: DealRecord, reversedAt: Date): Promise<ReversalView> {
    if (earlier.kind === 'tombstone') return tombstoneView(earlier);
    const card = await this.cards.findById(earlier.cardId);
    if (!card?.validTo) throw notFound('Card of this redemption');
    // As unredeem decided it then, whatever the card has done since.
    const status = card.validTo > reversedAt ? CardStatus.Active : CardStatus.Expired;
    return { cardNo: card.cardNo, dealId: earlier.dealId, status, wasRedeemed: true, reversedAt: reversedAt.toISOString() };
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

const tombstoneView = (t: Tombstone): ReversalView => ({
  cardNo: null,
  dealId: t.dealId,
  status: null,
  wasRedeemed: false,
  reversedAt: t.reversedAt.toISOString(),
});

/** The first answer again, when the repeat is for the same card and the redemption still stands. */
function replay(r: DealRecord, card: Card): RedemptionView {
  if (r.kind === 'tombstone') throw dealAbandoned();
  if (r.cardId !== card.id) throw new DomainError(ErrorCode.Conflict, 'This deal has already redeemed another card');
  if (r.reversedAt) throw new DomainError(ErrorCode.Conflict, "This deal's redemption has been reversed");
  return redemptionView(r, card);
}
