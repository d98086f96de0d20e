import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A card used by a deal. At most one per deal, and one unreversed per card. */
@Entity({ name: 'redemptions' })
export class RedemptionEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'card_id', type: 'uuid' })
  cardId!: string;

  @Column({ name: 'deal_id', type: 'uuid', unique: true })
  dealId!: string;

  @Column({ name: 'store_id', type: 'uuid' })
  storeId!: string;

  @Column({ name: 'brand_id', type: 'uuid' })
  brandId!: string;

  @Column({ name: 'amount_fen', type: 'integer' })
  amountFen!: number;

  @Column({ name: 'discount_fen', type: 'integer' })
  discountFen!: number;

  @Column({ name: 'redeemed_at', type: 'timestamptz' })
  redeemedAt!: Date;

  @Column({ name: 'reversed_at', type: 'timestamptz', nullable: true })
  reversedAt!: Date | null;

  @Column({ name: 'reverse_reason', type: 'text', nullable: true })
  reverseReason!: string | null;
}
