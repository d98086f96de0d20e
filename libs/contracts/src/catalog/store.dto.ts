import { ApiProperty, ApiPropertyOptional, IntersectionType, PartialType } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { EXAMPLE } from '../dto/examples';
import { Page, PageQueryDto } from '../pagination';
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
  @ApiPropertyOptional({ example: 60, default: 60 }) @IsOptional() @IsInt() @Min(15) @Max(480) slotMinutes?: number;
  @ApiPropertyOptional({ example: 4, default: 4 }) @IsOptional() @IsInt() @Min(1) @Max(1000) slotCapacity?: number;
}

export class UpdateStoreDto extends PartialType(CreateStoreDto) {}

export class UpdateStoreMessage extends UpdateStoreDto {
  @IsUUID() id!: string;
}

export class StoreQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(60) city?: string;
}

/** The path of a brand's booth in a store: /stores/{storeId}/brands/{brandId}. */
export class StoreBrandParams {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all') storeId!: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID('all') brandId!: string;
}

export class JoinStoreDto {
  @ApiPropertyOptional({ example: 'B2-018' }) @IsOptional() @IsString() @MaxLength(50) booth?: string;
}

export class JoinStoreMessage extends IntersectionType(JoinStoreDto, StoreBrandParams) {}

export class StoreView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.storeId }) id!: string;
  @ApiProperty({ example: 'Zhenbei store' }) name!: string;
  @ApiProperty({ example: 'Shanghai' }) city!: string;
  @ApiProperty({ type: String, nullable: true, example: 'Putuo' }) district!: string | null;
  @ApiProperty({ example: '1 Zhenbei Rd' }) address!: string;
  @ApiProperty({ example: 'Asia/Shanghai' }) timeZone!: string;
  @ApiProperty({ example: '10:00', description: 'Local time' }) opensAt!: string;
  @ApiProperty({ example: '21:00', description: 'Local time' }) closesAt!: string;
  @ApiProperty({ example: 60 }) slotMinutes!: number;
  @ApiProperty({ example: 4, description: 'Visits one slot takes' }) slotCapacity!: number;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.aMonthEarlier }) createdAt!: string;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.aMonthEarlier }) updatedAt!: string;
}

export class StorePageView implements Page<StoreView> {
  @ApiProperty({ type: [StoreView] }) items!: StoreView[];
  @ApiProperty({ type: String, nullable: true, description: 'The cursor of the next page; null on the last', example: EXAMPLE.nextCursor }) nextCursor!:
    string | null;
}

/** A brand's booth in a store: the brand is a tenant there. */
export class BoothView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.storeId }) storeId!: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.brandId }) brandId!: string;
  @ApiProperty({ type: String, nullable: true, example: 'B2-018' }) booth!: string | null;
}
