import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { CardStatus, Channel } from '../enums';
import { PageQueryDto } from '../pagination';
import { IsMainlandMobile } from '../phone';
import { EXAMPLE } from '../dto/examples';
import { SourceDto } from '../dto/source.dto';
import { BenefitView, MAX_FEN } from './campaign.dto';
import { IsCardNo } from './card-number';

/** Why a card does not apply to a deal. Quote answers it; redeem fails with it. */
export enum CardIneligibility {
  PendingPayment = 'card_pending_payment',
  Used = 'card_used',
  Expired = 'card_expired',
  Void = 'card_void',
  NotYetValid = 'card_not_yet_valid',
  WrongBrand = 'wrong_brand',
  WrongCity = 'wrong_city',
  WrongCategory = 'wrong_category',
  UnderMinSpend = 'under_min_spend',
  /** The campaign is limited by city and coupons has no record of the store's city. */
  UnknownStore = 'unknown_store',
  /** The campaign is limited by category and coupons has no record of the brand's categories. */
  UnknownBrand = 'unknown_brand',
}

/** Why redeem refuses a deal whatever its card: the deal itself may no longer redeem one. */
export enum RedemptionRefusal {
  /** The deal's redemption was reversed before any redeem arrived: the deal flow gave up on it. */
  DealAbandoned = 'deal_abandoned',
}

/** A card's source, as the buyer states it. */
export class CardSourceDto extends SourceDto {}

export class PurchaseCardDto {
  @ApiProperty({ example: EXAMPLE.campaignId })
  @IsUUID('all')
  campaignId!: string;

  @ApiProperty({ description: 'Mainland mobile number (11 digits starting with 1; +86, spaces and dashes allowed)', example: '13812345678' })
  @IsMainlandMobile()
  phone!: string;

  @ApiProperty({ type: CardSourceDto })
  @IsObject()
  @ValidateNested()
  @Type(() => CardSourceDto)
  source!: CardSourceDto;
}

export class PaymentView {
  @ApiProperty({ example: EXAMPLE.orderId })
  orderId!: string;
  @ApiProperty({ example: 100 })
  amountFen!: number;
  @ApiProperty({ example: 'sandbox' })
  provider!: string;
  @ApiProperty({ description: 'An unpaid order expires then, and its card gives its place back', example: '2026-03-14T06:45:00.000Z' })
  expiresAt!: string;
  @ApiPropertyOptional({ description: 'Where the buyer completes the payment', example: `/v1/payments/sandbox/${EXAMPLE.orderId}/complete` })
  payUrl?: string;
}

export class PurchaseView {
  @ApiProperty({ example: EXAMPLE.cardNo })
  cardNo!: string;
  @ApiProperty({ enum: CardStatus, example: CardStatus.PendingPayment })
  status!: CardStatus;
  @ApiProperty({ type: PaymentView })
  payment!: PaymentView;
}

export class CardNoDto {
  @ApiProperty({ description: '16 digits: channel code, 13 random digits, Luhn check digit', example: EXAMPLE.cardNo })
  @IsCardNo()
  cardNo!: string;
}

export class CardSourceView {
  @ApiProperty({ enum: Channel })
  channel!: Channel;
  @ApiPropertyOptional({ description: 'Staff only', example: EXAMPLE.campaign })
  campaign?: string;
  @ApiPropertyOptional({ description: 'Staff only', example: EXAMPLE.agentId })
  agentId?: string;
  @ApiPropertyOptional({ description: 'Staff only', example: EXAMPLE.visitorId })
  visitorId?: string;
}

/** The public view is cardNo, status, benefit, validTo, phoneMasked and source.channel; staff see more. */
export class CardView {
  @ApiProperty({ example: EXAMPLE.cardNo })
  cardNo!: string;
  @ApiProperty({ enum: CardStatus, example: CardStatus.Redeemed })
  status!: CardStatus;
  @ApiProperty({ type: BenefitView })
  benefit!: BenefitView;
  @ApiProperty({ type: String, nullable: true, description: 'Null until a card valid for some days after issue is paid', example: '2026-04-13T06:30:00.000Z' })
  validTo!: string | null;
  @ApiProperty({ example: '138****5678' })
  phoneMasked!: string;
  @ApiProperty({ type: CardSourceView })
  source!: CardSourceView;
  @ApiPropertyOptional({ description: 'Staff only', example: EXAMPLE.campaignId })
  campaignId?: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Staff only', example: EXAMPLE.at })
  validFrom?: string | null;
  @ApiPropertyOptional({ description: 'Staff only', example: EXAMPLE.at })
  issuedAt?: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Staff only', example: EXAMPLE.at })
  activatedAt?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Staff only', example: EXAMPLE.aDayLater })
  redeemedAt?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Staff only', example: 'sold by mistake' })
  voidReason?: string | null;
}

export class CardQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all')
  campaignId?: string;

  @ApiPropertyOptional({ enum: CardStatus })
  @IsOptional()
  @IsEnum(CardStatus)
  status?: CardStatus;

  @ApiPropertyOptional({ description: "The holder's mobile number; staff only (a partner key gets 403)" })
  @IsOptional()
  @IsMainlandMobile()
  phone?: string;
}

export class QuoteCardDto {
  @ApiProperty({ example: EXAMPLE.storeId })
  @IsUUID('all')
  storeId!: string;

  @ApiProperty({ example: EXAMPLE.brandId })
  @IsUUID('all')
  brandId!: string;

  @ApiProperty({ description: 'The deal amount, in fen', example: 700000 })
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  amountFen!: number;
}

export class QuoteCardMessage extends QuoteCardDto {
  @ApiProperty()
  @IsCardNo()
  cardNo!: string;
}

export class QuoteView {
  @ApiProperty()
  eligible!: boolean;
  @ApiProperty({ example: 50000 })
  discountFen!: number;
  @ApiProperty({ example: 650000 })
  payableFen!: number;
  @ApiPropertyOptional({ enum: CardIneligibility })
  reason?: CardIneligibility;
}

export class VoidCardDto {
  @ApiProperty({ example: 'sold by mistake' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason!: string;
}

export class VoidCardMessage extends VoidCardDto {
  @ApiProperty()
  @IsCardNo()
  cardNo!: string;
}

/** The deal flow's redemption: the card is checked as in a quote, then redeemed once. */
export class RedeemCardMessage extends QuoteCardMessage {
  @ApiProperty({ description: 'The deal that redeems the card; a repeat with the same deal answers the same' })
  @IsUUID('all')
  dealId!: string;
}

export class RedemptionView {
  @ApiProperty()
  cardNo!: string;
  @ApiProperty()
  dealId!: string;
  @ApiProperty()
  campaignId!: string;
  @ApiProperty()
  amountFen!: number;
  @ApiProperty()
  discountFen!: number;
  @ApiProperty()
  payableFen!: number;
  @ApiProperty()
  redeemedAt!: string;
  @ApiProperty({ type: CardSourceView, description: "The card's full online source" })
  source!: CardSourceView;
}

/**
 * Undoes a deal's redemption, or, when coupons has not seen the deal redeem, bars the deal from
 * redeeming later: a redeem still in flight when the deal flow gave up must not win afterwards.
 */
export class ReverseRedemptionMessage {
  @ApiProperty({ description: 'The deal whose redemption is undone; a repeat answers the first reversal' })
  @IsUUID('all')
  dealId!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class ReversalView {
  @ApiProperty({ type: String, nullable: true, description: 'Null when the deal had redeemed no card' })
  cardNo!: string | null;
  @ApiProperty()
  dealId!: string;
  @ApiProperty({
    enum: CardStatus,
    nullable: true,
    description: 'active again, or expired when past its validity; null when the deal had redeemed no card',
  })
  status!: CardStatus | null;
  @ApiProperty({ description: 'False when the deal had redeemed no card: the reversal only bars it from redeeming one (deal_abandoned)' })
  wasRedeemed!: boolean;
  @ApiProperty()
  reversedAt!: string;
}
