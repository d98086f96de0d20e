import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { MAX_FEN } from '../coupons/campaign.dto';
import { IsCardNo } from '../coupons/card-number';
import { EXAMPLE } from '../dto/examples';
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
  @ApiPropertyOptional({ format: 'uuid', example: EXAMPLE.productId })
  @IsOptional()
  @IsUUID('all')
  productId?: string;

  @ApiPropertyOptional({ example: 'T1-WHITE' })
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
  @ApiProperty({ format: 'uuid', example: EXAMPLE.storeId })
  @IsUUID('all')
  storeId!: string;

  @ApiProperty({ format: 'uuid', example: EXAMPLE.brandId })
  @IsUUID('all')
  brandId!: string;

  @ApiProperty({ format: 'uuid', description: 'The salesperson who closed the deal: an active salesperson or manager of the store', example: EXAMPLE.staffId })
  @IsUUID('all')
  staffId!: string;

  @ApiProperty({ type: DealCustomerDto })
  @IsObject()
  @ValidateNested()
  @Type(() => DealCustomerDto)
  customer!: DealCustomerDto;

  @ApiPropertyOptional({ format: 'uuid', description: 'Left out for a walk-in', example: EXAMPLE.bookingId })
  @IsOptional()
  @IsUUID('all')
  bookingId?: string;

  @ApiPropertyOptional({ example: EXAMPLE.cardNo })
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
  @ApiProperty({ type: String, nullable: true, example: EXAMPLE.productId }) productId!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'T1-WHITE' }) skuCode!: string | null;
  @ApiProperty({ example: 1 }) qty!: number;
  @ApiProperty({ example: 700000 }) priceFen!: number;
}

export class RefundView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.refundId }) id!: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.dealId }) dealId!: string;
  @ApiProperty({ example: 100000 }) amountFen!: number;
  @ApiProperty({ example: 'customer changed mind' }) reason!: string;
  @ApiProperty({ description: 'Whether this refund completed the full amount', example: false }) full!: boolean;
  @ApiProperty({ description: 'Refunded so far, this refund included', example: 100000 }) refundedTotalFen!: number;
  @ApiProperty({ enum: ['none', 'pending', 'done'], description: "The card's reversal after a full refund" }) cardReversal!: 'none' | 'pending' | 'done';
  @ApiProperty({ format: 'date-time', example: EXAMPLE.aWeekLater }) at!: string;
}

export class DealView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.dealId }) id!: string;
  @ApiProperty({ enum: ['closed'] }) status!: 'closed';
  @ApiProperty({ format: 'uuid', example: EXAMPLE.storeId }) storeId!: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.brandId }) brandId!: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.staffId }) staffId!: string;
  @ApiProperty({ description: 'Masked unless the caller closed the deal, manages the store, or is ops', example: EXAMPLE.phoneMasked }) customerPhone!: string;
  @ApiProperty({ type: String, nullable: true, example: 'Ms Wang' }) customerName!: string | null;
  @ApiProperty({ type: String, nullable: true, example: EXAMPLE.bookingId }) bookingId!: string | null;
  @ApiProperty({ type: String, nullable: true, example: EXAMPLE.consultationId }) consultationId!: string | null;
  @ApiProperty({ type: String, nullable: true, example: EXAMPLE.leadId }) leadId!: string | null;
  @ApiPropertyOptional({ type: String, example: EXAMPLE.cardNo }) cardNo?: string;
  @ApiProperty({ example: 700000 }) amountFen!: number;
  @ApiProperty({ example: 50000 }) discountFen!: number;
  @ApiProperty({ example: 650000 }) payableFen!: number;
  @ApiProperty({ example: 100000 }) refundedFen!: number;
  @ApiProperty({ type: BookingSourceView, nullable: true, description: "The card's source, else the booking's" }) source!: BookingSourceView | null;
  @ApiProperty({ type: [DealItemView] }) items!: DealItemView[];
  @ApiProperty({ format: 'date-time', example: EXAMPLE.aDayLater }) closedAt!: string;
  @ApiPropertyOptional({ type: [RefundView], description: 'On GET by id' }) refunds?: RefundView[];
}
