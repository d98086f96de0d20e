import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorView {
  @ApiProperty({ example: 'customer.phone' }) field!: string;
  @ApiProperty({ example: 'must be a mainland mobile number (11 digits starting with 1)' }) message!: string;
}

/** Every error the gateway answers: application/problem+json (RFC 9457). */
export class ProblemView {
  @ApiProperty({ example: 'https://o2o.home/problems/bad_input' }) type!: string;
  @ApiProperty({ example: 'Bad input' }) title!: string;
  @ApiProperty({ example: 400 }) status!: number;
  @ApiProperty({ example: 'phone: must be a mainland mobile number' }) detail!: string;
  @ApiPropertyOptional({ example: '/v1/cards' }) instance?: string;
  @ApiPropertyOptional({ description: 'The domain error code', example: 'bad_input' }) code?: string;
  @ApiPropertyOptional({ description: 'Why a business rule was broken', example: 'card_expired' }) reason?: string;
  @ApiPropertyOptional({ type: [FieldErrorView], description: 'Per-field messages for bad input' }) errors?: FieldErrorView[];
}
