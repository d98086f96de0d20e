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
  @ApiPropertyOptional({ format: 'uuid' })
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

  @ApiPropertyOptional({ format: 'uuid', description: 'Left out, the lead routing picks the store' })
  @IsOptional()
  @IsUUID('all')
  storeId?: string;

  @ApiPropertyOptional({ type: [String], description: 'Brands the customer wants to see; each a tenant of the store' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  brandIds?: string[];

  @ApiProperty({ enum: BookingKind })
  @IsEnum(BookingKind)
  kind!: BookingKind;

  @ApiProperty({ format: 'date-time', description: 'When the customer would like to come (or be visited)' })
  @IsISO8601({ strict: true })
  preferredAt!: string;

  @ApiPropertyOptional({ description: 'Required for home_measure' })
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
  @ApiProperty({ format: 'date-time', description: 'The start of a slot, as GET /stores/{id}/slots gives it' })
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
  @ApiProperty({ format: 'uuid', description: 'The store the customer came to; it must be the booking’s' })
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
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'Masked (138****5678) unless the caller owns the lead, manages the store, or is online staff' }) phone!: string;
}

export class BookingSourceView {
  @ApiProperty({ enum: Channel }) channel!: Channel;
  @ApiProperty({ type: String, nullable: true }) campaign!: string | null;
  @ApiProperty({ type: String, nullable: true }) agentId!: string | null;
  @ApiProperty({ type: String, nullable: true }) visitorId!: string | null;
}

export class BookingChangeView {
  @ApiProperty({ enum: BookingStatus, nullable: true }) from!: BookingStatus | null;
  @ApiProperty({ enum: BookingStatus }) to!: BookingStatus;
  @ApiProperty({ type: String, nullable: true, description: 'The staff user, partner brand, or null for an anonymous caller' }) by!: string | null;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) appointmentAt!: string | null;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class BookingView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: BookingStatus }) status!: BookingStatus;
  @ApiProperty({ enum: BookingKind }) kind!: BookingKind;
  @ApiProperty() city!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) storeId!: string | null;
  @ApiProperty({ type: [String] }) brandIds!: string[];
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) consultationId!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'Set once the lead that follows is made' }) leadId!: string | null;
  @ApiProperty({ type: CustomerView }) customer!: CustomerView;
  @ApiProperty({ format: 'date-time' }) preferredAt!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) appointmentAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) address!: string | null;
  @ApiProperty({ type: Number, nullable: true }) budgetFen!: number | null;
  @ApiProperty({ type: String, nullable: true }) style!: string | null;
  @ApiProperty({ type: Number, nullable: true }) areaSqm!: number | null;
  @ApiProperty({ type: BookingSourceView }) source!: BookingSourceView;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiPropertyOptional({ type: [BookingChangeView], description: 'Who changed the status, when and why (on GET by id)' }) history?: BookingChangeView[];
}
