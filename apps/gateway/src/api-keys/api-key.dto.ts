import { ApiProperty } from '@nestjs/swagger';
import { EXAMPLE } from '@o2o/contracts';
import { IsUUID } from 'class-validator';

/** The brand in /brands/{brandId}/api-keys. */
export class BrandKeysParams {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all') brandId!: string;
}

export class IssuedApiKeyView {
  @ApiProperty({ format: 'uuid', description: 'Revoke the key by this id', example: EXAMPLE.apiKeyId }) id!: string;
  @ApiProperty({ description: 'Shown once; only its hash is kept', example: 'o2o_3q2-7wGk…' }) key!: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.brandId }) brandId!: string;
}
