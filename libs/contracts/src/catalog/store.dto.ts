import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { PageQueryDto } from '../pagination';
import { IsIanaTimeZone } from '../validators';

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

export class CreateStoreDto {
  @ApiProperty({ example: 'Zhenbei store' }) @IsString() @IsNotEmpty() @MaxLength(100) name!: string;
  @ApiProperty({ example: 'Shanghai' }) @IsString() @IsNotEmpty() @MaxLength(60) city!: string;
  @ApiProperty({ example: '1 Zhenbei Rd' }) @IsString() @IsNotEmpty() @MaxLength(200) address!: string;
  @ApiPropertyOptional({ example: 'Putuo' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(60) district?: string;
  @ApiPropertyOptional({ example: 'Asia/Shanghai', default: 'Asia/Shanghai' }) @IsOptional() @IsIanaTimeZone() timeZone?: string;
  @ApiPropertyOptional({ example: '10:00', default: '10:00' }) @IsOptional() @Matches(HH_MM, { message: 'opensAt must be HH:MM' }) opensAt?: string;
  @ApiPropertyOptional({ example: '21:00', default: '21:00' }) @IsOptional() @Matches(HH_MM, { message: 'closesAt must be HH:MM' }) closesAt?: string;
  @ApiPropertyOptional({ default: 60 }) @IsOptional() @IsInt() @Min(15) @Max(480) slotMinutes?: number;
  @ApiPropertyOptional({ default: 4 }) @IsOptional() @IsInt() @Min(1) @Max(1000) slotCapacity?: number;
}

export class UpdateStoreDto extends PartialType(CreateStoreDto) {}

export class UpdateStoreMessage extends UpdateStoreDto {
  @IsUUID() id!: string;
}

export class StoreQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(60) city?: string;
}

export class JoinStoreDto {
  @ApiPropertyOptional({ example: 'B2-018' }) @IsOptional() @IsString() @MaxLength(50) booth?: string;
}

export class JoinStoreMessage extends JoinStoreDto {
  @IsUUID() storeId!: string;
  @IsUUID() brandId!: string;
}

export interface StoreView {
  id: string;
  name: string;
  city: string;
  district: string | null;
  address: string;
  timeZone: string;
  opensAt: string;
  closesAt: string;
  slotMinutes: number;
  slotCapacity: number;
  createdAt: string;
  updatedAt: string;
}

export interface BoothView {
  storeId: string;
  brandId: string;
  booth: string | null;
}

