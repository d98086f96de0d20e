import { Column, Entity, PrimaryColumn } from 'typeorm';

export type PaymentOrderStatus = 'pending' | 'paid' | 'expired';

/** What the buyer owes for one card, with the provider that collects it. */
@Entity({ name: 'payment_orders' })
export class PaymentOrderEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'card_id', type: 'uuid', unique: true })
  cardId!: string;

  @Column('text')
  provider!: string;

  @Column({ name: 'amount_fen', type: 'integer' })
  amountFen!: number;

  @Column('text')
  status!: PaymentOrderStatus;

  @Column({ name: 'provider_ref', type: 'text', nullable: true })
  providerRef!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'paid_at', type: 'timestamptz', nullable: true })
  paidAt!: Date | null;

  @Column({ name: 'expired_at', type: 'timestamptz', nullable: true })
  expiredAt!: Date | null;
}
