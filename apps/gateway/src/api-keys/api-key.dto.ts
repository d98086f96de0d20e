import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

/** The brand in /brands/{brandId}/api-keys. */
export class BrandKeysParams {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all') brandId!: string;
}

export class IssuedApiKeyView {
  @ApiProperty({ format: 'uuid', description: 'Revoke the key by this id' }) id!: string;
  @ApiProperty({ description: 'Shown once; only its hash is kept', example: 'o2o_3q2-7wGk…' }) key!: string;
  @ApiProperty({ format: 'uuid' }) brandId!: string;
}
