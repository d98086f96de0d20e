import { CardStatus, Channel } from '@o2o/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One privilege card, with its full online source. The phone is stored normalised. */
@Entity({ name: 'cards' })
export class CardEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'card_no', type: 'text', unique: true })
  cardNo!: string;

  @Column({ name: 'campaign_id', type: 'uuid' })
  campaignId!: string;

  @Column('text')
  phone!: string;

  @Column('text')
  status!: CardStatus;

  @Column('text')
  channel!: Channel;

  @Column({ name: 'source_campaign', type: 'text', nullable: true })
  sourceCampaign!: string | null;

  @Column({ name: 'agent_id', type: 'text', nullable: true })
  agentId!: string | null;

  @Column({ name: 'visitor_id', type: 'text', nullable: true })
  visitorId!: string | null;

  @Column({ name: 'valid_from', type: 'timestamptz', nullable: true })
  validFrom!: Date | null;

  @Column({ name: 'valid_to', type: 'timestamptz', nullable: true })
  validTo!: Date | null;

  @Column({ name: 'issued_at', type: 'timestamptz' })
  issuedAt!: Date;

  @Column({ name: 'activated_at', type: 'timestamptz', nullable: true })
  activatedAt!: Date | null;

  @Column({ name: 'redeemed_at', type: 'timestamptz', nullable: true })
  redeemedAt!: Date | null;

  @Column({ name: 'expired_at', type: 'timestamptz', nullable: true })
  expiredAt!: Date | null;

  @Column({ name: 'voided_at', type: 'timestamptz', nullable: true })
  voidedAt!: Date | null;

  @Column({ name: 'void_reason', type: 'text', nullable: true })
  voidReason!: string | null;
}
