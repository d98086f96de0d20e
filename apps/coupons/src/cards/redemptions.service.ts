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
  RedemptionResult,
  ReversalResult,
  ReverseRedemptionMessage,
} from '@o2o/contracts';
import { DomainError, isUniqueViolation, newId, notFound, queryRows, ruleBroken, writeEvent } from '@o2o/platform';
import { DataSource, EntityManager } from 'typeorm';
import { discountFor } from '../campaigns/benefit';
import { CatalogFactsService } from '../catalog-facts/catalog-facts.service';
import { CardRow, eventFactsOf, findCard, sourceOf, stateOf, termsOf } from './card-row';
import { effectiveStatus, ineligibility } from './eligibility';

interface RedemptionRow {
  deal_id: string;
  amount_fen: number;
  discount_fen: number;
  redeemed_at: Date;
  reversed_at: Date | null;
  card_no: string;
  campaign_id: string;
  card_status: CardStatus;
  valid_from: Date | null;
  valid_to: Date | null;
  channel: CardRow['channel'];
  source_campaign: string | null;
  agent_id: string | null;
  visitor_id: string | null;
}

const SELECT_REDEMPTION = `
  SELECT r.deal_id, r.amount_fen, r.discount_fen, r.redeemed_at, r.reversed_at,
         k.card_no, k.campaign_id, k.status AS card_status, k.valid_from, k.valid_to,
         k.channel, k.source_campaign, k.agent_id, k.visitor_id
    FROM redemptions r JOIN cards k ON k.id = r.card_id`;

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
    private readonly facts: CatalogFactsService,
  ) {}

  /**
   * Redeems a card for a deal, at most once per card and once per deal. A repeat for the same
   * deal and card answers the first redemption; a card already used answers 409 (reason card_used);
   * a card that does not apply answers 422 with the reason.
   */
  async redeem(dto: RedeemCardMessage): Promise<RedemptionResult> {
    // No look-up of the deal first: a repeat finds its card redeemed (and then the deal's
    // redemption), or trips the unique deal id, so the common path stays one short transaction.
    try {
      return await this.dataSource.transaction((m) => this.redeemIn(m, dto));
    } catch (e) {
      // The deal already redeemed a card (another one, or this one before a reversal).
      if (isUniqueViolation(e)) {
        const winner = await this.findRedemption(this.dataSource.manager, dto.dealId);
        if (winner) return replay(winner, dto.cardNo);
      }
      throw e;
    }
  }

  private async redeemIn(m: EntityManager, dto: RedeemCardMessage): Promise<RedemptionResult> {
    const row = await findCard(m, dto.cardNo);
    if (!row) throw notFound('Card');
    const terms = termsOf(row);
    const brandId = dto.brandId.toLowerCase();
    const deal = await this.facts.dealFacts(m, terms, { storeId: dto.storeId, brandId, amountFen: dto.amountFen });
    const reason = ineligibility(stateOf(row), terms, deal, new Date());
    if (reason === CardIneligibility.Used) return this.afterLostRace(m, dto);
    if (reason) throw ruleBroken(MESSAGES[reason], reason);
    const discountFen = discountFor(terms.benefit, dto.amountFen);

    // The state change itself is conditional: of any number of concurrent redemptions, one
    // finds the card active and the others wait on its row, then find it redeemed.
    const [redeemed] = await queryRows<{ redeemed_at: Date }>(
        m,
      `UPDATE cards SET status = 'redeemed', redeemed_at = now()
        WHERE id = $1 AND status = 'active' AND valid_to > now() RETURNING redeemed_at`,
      [row.id],
    );
    if (!redeemed) return this.afterLostRace(m, dto);
    await m.query(
      `INSERT INTO redemptions (id, card_id, deal_id, store_id, brand_id, amount_fen, discount_fen, redeemed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [newId(), row.id, dto.dealId, dto.storeId, brandId, dto.amountFen, discountFen, redeemed.redeemed_at],
    );
    const event: CardRedeemedEvent = {
      ...eventFactsOf(row),
      phone: row.phone,
      dealId: dto.dealId,
      storeId: dto.storeId,
      brandId,
      amountFen: dto.amountFen,
      discountFen,
      redeemedAt: redeemed.redeemed_at.toISOString(),
    };
    await writeEvent(m, EVENTS.cardRedeemed, event);
    return {
      cardNo: row.card_no,
      dealId: dto.dealId,
      campaignId: row.campaign_id,
      amountFen: dto.amountFen,
      discountFen,
      payableFen: dto.amountFen - discountFen,
      redeemedAt: redeemed.redeemed_at.toISOString(),
      source: fullSource(row),
    };
  }

  /**
   * Undoes a deal's redemption after a full refund. The card is active again while within its
   * validity, and expired otherwise. Repeats answer the first reversal.
   */
  async reverse(dto: ReverseRedemptionMessage): Promise<ReversalResult> {
    return this.dataSource.transaction(async (m) => {
      const [undone] = await queryRows<{ card_id: string; reversed_at: Date }>(
        m,
        `UPDATE redemptions SET reversed_at = now(), reverse_reason = $2 WHERE deal_id = $1 AND reversed_at IS NULL RETURNING card_id, reversed_at`,
        [dto.dealId, dto.reason ?? null],
      );
      if (!undone) {
        const earlier = await this.findRedemption(m, dto.dealId);
        if (!earlier) throw notFound('Redemption for this deal');
        return {
          cardNo: earlier.card_no,
          dealId: dto.dealId,
          status: effectiveStatus({ status: earlier.card_status, validFrom: earlier.valid_from, validTo: earlier.valid_to }, new Date()),
          reversedAt: earlier.reversed_at!.toISOString(),
        };
      }
      const [card] = await queryRows<Pick<CardRow, 'id' | 'card_no' | 'campaign_id' | 'channel' | 'source_campaign' | 'agent_id' | 'visitor_id' | 'brand_ids'> & { status: CardStatus.Active | CardStatus.Expired; valid_to: Date }>(
        m,
          `UPDATE cards k SET status = CASE WHEN k.valid_to > now() THEN 'active' ELSE 'expired' END,
                  redeemed_at = NULL,
                  expired_at = CASE WHEN k.valid_to > now() THEN NULL ELSE now() END
             FROM campaigns c
            WHERE k.id = $1 AND k.status = 'redeemed' AND c.id = k.campaign_id
            RETURNING k.id, k.card_no, k.campaign_id, k.channel, k.source_campaign, k.agent_id, k.visitor_id, k.status, k.valid_to, c.brand_ids`,
          [undone.card_id],
        );
      if (!card) throw new DomainError(ErrorCode.Conflict, 'The card of this redemption is not redeemed');
      const reversedAt = undone.reversed_at.toISOString();
      const reversed: CardReversedEvent = { ...eventFactsOf(card), dealId: dto.dealId, status: card.status, reversedAt };
      await writeEvent(m, EVENTS.cardReversed, reversed);
      if (card.status === CardStatus.Expired) {
        const expired: CardExpiredEvent = { ...eventFactsOf(card), validTo: card.valid_to.toISOString(), expiredAt: reversedAt };
        await writeEvent(m, EVENTS.cardExpired, expired);
      }
      return { cardNo: card.card_no, dealId: dto.dealId, status: card.status, reversedAt };
    });
  }

  /** The card was redeemed by someone else first: the same deal (a retry) or another one. */
  private async afterLostRace(m: EntityManager, dto: RedeemCardMessage): Promise<RedemptionResult> {
    const winner = await this.findRedemption(m, dto.dealId);
    if (winner) return replay(winner, dto.cardNo);
    const card = await findCard(m, dto.cardNo);
    const status = card ? effectiveStatus(stateOf(card), new Date()) : undefined;
    if (status === CardStatus.Expired) throw ruleBroken(MESSAGES[CardIneligibility.Expired], CardIneligibility.Expired);
    if (status === CardStatus.Void) throw ruleBroken(MESSAGES[CardIneligibility.Void], CardIneligibility.Void);
    throw cardUsed();
  }

  private async findRedemption(m: EntityManager, dealId: string): Promise<RedemptionRow | undefined> {
    const [row]: RedemptionRow[] = await m.query(`${SELECT_REDEMPTION} WHERE r.deal_id = $1`, [dealId]);
    return row;
  }
}

/** The first answer again, when the repeat is for the same card and the redemption still stands. */
function replay(r: RedemptionRow, cardNo: string): RedemptionResult {
  if (r.card_no !== cardNo) throw new DomainError(ErrorCode.Conflict, 'This deal has already redeemed another card');
  if (r.reversed_at) throw new DomainError(ErrorCode.Conflict, "This deal's redemption has been reversed");
  return {
    cardNo: r.card_no,
    dealId: r.deal_id,
    campaignId: r.campaign_id,
    amountFen: r.amount_fen,
    discountFen: r.discount_fen,
    payableFen: r.amount_fen - r.discount_fen,
    redeemedAt: r.redeemed_at.toISOString(),
    source: fullSource(r),
  };
}

function fullSource(r: Pick<CardRow, 'channel' | 'source_campaign' | 'agent_id' | 'visitor_id'>): RedemptionResult['source'] {
  const s = sourceOf(r);
  return {
    channel: s.channel,
    ...(s.campaign !== null ? { campaign: s.campaign } : {}),
    ...(s.agentId !== null ? { agentId: s.agentId } : {}),
    ...(s.visitorId !== null ? { visitorId: s.visitorId } : {}),
  };
}
