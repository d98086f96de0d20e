import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { EXAMPLE } from '../dto/examples';
import { PageQueryDto } from '../pagination';

/**
 * The one rounding rule of commissions, as the API describes it. Every amount starts as an exact
 * fraction of a fen (fen × basis points / 10 000; entry × refunded / amount) and is rounded in one
 * way only: a line gets floor(running exact total with it) − floor(running exact total before it).
 */
export const COMMISSION_ROUNDING =
  'Amounts are integer fen. Each entry is an exact fraction (fen × basis points / 10000) rounded by one rule: ' +
  'floor of the running total with the entry minus floor of the running total before it, in the order online base, closer base, premium, platform fee. ' +
  "So a deal's entries add up to floor of their exact sum, none lost or invented, each within one fen of its exact value. " +
  'A refund claws back each entry by the same rule over the refunded total: clawback = −(floor(entry × refundedTotal / amount) − floor(entry × refundedBefore / amount)), ' +
  'so after a full refund every entry and its clawbacks add up to 0.';

export const COMMISSION_PARTIES = ['online_agent', 'offline_closer', 'platform'] as const;
export type CommissionParty = (typeof COMMISSION_PARTIES)[number];

export const COMMISSION_KINDS = ['base', 'premium', 'fee', 'clawback'] as const;
export type CommissionKind = (typeof COMMISSION_KINDS)[number];

export const COMMISSION_STATUSES = ['pending', 'approved', 'paid', 'reversed'] as const;
export type CommissionStatus = (typeof COMMISSION_STATUSES)[number];

/** Basis points: 100 = 1%. */
export const MAX_RATE_BP = 10_000;

/** The commission rules; each PUT makes a new version, in force from then on. */
export class CommissionRulesDto {
  @ApiProperty({ example: 100, minimum: 0, maximum: MAX_RATE_BP, description: "The online agent's share of the amount, in basis points (100 = 1%)" })
  @IsInt()
  @Min(0)
  @Max(MAX_RATE_BP)
  onlineRate!: number;

  @ApiProperty({ example: 200, minimum: 0, maximum: MAX_RATE_BP, description: "The closer's share of the amount, in basis points" })
  @IsInt()
  @Min(0)
  @Max(MAX_RATE_BP)
  offlineRate!: number;

  @ApiProperty({ example: 500, minimum: 0, maximum: MAX_RATE_BP, description: "The closer's share of the amount over the budget, in basis points" })
  @IsInt()
  @Min(0)
  @Max(MAX_RATE_BP)
  premiumRate!: number;

  @ApiProperty({ example: 300, minimum: 0, maximum: MAX_RATE_BP, description: "The platform's fee from the brand, in basis points" })
  @IsInt()
  @Min(0)
  @Max(MAX_RATE_BP)
  platformFeeRate!: number;

  @ApiProperty({ example: 90, minimum: 1, maximum: 3650, description: 'How far before the close a card or booking of the same phone still counts' })
  @IsInt()
  @Min(1)
  @Max(3650)
  attributionWindowDays!: number;

  @ApiProperty({ example: 15, minimum: 0, maximum: 365, description: 'Days after the close before an entry is approved' })
  @IsInt()
  @Min(0)
  @Max(365)
  approvalDelayDays!: number;
}

export class CommissionRulesView extends CommissionRulesDto {
  @ApiProperty({ example: 3, description: 'Deals are credited by the version in force when they closed' }) version!: number;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.aMonthEarlier }) effectiveFrom!: string;
}

export class CommissionQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'The staff member credited; a salesperson or agent only ever sees their own' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  staffId?: string;

  @ApiPropertyOptional({ enum: COMMISSION_STATUSES })
  @IsOptional()
  @IsIn(COMMISSION_STATUSES)
  status?: CommissionStatus;

  @ApiPropertyOptional({ description: 'Entries made at or after this time (the close, or the refund for a clawback)', example: '2026-03-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Entries made before this time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

/** One line of the ledger. Its amount never changes; a refund adds clawback lines. */
export class CommissionView {
  @ApiProperty({ format: 'uuid', example: '0190f1c2-7a10-7000-8000-000000000142' }) id!: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.dealId }) dealId!: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Null for the platform', example: EXAMPLE.agentId }) staffId!: string | null;
  @ApiProperty({ enum: COMMISSION_PARTIES }) party!: CommissionParty;
  @ApiProperty({ enum: COMMISSION_KINDS, example: 'clawback' }) kind!: CommissionKind;
  @ApiProperty({ description: `Negative for a clawback. ${COMMISSION_ROUNDING}`, example: -1000 }) amountFen!: number;
  @ApiProperty({ enum: COMMISSION_STATUSES, example: 'paid' }) status!: CommissionStatus;
  @ApiPropertyOptional({ type: String, nullable: true, format: 'uuid', description: 'For a clawback: the entry it claws back', example: EXAMPLE.commissionId })
  clawbackOf!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, format: 'uuid', description: 'For a clawback: the refund that caused it', example: EXAMPLE.refundId })
  refundId!: string | null;
  @ApiProperty({ format: 'date-time', description: 'The close (or, for a clawback, the refund)', example: EXAMPLE.aWeekLater }) at!: string;
  @ApiProperty({ format: 'date-time', description: 'When it is approved, unless reversed first', example: '2026-03-30T06:30:00.000Z' }) approveAfter!: string;
  @ApiPropertyOptional({ type: String, nullable: true, format: 'uuid', description: 'The statement that paid it', example: EXAMPLE.statementId })
  statementId!: string | null;
}

export const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

export class CreateStatementDto {
  @ApiProperty({ example: '2026-03', description: "A calendar month in the chain's report time zone; it must be over" })
  @IsString()
  @Matches(PERIOD, { message: 'period must be a month, YYYY-MM' })
  period!: string;
}

/** One person's part of a statement; the platform's fee is the line without a staffId. */
export class StatementLineView {
  @ApiPropertyOptional({ type: String, nullable: true, example: EXAMPLE.agentId }) staffId!: string | null;
  @ApiProperty({ description: 'Approved entries paid by this statement', example: 7000 }) approvedFen!: number;
  @ApiProperty({ description: 'Clawbacks settled by this statement (negative), including those of entries paid earlier', example: -1000 }) clawbackFen!: number;
  @ApiProperty({ description: 'approvedFen + clawbackFen', example: 6000 }) netFen!: number;
  @ApiProperty({ example: 2 }) entries!: number;
}

export class StatementView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.statementId }) id!: string;
  @ApiProperty({ example: '2026-03' }) period!: string;
  @ApiProperty({ format: 'date-time', description: 'The end of the period: entries approved for before it are paid', example: '2026-03-31T16:00:00.000Z' })
  periodEnd!: string;
  @ApiProperty({ format: 'date-time', example: '2026-04-01T02:00:00.000Z' }) createdAt!: string;
  @ApiProperty({ type: [StatementLineView] }) lines!: StatementLineView[];
  @ApiProperty({ example: 48858 }) totalFen!: number;
}
