import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, IsUrl, IsUUID, MaxLength, MinLength } from 'class-validator';
import { EXAMPLE } from '../dto/examples';
import { PageQueryDto } from '../pagination';

export class BrandIdParams {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all') brandId!: string;
}

export class PutWebhookDto {
  @ApiProperty({ example: 'https://partner.example.com/o2o' })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'url must be an http(s) URL' })
  @MaxLength(2000)
  url!: string;
  @ApiProperty({ minLength: 16, description: 'Signs every delivery (X-O2O-Signature); never shown again', example: 'whsec_8d2f61c4b7a94e03' })
  @IsString()
  @MinLength(16)
  @MaxLength(200)
  secret!: string;
}

export class PutWebhookMessage extends PutWebhookDto {
  @IsUUID('all') brandId!: string;
}

export class WebhookView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.brandId }) brandId!: string;
  @ApiProperty({ example: 'https://partner.example.com/o2o' }) url!: string;
  @ApiProperty({ description: 'The secret is kept to sign deliveries and never shown' }) secretSet!: boolean;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.aMonthEarlier }) updatedAt!: string;
}

export class WebhookDeliveriesMessage extends PageQueryDto {
  @IsUUID('all') brandId!: string;
}

export class WebhookDeliveryView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.deliveryId }) id!: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.eventId }) eventId!: string;
  @ApiProperty({ example: 'lead.assigned' }) type!: string;
  @ApiProperty({ example: 2 }) attempt!: number;
  @ApiPropertyOptional({ example: 503 }) statusCode?: number;
  @ApiPropertyOptional({ example: 'answered 503' }) error?: string;
  @ApiProperty({ format: 'date-time', example: '2026-03-14T06:30:02.000Z' }) at!: string;
  @ApiPropertyOptional({ format: 'date-time', example: '2026-03-14T06:30:06.000Z' }) nextAttemptAt?: string;
}
