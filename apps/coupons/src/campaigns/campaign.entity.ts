import { BenefitType } from '@o2o/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A privilege-card campaign: what a card costs, what it gives, where and when it applies. */
@Entity({ name: 'campaigns' })
export class CampaignEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  name!: string;

  @Column({ name: 'price_fen', type: 'integer' })
  priceFen!: number;

  @Column({ name: 'benefit_type', type: 'text' })
  benefitType!: BenefitType;

  @Column({ name: 'benefit_value', type: 'integer' })
  benefitValue!: number;

  @Column({ name: 'max_discount_fen', type: 'integer', nullable: true })
  maxDiscountFen!: number | null;

  @Column({ name: 'min_spend_fen', type: 'integer', nullable: true })
  minSpendFen!: number | null;

  @Column({ name: 'brand_ids', type: 'uuid', array: true })
  brandIds!: string[];

  @Column({ type: 'text', array: true })
  categories!: string[];

  @Column({ type: 'text', array: true })
  cities!: string[];

  @Column({ name: 'valid_from', type: 'timestamptz' })
  validFrom!: Date;

  @Column({ name: 'valid_to', type: 'timestamptz' })
  validTo!: Date;

  @Column({ name: 'valid_days_after_issue', type: 'integer', nullable: true })
  validDaysAfterIssue!: number | null;

  @Column({ name: 'total_limit', type: 'integer', nullable: true })
  totalLimit!: number | null;

  @Column({ name: 'per_phone_limit', type: 'integer' })
  perPhoneLimit!: number;

  @Column({ type: 'integer' })
  issued!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
