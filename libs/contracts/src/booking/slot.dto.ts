import { ApiProperty } from '@nestjs/swagger';
import { IsUUID, Matches } from 'class-validator';
import { EXAMPLE } from '../dto/examples';

export class SlotsQueryDto {
  @ApiProperty({ example: '2026-11-24', description: "A day in the store's own time zone" })
  @Matches(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { message: 'date must be YYYY-MM-DD' })
  date!: string;
}

export class ListSlotsMessage extends SlotsQueryDto {
  @IsUUID('all') storeId!: string;
}

export class SlotView {
  @ApiProperty({ format: 'date-time', example: EXAMPLE.aDayLater }) start!: string;
  @ApiProperty({ format: 'date-time', example: '2026-03-15T07:30:00.000Z' }) end!: string;
  @ApiProperty({ example: 4 }) capacity!: number;
  @ApiProperty({ example: 1 }) booked!: number;
}
