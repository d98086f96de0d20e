import { Injectable } from '@nestjs/common';
import { newId, queryRows } from '@o2o/platform';
import { DataSource } from 'typeorm';

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

export type NewRedemption = Omit<Redemption, 'kind' | 'id' | 'reversedAt' | 'reverseReason'>;

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

  /** Throws a unique violation when the deal already has a row: a redemption, or a tombstone. */
  async insert(r: NewRedemption): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO redemptions (id, card_id, deal_id, store_id, brand_id, amount_fen, discount_fen, redeemed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [newId(), r.cardId, r.dealId, r.storeId, r.brandId, r.amountFen, r.discountFen, r.redeemedAt],
    );
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
