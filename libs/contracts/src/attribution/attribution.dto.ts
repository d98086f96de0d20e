import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EXAMPLE } from '../dto/examples';
import { Channel } from '../enums';
import { PageQueryDto } from '../pagination';
import { CommissionView } from './commission.dto';

/** How a deal was tied to its online source, in lookup order. */
export const ATTRIBUTION_VIAS = ['card', 'booking', 'phone_match', 'none'] as const;
export type AttributionVia = (typeof ATTRIBUTION_VIAS)[number];

export const ATTRIBUTION_FLAGS = { flyingOrderSuspect: 'flying_order_suspect' } as const;
export type AttributionFlag = (typeof ATTRIBUTION_FLAGS)[keyof typeof ATTRIBUTION_FLAGS];

/** Why a deal was flagged a suspected flying order. */
export const FLYING_ORDER_REASONS = {
  /** Closed without a card while the phone held an active card usable for the brand. */
  activeCardNotUsed: 'active_card_not_used',
  /** Closed by a store other than the lead owner's while the lead was protected. */
  outsideOwnerStore: 'closed_outside_owner_store',
} as const;
export type FlyingOrderReason = (typeof FLYING_ORDER_REASONS)[keyof typeof FLYING_ORDER_REASONS];

export class OnlineCreditView {
  @ApiProperty({ enum: ATTRIBUTION_VIAS }) via!: AttributionVia;
  @ApiPropertyOptional({ enum: Channel }) channel?: Channel;
  @ApiPropertyOptional({ example: EXAMPLE.campaign }) campaign?: string;
  @ApiPropertyOptional({ description: 'The online agent credited', example: EXAMPLE.agentId }) agentId?: string;
}

export class OfflineCreditView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.storeId }) storeId!: string;
  @ApiProperty({ description: 'The salesperson who closed the deal', example: EXAMPLE.staffId }) staffId!: string;
}

/** One line of the reasoning: a candidate source considered, the rules applied, an entry's arithmetic. */
export class ExplainStepView {
  @ApiProperty({ example: 'card', description: 'card, booking, phone_match, none, flag, rules, entry or clawback' }) step!: string;
  @ApiPropertyOptional({ example: `card:${EXAMPLE.cardNo}` }) candidate?: string;
  @ApiProperty() taken!: boolean;
  @ApiProperty({ example: `the card was redeemed in this deal; its source: channel seo, campaign ${EXAMPLE.campaign}, agent ${EXAMPLE.agentId}` }) why!: string;
}

export class DealAttributionView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.dealId }) dealId!: string;
  @ApiProperty({ type: OnlineCreditView }) online!: OnlineCreditView;
  @ApiProperty({ type: OfflineCreditView }) offline!: OfflineCreditView;
  @ApiProperty({ type: [CommissionView], description: 'A salesperson or agent who is not a manager sees only their own entries' })
  commissions!: CommissionView[];
  @ApiProperty({ type: [String], example: ['flying_order_suspect'] }) flags!: string[];
  @ApiProperty({ type: [ExplainStepView] }) explain!: ExplainStepView[];
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'The commission rules version in force at the close; null when none was', example: 3 })
  ruleVersion!: number | null;
  @ApiProperty({ example: 700000 }) amountFen!: number;
  @ApiPropertyOptional({ type: Number, nullable: true, example: 400000 }) budgetFen!: number | null;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.aDayLater }) closedAt!: string;
}

export class ConflictQueryDto extends PageQueryDto {}

/** A deal flagged as a suspected flying order, with why. */
export class ConflictView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.dealId }) dealId!: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.storeId }) storeId!: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.brandId }) brandId!: string;
  @ApiProperty({ example: EXAMPLE.staffId }) staffId!: string;
  @ApiProperty({ example: '139****5678' }) phoneMasked!: string;
  @ApiProperty({ example: 700000 }) amountFen!: number;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.aDayLater }) closedAt!: string;
  @ApiProperty({ enum: ATTRIBUTION_VIAS }) via!: AttributionVia;
  @ApiProperty({ type: [String], example: ['flying_order_suspect'] }) flags!: string[];
  @ApiProperty({ type: [String], example: ['active_card_not_used'], description: 'active_card_not_used, closed_outside_owner_store' }) reasons!: string[];
}
