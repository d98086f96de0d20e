import { Injectable } from '@nestjs/common';
import { CardSourcePayload, CardSourceView, CardStatus, CardView, Channel, maskPhone } from '@o2o/contracts';
import { queryRows } from '@o2o/platform';
import { DataSource } from 'typeorm';
import { campaignTermsColumns, CampaignTermsRow, termsOf } from '../campaigns/campaigns.repository';
import { benefitView, CampaignTerms } from '../campaigns/campaigns.rules';
import { RedeemedCounts } from '../campaigns/redeemed-counts';
import { effectiveStatus } from './cards.rules';

/** A card with the terms of its campaign, as every query here reads it. */
interface CardRow extends CampaignTermsRow {
  id: string;
  card_no: string;
  campaign_id: string;
  phone: string;
  status: CardStatus;
  channel: Channel;
  source_campaign: string | null;
  agent_id: string | null;
  visitor_id: string | null;
  valid_from: Date | null;
  valid_to: Date | null;
  issued_at: Date;
  activated_at: Date | null;
  redeemed_at: Date | null;
  expired_at: Date | null;
  voided_at: Date | null;
  void_reason: string | null;
}

const CARD_COLUMNS = `k.id, k.card_no, k.campaign_id, k.phone, k.status, k.channel, k.source_campaign, k.agent_id, k.visitor_id,
  k.valid_from, k.valid_to, k.issued_at, k.activated_at, k.redeemed_at, k.expired_at, k.voided_at, k.void_reason, ${campaignTermsColumns('c')}`;

const SELECT_CARD = `SELECT ${CARD_COLUMNS} FROM cards k JOIN campaigns c ON c.id = k.campaign_id`;

/** One privilege card, with its full online source and the terms of its campaign. The phone is stored normalised. */
export interface Card {
  id: string;
  cardNo: string;
  campaignId: string;
  phone: string;
  status: CardStatus;
  source: CardSourcePayload;
  validFrom: Date | null;
  validTo: Date | null;
  issuedAt: Date;
  activatedAt: Date | null;
  redeemedAt: Date | null;
  expiredAt: Date | null;
  voidedAt: Date | null;
  voidReason: string | null;
  terms: CampaignTerms;
}

/** A card as a change's SQL guarantees it: these fields are set. */
export type CardWith<K extends keyof Card> = Card & { [P in K]-?: NonNullable<Card[P]> };

export interface NewCard {
  id: string;
  cardNo: string;
  campaignId: string;
  phone: string;
  source: CardSourcePayload;
  /** Null until activation for a card valid some days after issue. */
  validFrom: Date | null;
  validTo: Date | null;
}

export interface CardFilter {
  limit: number;
  /** Ids below this one (newest first). */
  before?: string;
  campaignId?: string;
  phone?: string;
  status?: CardStatus;
  /** Only cards whose campaign names this brand. */
  namingBrand?: string;
}

const toCard = (r: CardRow): Card => ({
  id: r.id,
  cardNo: r.card_no,
  campaignId: r.campaign_id,
  phone: r.phone,
  status: r.status,
  source: { channel: r.channel, campaign: r.source_campaign, agentId: r.agent_id, visitorId: r.visitor_id },
  validFrom: r.valid_from,
  validTo: r.valid_to,
  issuedAt: r.issued_at,
  activatedAt: r.activated_at,
  redeemedAt: r.redeemed_at,
  expiredAt: r.expired_at,
  voidedAt: r.voided_at,
  voidReason: r.void_reason,
  terms: termsOf(r),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The full online source, without the parts that are not known. */
export function sourceView(s: CardSourcePayload): CardSourceView {
  return {
    channel: s.channel,
    ...(s.campaign !== null ? { campaign: s.campaign } : {}),
    ...(s.agentId !== null ? { agentId: s.agentId } : {}),
    ...(s.visitorId !== null ? { visitorId: s.visitorId } : {}),
  };
}

/** The public view (masked phone, channel only), or the staff view with the full source. */
export function cardView(card: Card, audience: 'public' | 'staff', now: Date): CardView {
  const view: CardView = {
    cardNo: card.cardNo,
    status: effectiveStatus(card, now),
    benefit: benefitView(card.terms.benefit),
    validTo: iso(card.validTo),
    phoneMasked: maskPhone(card.phone),
    source: { channel: card.source.channel },
  };
  if (audience === 'public') return view;
  return {
    ...view,
    source: sourceView(card.source),
    campaignId: card.campaignId,
    validFrom: iso(card.validFrom),
    issuedAt: card.issuedAt.toISOString(),
    activatedAt: iso(card.activatedAt),
    redeemedAt: iso(card.redeemedAt),
    voidReason: card.voidReason,
  };
}

/** The facts every card event carries. */
export const cardEventFacts = (card: Card) => ({
  cardId: card.id,
  cardNo: card.cardNo,
  campaignId: card.campaignId,
  brandIds: card.terms.brandIds,
  source: card.source,
});

/** Status as read: an active card past its validity counts as expired before the sweep marks it. */
function statusCondition(status: CardStatus): string {
  switch (status) {
    case CardStatus.Active:
      return `(k.status = 'active' AND k.valid_to > now())`;
    case CardStatus.Expired:
      return `(k.status = 'expired' OR (k.status = 'active' AND k.valid_to <= now()))`;
    case CardStatus.PendingPayment:
    case CardStatus.Redeemed:
    case CardStatus.Void:
      return `k.status = '${status}'`;
  }
}

/**
 * active → redeemed, as the start of an UPDATE statement whose card id is parameter `cardParam`
 * (the caller may add conditions and RETURNING): redeemed_at is now(). It changes only an active,
 * valid card. Of any number of concurrent redemptions one finds the card active; the others wait
 * on its row lock, then find it redeemed. RedemptionsRepository.redeem runs it together with the
 * redemption row and its event.
 */
export const markRedeemedSql = (cardParam: number) =>
  `UPDATE cards SET status = 'redeemed', redeemed_at = now() WHERE id = $${cardParam} AND status = 'active' AND valid_to > now()`;

/**
 * The cards table. Every change of a card's status is one conditional UPDATE here: zero rows
 * means the card was not in the state the change needs, and the caller answers a conflict.
 */
@Injectable()
export class CardsRepository implements RedeemedCounts {
  constructor(private readonly dataSource: DataSource) {}

  async findByNo(cardNo: string): Promise<Card | undefined> {
    const [row] = await this.dataSource.query<CardRow[]>(`${SELECT_CARD} WHERE k.card_no = $1`, [cardNo]);
    return row && toCard(row);
  }

  /**
   * The card, and the transaction's now(): the time a redemption in this transaction stamps
   * (markRedeemedSql sets redeemed_at = now()), so that its event can be written in the same
   * statement as the change.
   */
  async findByNoWithNow(cardNo: string): Promise<{ card: Card; now: Date } | undefined> {
    const [row] = await this.dataSource.query<(CardRow & { tx_now: Date })[]>(
      `SELECT ${CARD_COLUMNS}, now() AS tx_now FROM cards k JOIN campaigns c ON c.id = k.campaign_id WHERE k.card_no = $1`,
      [cardNo],
    );
    return row && { card: toCard(row), now: row.tx_now };
  }

  async findById(id: string): Promise<Card | undefined> {
    const [row] = await this.dataSource.query<CardRow[]>(`${SELECT_CARD} WHERE k.id = $1`, [id]);
    return row && toCard(row);
  }

  async list(filter: CardFilter): Promise<Card[]> {
    const params: unknown[] = [filter.limit];
    const where: string[] = [];
    if (filter.before) where.push(`k.id < $${params.push(filter.before)}`);
    if (filter.campaignId) where.push(`k.campaign_id = $${params.push(filter.campaignId)}`);
    if (filter.phone) where.push(`k.phone = $${params.push(filter.phone)}`);
    if (filter.status) where.push(statusCondition(filter.status));
    if (filter.namingBrand) where.push(`$${params.push(filter.namingBrand)}::uuid = ANY (c.brand_ids)`);
    const rows = await this.dataSource.query<CardRow[]>(
      `${SELECT_CARD} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY k.id DESC LIMIT $1`,
      params,
    );
    return rows.map(toCard);
  }

  /** Cards of the campaign that count against its per-phone limit: all but those released by an expired payment. */
  async countHeldByPhone(campaignId: string, phone: string): Promise<number> {
    const [{ held }] = await this.dataSource.query<{ held: number }[]>(
      `SELECT count(*)::int AS held FROM cards WHERE campaign_id = $1 AND phone = $2 AND (status <> 'void' OR activated_at IS NOT NULL)`,
      [campaignId, phone],
    );
    return held;
  }

  /** Inserts a card waiting for payment; false when its number is taken (the caller draws again). */
  async insertPending(card: NewCard): Promise<boolean> {
    const inserted = await queryRows(
      this.dataSource,
      `INSERT INTO cards (id, card_no, campaign_id, phone, status, channel, source_campaign, agent_id, visitor_id, valid_from, valid_to)
       VALUES ($1, $2, $3, $4, 'pending_payment', $5, $6, $7, $8, $9, $10)
       ON CONFLICT (card_no) DO NOTHING RETURNING id`,
      [
        card.id,
        card.cardNo,
        card.campaignId,
        card.phone,
        card.source.channel,
        card.source.campaign,
        card.source.agentId,
        card.source.visitorId,
        card.validFrom,
        card.validTo,
      ],
    );
    return inserted.length > 0;
  }

  /** Paid: pending_payment → active. A card valid for some days after issue starts its validity now. */
  async activate(cardId: string): Promise<CardWith<'validFrom' | 'validTo' | 'activatedAt'> | undefined> {
    const [row] = await queryRows<CardRow>(
      this.dataSource,
      `UPDATE cards k SET status = 'active', activated_at = now(),
              valid_from = CASE WHEN c.valid_days_after_issue IS NULL THEN k.valid_from ELSE now() END,
              valid_to = CASE WHEN c.valid_days_after_issue IS NULL THEN k.valid_to ELSE now() + make_interval(days => c.valid_days_after_issue) END
         FROM campaigns c
        WHERE k.id = $1 AND k.status = 'pending_payment' AND c.id = k.campaign_id
        RETURNING ${CARD_COLUMNS}`,
      [cardId],
    );
    return row && (toCard(row) as CardWith<'validFrom' | 'validTo' | 'activatedAt'>);
  }

  /** Payment expired: pending_payment → void; answers the campaign whose place it held. */
  async releaseUnpaid(cardId: string): Promise<string | undefined> {
    const [row] = await queryRows<{ campaign_id: string }>(
      this.dataSource,
      `UPDATE cards SET status = 'void', voided_at = now(), void_reason = 'payment_expired'
        WHERE id = $1 AND status = 'pending_payment' RETURNING campaign_id`,
      [cardId],
    );
    return row?.campaign_id;
  }

  /**
   * Undoes this transaction's own redeemed mark (an active card has no redeemed_at), when the
   * redemption row could not go in with it: what a rollback to before the mark would leave.
   */
  async undoMarkRedeemed(cardId: string): Promise<void> {
    await this.dataSource.query(`UPDATE cards SET status = 'active', redeemed_at = NULL WHERE id = $1 AND status = 'redeemed'`, [cardId]);
  }

  /** redeemed → active again, or expired when past its validity. */
  async unredeem(cardId: string): Promise<(CardWith<'validTo'> & { status: CardStatus.Active | CardStatus.Expired }) | undefined> {
    const [row] = await queryRows<CardRow>(
      this.dataSource,
      `UPDATE cards k SET status = CASE WHEN k.valid_to > now() THEN 'active' ELSE 'expired' END,
              redeemed_at = NULL,
              expired_at = CASE WHEN k.valid_to > now() THEN NULL ELSE now() END
         FROM campaigns c
        WHERE k.id = $1 AND k.status = 'redeemed' AND c.id = k.campaign_id
        RETURNING ${CARD_COLUMNS}`,
      [cardId],
    );
    return row && (toCard(row) as CardWith<'validTo'> & { status: CardStatus.Active | CardStatus.Expired });
  }

  /** active and valid → void, for a reason. */
  async void(cardNo: string, reason: string): Promise<CardWith<'voidedAt'> | undefined> {
    const [row] = await queryRows<CardRow>(
      this.dataSource,
      `UPDATE cards k SET status = 'void', voided_at = now(), void_reason = $2
         FROM campaigns c
        WHERE k.card_no = $1 AND k.status = 'active' AND k.valid_to > now() AND c.id = k.campaign_id
        RETURNING ${CARD_COLUMNS}`,
      [cardNo, reason],
    );
    return row && (toCard(row) as CardWith<'voidedAt'>);
  }

  /**
   * Marks up to `batch` active cards past their validity as expired. SKIP LOCKED: a card being
   * redeemed or voided right now is left to that transaction.
   */
  async expireDue(batch: number): Promise<CardWith<'validTo' | 'expiredAt'>[]> {
    const rows = await queryRows<CardRow>(
      this.dataSource,
      `UPDATE cards k SET status = 'expired', expired_at = now()
         FROM campaigns c
        WHERE k.id IN (SELECT id FROM cards WHERE status = 'active' AND valid_to <= now() ORDER BY valid_to LIMIT $1 FOR UPDATE SKIP LOCKED)
          AND k.status = 'active' AND c.id = k.campaign_id
        RETURNING ${CARD_COLUMNS}`,
      [batch],
    );
    return rows.map((r) => toCard(r) as CardWith<'validTo' | 'expiredAt'>);
  }

  // Counted, not kept on the campaign: a counter there would make every redemption of every card
  // queue behind one row lock.
  async redeemedByCampaign(campaignIds: string[]): Promise<Map<string, number>> {
    if (campaignIds.length === 0) return new Map();
    const rows = await this.dataSource.query<{ campaign_id: string; n: number }[]>(
      `SELECT campaign_id, count(*)::int AS n FROM cards WHERE campaign_id = ANY ($1::uuid[]) AND status = 'redeemed' GROUP BY campaign_id`,
      [campaignIds],
    );
    return new Map(rows.map((r) => [r.campaign_id, r.n]));
  }
}
