import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsEnum,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { MAX_FEN } from '../coupons/campaign.dto';
import { EXAMPLE } from '../dto/examples';
import { SourceDto } from '../dto/source.dto';
import { BookingStatus, Channel } from '../enums';
import { PageQueryDto } from '../pagination';
import { IsMainlandMobile } from '../phone';
import { MAX_AREA_SQM } from './consultation.dto';

export enum BookingKind {
  StoreVisit = 'store_visit',
  HomeMeasure = 'home_measure',
}

export class CustomerDto {
  @ApiProperty({ example: 'Ms Wang' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @ApiProperty({ description: 'Mainland mobile number (11 digits starting with 1; +86, spaces and dashes allowed)', example: '13812345678' })
  @IsMainlandMobile()
  phone!: string;
}

/** A booking order: an appointment at a store, or a home-measurement visit for heavy categories. */
export class CreateBookingDto {
  @ApiPropertyOptional({ format: 'uuid', example: EXAMPLE.consultationId })
  @IsOptional()
  @IsUUID('all')
  consultationId?: string;

  @ApiProperty({ type: CustomerDto })
  @IsObject()
  @ValidateNested()
  @Type(() => CustomerDto)
  customer!: CustomerDto;

  @ApiProperty({ example: 'Shanghai' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  city!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Left out, the lead routing picks the store', example: EXAMPLE.storeId })
  @IsOptional()
  @IsUUID('all')
  storeId?: string;

  @ApiPropertyOptional({ type: [String], description: 'Brands the customer wants to see; each a tenant of the store', example: [EXAMPLE.brandId] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  brandIds?: string[];

  @ApiProperty({ enum: BookingKind })
  @IsEnum(BookingKind)
  kind!: BookingKind;

  @ApiProperty({ format: 'date-time', description: 'When the customer would like to come (or be visited)', example: EXAMPLE.aDayLater })
  @IsISO8601({ strict: true })
  preferredAt!: string;

  @ApiPropertyOptional({ description: 'Required for home_measure', example: 'Room 1202, No. 88 Century Avenue, Pudong, Shanghai' })
  @ValidateIf((b: CreateBookingDto) => b.kind === BookingKind.HomeMeasure || b.address !== undefined)
  @IsString({ message: 'address is required for a home_measure booking' })
  @IsNotEmpty({ message: 'address is required for a home_measure booking' })
  @MaxLength(500)
  address?: string;

  @ApiPropertyOptional({ example: 400000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_FEN)
  budgetFen?: number;

  @ApiPropertyOptional({ example: 'modern' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  style?: string;

  @ApiPropertyOptional({ example: 90 })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(1)
  @Max(MAX_AREA_SQM)
  areaSqm?: number;

  @ApiProperty({ type: SourceDto })
  @IsObject()
  @ValidateNested()
  @Type(() => SourceDto)
  source!: SourceDto;
}

/** The appointment a confirmation or a reschedule asks for: the start of one of the store's slots. */
export class AppointmentDto {
  @ApiProperty({ format: 'date-time', description: 'The start of a slot, as GET /stores/{id}/slots gives it', example: EXAMPLE.aDayLater })
  @IsISO8601({ strict: true })
  appointmentAt!: string;
}

export class AppointmentMessage extends AppointmentDto {
  @IsUUID('all') id!: string;
}

export class CancelBookingDto {
  @ApiProperty({ example: 'customer travelling' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason!: string;
}

export class CancelBookingMessage extends CancelBookingDto {
  @IsUUID('all') id!: string;
}

export class CheckInDto {
  @ApiProperty({ format: 'uuid', description: 'The store the customer came to; it must be the booking’s', example: EXAMPLE.storeId })
  @IsUUID('all')
  storeId!: string;
}

export class CheckInMessage extends CheckInDto {
  @IsUUID('all') id!: string;
}

export class BookingQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  storeId?: string;

  @ApiPropertyOptional({ enum: BookingStatus })
  @IsOptional()
  @IsEnum(BookingStatus)
  status?: BookingStatus;

  @ApiPropertyOptional({ description: 'Appointments (or, before one, preferred times) at or after this time', example: '2026-01-31T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Appointments (or preferred times) before this time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export class CustomerView {
  @ApiProperty({ example: 'Ms Wang' }) name!: string;
  @ApiProperty({ description: 'Masked (138****5678) unless the caller owns the lead, manages the store, or is online staff', example: EXAMPLE.phoneMasked })
  phone!: string;
}

export class BookingSourceView {
  @ApiProperty({ enum: Channel }) channel!: Channel;
  @ApiProperty({ type: String, nullable: true, example: EXAMPLE.campaign }) campaign!: string | null;
  @ApiProperty({ type: String, nullable: true, example: EXAMPLE.agentId }) agentId!: string | null;
  @ApiProperty({ type: String, nullable: true, example: EXAMPLE.visitorId }) visitorId!: string | null;
}

export class BookingChangeView {
  @ApiProperty({ enum: BookingStatus, nullable: true }) from!: BookingStatus | null;
  @ApiProperty({ enum: BookingStatus, example: BookingStatus.Confirmed }) to!: BookingStatus;
  @ApiProperty({ type: String, nullable: true, description: 'The staff user, partner brand, or null for an anonymous caller', example: EXAMPLE.agentId })
  by!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'confirmed by phone with the customer' }) reason!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: EXAMPLE.aDayLater }) appointmentAt!: string | null;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.anHourLater }) at!: string;
}

export class BookingView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.bookingId }) id!: string;
  @ApiProperty({ enum: BookingStatus, example: BookingStatus.Confirmed }) status!: BookingStatus;
  @ApiProperty({ enum: BookingKind }) kind!: BookingKind;
  @ApiProperty({ example: 'Shanghai' }) city!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', example: EXAMPLE.storeId }) storeId!: string | null;
  @ApiProperty({ type: [String], example: [EXAMPLE.brandId] }) brandIds!: string[];
  @ApiProperty({ type: String, nullable: true, format: 'uuid', example: EXAMPLE.consultationId }) consultationId!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'Set once the lead that follows is made', example: EXAMPLE.leadId })
  leadId!: string | null;
  @ApiProperty({ type: CustomerView }) customer!: CustomerView;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.aDayLater }) preferredAt!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: EXAMPLE.aDayLater }) appointmentAt!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Room 1202, No. 88 Century Avenue, Pudong, Shanghai' }) address!: string | null;
  @ApiProperty({ type: Number, nullable: true, example: 400000 }) budgetFen!: number | null;
  @ApiProperty({ type: String, nullable: true, example: 'modern' }) style!: string | null;
  @ApiProperty({ type: Number, nullable: true, example: 90 }) areaSqm!: number | null;
  @ApiProperty({ type: BookingSourceView }) source!: BookingSourceView;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.at }) createdAt!: string;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.anHourLater }) updatedAt!: string;
  @ApiPropertyOptional({ type: [BookingChangeView], description: 'Who changed the status, when and why (on GET by id)' }) history?: BookingChangeView[];
}
