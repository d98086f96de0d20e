import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsString, MaxLength } from 'class-validator';
import { Channel } from '../enums';
import { EXAMPLE } from './examples';

/** Where a customer came from online: a card's, a consultation's or a booking's source. */
export class SourceDto {
  @ApiProperty({ enum: Channel })
  @IsEnum(Channel)
  channel!: Channel;

  @ApiPropertyOptional({ description: 'The marketing campaign (e.g. a keyword plan)', example: EXAMPLE.campaign })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  campaign?: string;

  @ApiPropertyOptional({ description: 'The online agent who served the customer', example: EXAMPLE.agentId })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  agentId?: string;

  @ApiPropertyOptional({ example: EXAMPLE.visitorId })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  visitorId?: string;
}
