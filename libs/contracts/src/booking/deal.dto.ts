import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { MAX_FEN } from '../coupons/campaign.dto';
import { IsCardNo } from '../coupons/card-number';
import { PageQueryDto } from '../pagination';
import { IsMainlandMobile } from '../phone';
import { BookingSourceView } from './booking.dto';

export class DealCustomerDto {
  @ApiProperty({ example: '13812345678' })
  @IsMainlandMobile()
  phone!: string;

  @ApiPropertyOptional({ example: 'Ms Wang' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name?: string;
}

export class DealItemDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  productId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  skuCode?: string;

  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(1)
  @Max(10_000)
  qty!: number;

  @ApiProperty({ example: 700000 })
  @IsInt()
  @Min(0)
  @Max(MAX_FEN)
  priceFen!: number;
}

/** A deal closed in the store; with a card, the card is redeemed in the same step. */
export class CloseDealDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  storeId!: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  brandId!: string;

  @ApiProperty({ format: 'uuid', description: 'The salesperson who closed the deal' })
  @IsUUID('all')
  staffId!: string;

  @ApiProperty({ type: DealCustomerDto })
  @IsObject()
  @ValidateNested()
  @Type(() => DealCustomerDto)
  customer!: DealCustomerDto;

  @ApiPropertyOptional({ format: 'uuid', description: 'Left out for a walk-in' })
  @IsOptional()
  @IsUUID('all')
  bookingId?: string;

  @ApiPropertyOptional({ example: '2012345678901234' })
  @IsOptional()
  @IsCardNo()
  cardNo?: string;

  @ApiProperty({ example: 700000 })
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  amountFen!: number;

  @ApiPropertyOptional({ type: [DealItemDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => DealItemDto)
  items?: DealItemDto[];
}

export class RefundDealDto {
  @ApiPropertyOptional({ description: 'Left out: whatever is not refunded yet (a full refund)', example: 100000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  amountFen?: number;

  @ApiProperty({ example: 'customer changed mind' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason!: string;
}

export class RefundDealMessage extends RefundDealDto {
  @IsUUID('all') id!: string;
}

export class DealQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  storeId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  brandId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  bookingId?: string;
}

export class DealItemView {
  @ApiProperty({ type: String, nullable: true }) productId!: string | null;
  @ApiProperty({ type: String, nullable: true }) skuCode!: string | null;
  @ApiProperty() qty!: number;
  @ApiProperty() priceFen!: number;
}

export class RefundView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) dealId!: string;
  @ApiProperty() amountFen!: number;
  @ApiProperty() reason!: string;
  @ApiProperty({ description: 'Whether this refund completed the full amount' }) full!: boolean;
  @ApiProperty({ description: 'Refunded so far, this refund included' }) refundedTotalFen!: number;
  @ApiProperty({ enum: ['none', 'pending', 'done'], description: "The card's reversal after a full refund" }) cardReversal!: 'none' | 'pending' | 'done';
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class DealView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['closed'] }) status!: 'closed';
  @ApiProperty({ format: 'uuid' }) storeId!: string;
  @ApiProperty({ format: 'uuid' }) brandId!: string;
  @ApiProperty({ format: 'uuid' }) staffId!: string;
  @ApiProperty({ description: 'Masked unless the caller closed the deal, manages the store, or is ops' }) customerPhone!: string;
  @ApiProperty({ type: String, nullable: true }) customerName!: string | null;
  @ApiProperty({ type: String, nullable: true }) bookingId!: string | null;
  @ApiProperty({ type: String, nullable: true }) consultationId!: string | null;
  @ApiProperty({ type: String, nullable: true }) leadId!: string | null;
  @ApiPropertyOptional({ type: String }) cardNo?: string;
  @ApiProperty() amountFen!: number;
  @ApiProperty() discountFen!: number;
  @ApiProperty() payableFen!: number;
  @ApiProperty() refundedFen!: number;
  @ApiProperty({ type: BookingSourceView, nullable: true, description: "The card's source, else the booking's" }) source!: BookingSourceView | null;
  @ApiProperty({ type: [DealItemView] }) items!: DealItemView[];
  @ApiProperty({ format: 'date-time' }) closedAt!: string;
  @ApiPropertyOptional({ type: [RefundView], description: 'On GET by id' }) refunds?: RefundView[];
}
