import { Injectable } from '@nestjs/common';
import { CardRedeemedEvent, EVENTS } from '@o2o/contracts';
import { newId, outboxInsert, queryRows } from '@o2o/platform';
import { DataSource } from 'typeorm';
import { markRedeemedSql } from './cards.repository';

/** A redemption, or a tombstone: then every redemption column is null and reversed_at is set. */
interface RedemptionRow {
  id: string;
  card_id: string | null;
  deal_id: string;
  store_id: string | null;
  brand_id: string | null;
  amount_fen: number | null;
  discount_fen: number | null;
  redeemed_at: Date | null;
  reversed_at: Date | null;
  reverse_reason: string | null;
}

/** A card used by a deal. At most one per deal, and one unreversed per card. */
export interface Redemption {
  kind: 'redemption';
  id: string;
  cardId: string;
  dealId: string;
  storeId: string;
  brandId: string;
  amountFen: number;
  discountFen: number;
  redeemedAt: Date;
  reversedAt: Date | null;
  reverseReason: string | null;
}

/** A deal reversed before it redeemed a card: it holds the deal id so that the deal never redeems one. */
export interface Tombstone {
  kind: 'tombstone';
  id: string;
  dealId: string;
  reversedAt: Date;
  reverseReason: string | null;
}

/** What coupons knows of a deal: the card it redeemed, or that it was given up before redeeming. */
export type DealRecord = Redemption | Tombstone;

/** A redemption to write: redeemed_at is the card's redeemed_at, the transaction's now(). */
export type NewRedemption = Omit<Redemption, 'kind' | 'id' | 'redeemedAt' | 'reversedAt' | 'reverseReason'>;

const toRecord = (r: RedemptionRow): DealRecord =>
  r.card_id === null
    ? { kind: 'tombstone', id: r.id, dealId: r.deal_id, reversedAt: r.reversed_at!, reverseReason: r.reverse_reason }
    : {
        kind: 'redemption',
        id: r.id,
        cardId: r.card_id,
        dealId: r.deal_id,
        storeId: r.store_id!,
        brandId: r.brand_id!,
        amountFen: r.amount_fen!,
        discountFen: r.discount_fen!,
        redeemedAt: r.redeemed_at!,
        reversedAt: r.reversed_at,
        reverseReason: r.reverse_reason,
      };

/**
 * The redemptions table. Its unique deal id (shared by redemptions and tombstones), and one
 * unreversed redemption per card, back the rules.
 */
@Injectable()
export class RedemptionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Redeems in one statement (data-modifying CTEs): the card active → redeemed (markRedeemedSql,
   * whose row lock serialises concurrent redemptions of one card), the redemption row, and the
   * card.redeemed event in the outbox, each only if the one before it happened. The card is left
   * alone when the deal already has a row (a redemption or a tombstone) as of the statement's
   * snapshot. A row for the deal that commits while the insert waits on its deal id makes the
   * insert do nothing rather than fail (so no savepoint is needed): then `cardRedeemed` is true
   * and `recorded` false, no event is written, and the caller must undo the card's change.
   */
  async redeem(r: NewRedemption, event: CardRedeemedEvent): Promise<{ cardRedeemed: boolean; recorded: boolean; redeemedAt: Date | null }> {
    const outbox = outboxInsert(EVENTS.cardRedeemed, event, { firstParam: 8, onlyIf: 'redemption' });
    const [row] = await this.dataSource.query<{ card_redeemed: boolean; recorded: boolean; redeemed_at: Date | null }[]>(
      `WITH card AS (
         ${markRedeemedSql(1)} AND NOT EXISTS (SELECT 1 FROM redemptions WHERE deal_id = $2) RETURNING id, redeemed_at
       ), redemption AS (
         INSERT INTO redemptions (id, card_id, deal_id, store_id, brand_id, amount_fen, discount_fen, redeemed_at)
         SELECT $3::uuid, card.id, $2::uuid, $4::uuid, $5::uuid, $6::int, $7::int, card.redeemed_at FROM card
         ON CONFLICT DO NOTHING
         RETURNING id
       ), event AS (${outbox.sql})
       SELECT EXISTS (SELECT 1 FROM card) AS card_redeemed, EXISTS (SELECT 1 FROM redemption) AS recorded, (SELECT redeemed_at FROM card) AS redeemed_at`,
      [r.cardId, r.dealId, newId(), r.storeId, r.brandId, r.amountFen, r.discountFen, ...outbox.params],
    );
    return { cardRedeemed: row.card_redeemed, recorded: row.recorded, redeemedAt: row.redeemed_at };
  }

  async findByDeal(dealId: string): Promise<DealRecord | undefined> {
    const [row] = await this.dataSource.query<RedemptionRow[]>('SELECT * FROM redemptions WHERE deal_id = $1', [dealId]);
    return row && toRecord(row);
  }

  /** Reverses the deal's standing redemption; undefined when there is none standing (a tombstone never is). */
  async reverse(dealId: string, reason: string | null): Promise<(Redemption & { reversedAt: Date }) | undefined> {
    const [row] = await queryRows<RedemptionRow>(
      this.dataSource,
      'UPDATE redemptions SET reversed_at = now(), reverse_reason = $2 WHERE deal_id = $1 AND reversed_at IS NULL RETURNING *',
      [dealId, reason],
    );
    return row && (toRecord(row) as Redemption & { reversedAt: Date });
  }

  /**
   * Writes the deal's tombstone; undefined when the deal already has a row. A redeem of the deal
   * not yet committed makes this wait for it: then undefined if it commits, a tombstone if not.
   */
  async entomb(dealId: string, reason: string | null): Promise<Tombstone | undefined> {
    const [row] = await this.dataSource.query<RedemptionRow[]>(
      `INSERT INTO redemptions (id, deal_id, reversed_at, reverse_reason) VALUES ($1, $2, now(), $3)
       ON CONFLICT (deal_id) DO NOTHING RETURNING *`,
      [newId(), dealId, reason],
    );
    return row && (toRecord(row) as Tombstone);
  }
}
