import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { EXAMPLE } from '../dto/examples';
import { CardStatus } from '../enums';

/** The order id in the sandbox callback's path. */
export class SandboxOrderParams {
  @ApiProperty()
  @IsUUID('all')
  orderId!: string;
}

/**
 * A payment provider's word that an order is paid. The sandbox needs only the order id; a real
 * provider's callback carries its raw signed body and headers, which its adapter verifies.
 */
export class CompletePaymentMessage {
  @ApiProperty({ example: 'sandbox' })
  @IsString()
  @Matches(/^[a-z][a-z0-9_-]{1,31}$/)
  provider!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all')
  orderId?: string;

  @ApiPropertyOptional({ description: 'The callback body exactly as received' })
  @IsOptional()
  @IsString()
  @MaxLength(65_536)
  body?: string;

  @ApiPropertyOptional({ description: 'The callback headers, lower-cased names' })
  @IsOptional()
  @IsObject()
  headers?: Record<string, string>;
}

export class PaymentCompletionView {
  @ApiProperty({ example: EXAMPLE.orderId })
  orderId!: string;
  @ApiProperty({ example: 'paid' })
  status!: 'paid';
  @ApiProperty({ example: EXAMPLE.cardNo })
  cardNo!: string;
  @ApiProperty({ enum: CardStatus, example: CardStatus.Active })
  cardStatus!: CardStatus;
  @ApiProperty({ description: 'False when the payment had already been recorded (a repeated callback)' })
  activatedNow!: boolean;
}
