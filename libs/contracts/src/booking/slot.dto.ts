import { ApiProperty } from '@nestjs/swagger';
import { IsUUID, Matches } from 'class-validator';

export class SlotsQueryDto {
  @ApiProperty({ example: '2026-11-24', description: "A day in the store's own time zone" })
  @Matches(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { message: 'date must be YYYY-MM-DD' })
  date!: string;
}

export class ListSlotsMessage extends SlotsQueryDto {
  @IsUUID('all') storeId!: string;
}

export class SlotView {
  @ApiProperty({ format: 'date-time' }) start!: string;
  @ApiProperty({ format: 'date-time' }) end!: string;
  @ApiProperty() capacity!: number;
  @ApiProperty() booked!: number;
}
