import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, IsUrl, IsUUID, MaxLength, MinLength } from 'class-validator';
import { PageQueryDto } from '../pagination';

export class BrandIdParams {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all') brandId!: string;
}

export class PutWebhookDto {
  @ApiProperty({ example: 'https://partner.example.com/o2o' })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'url must be an http(s) URL' })
  @MaxLength(2000)
  url!: string;
  @ApiProperty({ minLength: 16, description: 'Signs every delivery (X-O2O-Signature); never shown again' })
  @IsString()
  @MinLength(16)
  @MaxLength(200)
  secret!: string;
}

export class PutWebhookMessage extends PutWebhookDto {
  @IsUUID('all') brandId!: string;
}

export class WebhookView {
  @ApiProperty({ format: 'uuid' }) brandId!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ description: 'The secret is kept to sign deliveries and never shown' }) secretSet!: boolean;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class WebhookDeliveriesMessage extends PageQueryDto {
  @IsUUID('all') brandId!: string;
}

export class WebhookDeliveryView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ example: 'lead.assigned' }) type!: string;
  @ApiProperty() attempt!: number;
  @ApiPropertyOptional() statusCode?: number;
  @ApiPropertyOptional() error?: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiPropertyOptional({ format: 'date-time' }) nextAttemptAt?: string;
}
