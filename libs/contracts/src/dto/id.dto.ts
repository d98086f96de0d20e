import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

/** A resource id in a path, and the message of a handler that needs nothing else. */
export class IdDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all') id!: string;
}
