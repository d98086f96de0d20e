import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEnum,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { EXAMPLE } from '../dto/examples';
import { PageQueryDto } from '../pagination';
import { IsAfter, MaxWhen } from './validators';

export enum BenefitType {
  AmountOff = 'amount_off',
  PercentOff = 'percent_off',
}

/** Upper bound for any money field: 20 million yuan, well inside a Postgres integer. */
export const MAX_FEN = 2_000_000_000;

export class BenefitDto {
  @ApiProperty({ enum: BenefitType })
  @IsEnum(BenefitType)
  type!: BenefitType;

  @ApiProperty({ description: 'Fen off for amount_off; a whole percent (1 to 100) for percent_off', example: 50000 })
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  @MaxWhen('type', BenefitType.PercentOff, 100)
  value!: number;

  @ApiPropertyOptional({ description: 'Cap on the discount, in fen (useful with percent_off)', example: 50000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  maxDiscountFen?: number;

  @ApiPropertyOptional({ description: 'The deal amount below which the card does not apply, in fen', example: 300000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  minSpendFen?: number;
}

export class CreateCampaignDto {
  @ApiProperty({ example: '1 yuan card, spring sale' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ description: 'What the buyer pays for a card, in fen', example: 100 })
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  priceFen!: number;

  @ApiProperty({ type: BenefitDto })
  @IsObject()
  @ValidateNested()
  @Type(() => BenefitDto)
  benefit!: BenefitDto;

  @ApiPropertyOptional({ type: [String], description: 'Brands where the card applies; empty or absent means every brand', example: [EXAMPLE.brandId] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  brandIds?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Brand categories where the card applies; empty or absent means all', example: ['bathroom'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  categories?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Cities where the card applies; empty or absent means all', example: ['Shanghai'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  cities?: string[];

  @ApiProperty({ description: 'Cards are sold from this instant; fixed-window cards are valid from it', example: '2026-02-28T16:00:00.000Z' })
  @IsISO8601({ strict: true })
  validFrom!: string;

  @ApiProperty({ description: 'Cards are sold until this instant; fixed-window cards are valid until it', example: '2026-05-31T16:00:00.000Z' })
  @IsISO8601({ strict: true })
  @IsAfter('validFrom')
  validTo!: string;

  @ApiPropertyOptional({ description: 'When set, each card is valid for this many days from its activation instead of the fixed window', example: 30 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  validDaysAfterIssue?: number;

  @ApiPropertyOptional({ description: 'Cards that may be issued in all; unpaid orders that expire give their place back', example: 10000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  totalLimit?: number;

  @ApiPropertyOptional({ description: 'Cards one phone may hold in this campaign', example: 1, default: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  perPhoneLimit?: number;
}

export class CampaignQueryDto extends PageQueryDto {}

export class BenefitView {
  @ApiProperty({ enum: BenefitType })
  type!: BenefitType;
  @ApiProperty({ example: 50000 })
  value!: number;
  @ApiPropertyOptional({ example: 50000 })
  maxDiscountFen?: number;
  @ApiPropertyOptional({ example: 300000 })
  minSpendFen?: number;
}

export class CampaignView {
  @ApiProperty({ example: EXAMPLE.campaignId })
  id!: string;
  @ApiProperty({ example: '1 yuan card, spring sale' })
  name!: string;
  @ApiProperty({ example: 100 })
  priceFen!: number;
  @ApiProperty({ type: BenefitView })
  benefit!: BenefitView;
  @ApiProperty({ type: [String], example: [EXAMPLE.brandId] })
  brandIds!: string[];
  @ApiProperty({ type: [String], example: ['bathroom'] })
  categories!: string[];
  @ApiProperty({ type: [String], example: ['Shanghai'] })
  cities!: string[];
  @ApiProperty({ example: '2026-02-28T16:00:00.000Z' })
  validFrom!: string;
  @ApiProperty({ example: '2026-05-31T16:00:00.000Z' })
  validTo!: string;
  @ApiProperty({ type: Number, nullable: true, example: 30 })
  validDaysAfterIssue!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 10000 })
  totalLimit!: number | null;
  @ApiProperty({ example: 1 })
  perPhoneLimit!: number;
  @ApiProperty({ description: 'Cards holding a place: paid, or waiting for payment', example: 3280 })
  issued!: number;
  @ApiProperty({ description: 'Cards redeemed now (a reversed redemption no longer counts)', example: 412 })
  redeemed!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Places left under totalLimit; null when unlimited', example: 6720 })
  remaining!: number | null;
  @ApiProperty({ example: EXAMPLE.aMonthEarlier })
  createdAt!: string;
}
