import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';

export const __THING___STATUSES = ['draft', 'active', 'archived'] as const;
export type __Thing__Status = (typeof __THING___STATUSES)[number];

export class Create__Thing__Dto {
  @ApiProperty({ example: 'First', minLength: 1, maxLength: 200 }) @IsString() @MinLength(1) @MaxLength(200) name!: string;
}

/** The new status, as the HTTP body of a move. */
export class Move__Thing__Dto {
  @ApiProperty({ enum: __THING___STATUSES }) @IsIn(['active', 'archived']) status!: Exclude<__Thing__Status, 'draft'>;
}

export class Move__Thing__Message extends Move__Thing__Dto {
  @IsUUID('all') id!: string;
}

export class __Thing__View {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: __THING___STATUSES }) status!: __Thing__Status;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}
