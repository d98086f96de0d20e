import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNumber, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Channel } from '../enums';
import { MAX_FEN } from '../coupons/campaign.dto';
import { EXAMPLE } from '../dto/examples';
import { SourceDto } from '../dto/source.dto';
import { IsMainlandMobile } from '../phone';

export const MAX_AREA_SQM = 100_000;

/**
 * What an online agent learned from a customer: the first step of the funnel after a visit. Its
 * source (channel, campaign, agent, visitor) is given flat, beside the customer's needs.
 */
export class RecordConsultationDto extends SourceDto {
  @ApiPropertyOptional({ description: 'Mainland mobile number; stored normalised', example: '13812345678' })
  @IsOptional()
  @IsMainlandMobile()
  phone?: string;

  @ApiProperty({ example: 'Shanghai' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  city!: string;

  @ApiPropertyOptional({ example: 'modern' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  style?: string;

  @ApiPropertyOptional({ description: "The customer's stated budget, in fen", example: 400000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_FEN)
  budgetFen?: number;

  @ApiPropertyOptional({ example: 90 })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(1)
  @Max(MAX_AREA_SQM)
  areaSqm?: number;

  @ApiPropertyOptional({ example: 'Wants a leather sofa for a 90 m² living room; free on weekends' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string;
}

export class ConsultationView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.consultationId }) id!: string;
  @ApiProperty({ enum: Channel }) channel!: Channel;
  @ApiProperty({ example: 'Shanghai' }) city!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Masked unless the caller may see it', example: EXAMPLE.phoneMasked }) phone!: string | null;
  @ApiProperty({ type: Number, nullable: true, example: 400000 }) budgetFen!: number | null;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.at }) recordedAt!: string;
}
