import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
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
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ enum: LEAD_ACTIONS }) action!: LeadAction;
  @ApiPropertyOptional({ format: 'uuid', nullable: true }) fromStaffId!: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true }) toStaffId!: string | null;
  @ApiPropertyOptional({ nullable: true, example: 'round_robin: next in rotation' }) reason!: string | null;
}

export class LeadView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: [String] }) bookingIds!: string[];
  @ApiPropertyOptional({ description: 'Only for the owner, the owner’s store manager, ops and admin' }) phone?: string;
  @ApiProperty({ example: '138****5678' }) phoneMasked!: string;
  @ApiProperty() city!: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true }) storeId!: string | null;
  @ApiProperty({ type: [String] }) brandIds!: string[];
  @ApiPropertyOptional({ format: 'uuid', nullable: true }) ownerId!: string | null;
  @ApiProperty({ enum: LeadStatus }) status!: LeadStatus;
  @ApiPropertyOptional({ format: 'date-time', nullable: true }) slaDueAt!: string | null;
  @ApiProperty({ format: 'date-time' }) protectedUntil!: string;
  @ApiProperty({ type: [LeadHistoryEntry] }) history!: LeadHistoryEntry[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class ReassignLeadDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all') toStaffId!: string;
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
