import { Injectable } from '@nestjs/common';
import { newId, queryRows } from '@o2o/platform';
import { DataSource } from 'typeorm';

interface RedemptionRow {
  id: string;
  card_id: string;
  deal_id: string;
  store_id: string;
  brand_id: string;
  amount_fen: number;
  discount_fen: number;
  redeemed_at: Date;
  reversed_at: Date | null;
  reverse_reason: string | null;
}

/** A card used by a deal. At most one per deal, and one unreversed per card. */
export interface Redemption {
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

export type NewRedemption = Omit<Redemption, 'id' | 'reversedAt' | 'reverseReason'>;

const toRedemption = (r: RedemptionRow): Redemption => ({
  id: r.id,
  cardId: r.card_id,
  dealId: r.deal_id,
  storeId: r.store_id,
  brandId: r.brand_id,
  amountFen: r.amount_fen,
  discountFen: r.discount_fen,
  redeemedAt: r.redeemed_at,
  reversedAt: r.reversed_at,
  reverseReason: r.reverse_reason,
});

/** The redemptions table. Its unique deal id, and one unreversed redemption per card, back the rules. */
@Injectable()
export class RedemptionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Throws a unique violation when the deal already redeemed a card. */
  async insert(r: NewRedemption): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO redemptions (id, card_id, deal_id, store_id, brand_id, amount_fen, discount_fen, redeemed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [newId(), r.cardId, r.dealId, r.storeId, r.brandId, r.amountFen, r.discountFen, r.redeemedAt],
    );
  }

  async findByDeal(dealId: string): Promise<Redemption | undefined> {
    const [row] = await this.dataSource.query<RedemptionRow[]>('SELECT * FROM redemptions WHERE deal_id = $1', [dealId]);
    return row && toRedemption(row);
  }

  /** Reverses the deal's standing redemption; undefined when there is none standing. */
  async reverse(dealId: string, reason: string | null): Promise<(Redemption & { reversedAt: Date }) | undefined> {
    const [row] = await queryRows<RedemptionRow>(
      this.dataSource,
      'UPDATE redemptions SET reversed_at = now(), reverse_reason = $2 WHERE deal_id = $1 AND reversed_at IS NULL RETURNING *',
      [dealId, reason],
    );
    return row && (toRedemption(row) as Redemption & { reversedAt: Date });
  }
}
