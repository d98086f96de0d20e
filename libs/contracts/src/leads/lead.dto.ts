import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { EXAMPLE } from '../dto/examples';
import { LeadStatus } from '../enums';
import { PageQueryDto } from '../pagination';

export class LeadQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all') ownerId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all') storeId?: string;
  @ApiPropertyOptional({ enum: LeadStatus }) @IsOptional() @IsEnum(LeadStatus) status?: LeadStatus;
}

export const LEAD_ACTIONS = ['created', 'touched', 'assigned', 'unassigned', 'reassigned', 'contacted', 'visited', 'won', 'lost', 'booking_linked'] as const;
export type LeadAction = (typeof LEAD_ACTIONS)[number];

/** One decision or event in a lead's life, with its reason: why this person, or why nobody. */
export class LeadHistoryEntry {
  @ApiProperty({ format: 'date-time', example: EXAMPLE.at }) at!: string;
  @ApiProperty({ enum: LEAD_ACTIONS, example: 'assigned' }) action!: LeadAction;
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, example: null }) fromStaffId!: string | null;
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, example: EXAMPLE.staffId }) toStaffId!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'round_robin: next in rotation' }) reason!: string | null;
}

export class LeadView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.leadId }) id!: string;
  @ApiProperty({ type: [String], example: [EXAMPLE.bookingId] }) bookingIds!: string[];
  @ApiPropertyOptional({ description: 'Only for the owner, the owner’s store manager, ops and admin', example: EXAMPLE.phone }) phone?: string;
  @ApiProperty({ example: '138****5678' }) phoneMasked!: string;
  @ApiProperty({ example: 'Shanghai' }) city!: string;
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, example: EXAMPLE.storeId }) storeId!: string | null;
  @ApiProperty({ type: [String], example: [EXAMPLE.brandId] }) brandIds!: string[];
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, example: EXAMPLE.staffId }) ownerId!: string | null;
  @ApiProperty({ enum: LeadStatus, example: LeadStatus.Assigned }) status!: LeadStatus;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, example: '2026-03-14T07:00:00.000Z' }) slaDueAt!: string | null;
  @ApiProperty({ format: 'date-time', example: '2026-04-13T06:30:00.000Z' }) protectedUntil!: string;
  @ApiProperty({ type: [LeadHistoryEntry] }) history!: LeadHistoryEntry[];
  @ApiProperty({ format: 'date-time', example: EXAMPLE.at }) createdAt!: string;
}

export class ReassignLeadDto {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.staffId }) @IsUUID('all') toStaffId!: string;
  @ApiProperty({ example: 'customer asked for a colleague' }) @IsString() @MinLength(1) @MaxLength(500) reason!: string;
}

export class ReassignLeadMessage extends ReassignLeadDto {
  @IsUUID('all') id!: string;
}

export class LoseLeadDto {
  @ApiProperty({ example: 'bought elsewhere' }) @IsString() @MinLength(1) @MaxLength(500) reason!: string;
}

export class LoseLeadMessage extends LoseLeadDto {
  @IsUUID('all') id!: string;
}
