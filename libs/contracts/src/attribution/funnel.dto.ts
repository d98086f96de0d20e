import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, registerDecorator, ValidationOptions } from 'class-validator';
import { IsIanaTimeZone } from '../validators';
import { parseInstant } from './touchpoint.dto';

export const FUNNEL_GROUP_BY = ['channel', 'city', 'store', 'agent', 'brand'] as const;
export type FunnelGroupBy = (typeof FUNNEL_GROUP_BY)[number];

/** The key of the records that lack the dimension grouped by (a visit has no store), and of deals credited to no channel. */
export const FUNNEL_NONE_KEY = 'none';

/** The longest range one funnel request covers. */
export const MAX_FUNNEL_RANGE_DAYS = 366;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day written YYYY-MM-DD (2031-02-30 is not). */
export function isCalendarDay(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE.test(value)) return false;
  const t = Date.parse(`${value}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === value;
}

/** A calendar day (YYYY-MM-DD) or an ISO 8601 instant that names its offset. */
export function IsDateOrInstant(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isDateOrInstant',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must be a date (YYYY-MM-DD) or an ISO 8601 instant with its offset (e.g. 2031-03-10T08:00:00Z)`, ...options },
      validator: {
        validate: (value: unknown) => isCalendarDay(value) || parseInstant(value) !== undefined,
      },
    });
}

/** GET /funnel: the figures of each step over [from, to), grouped by one dimension. */
export class FunnelQueryDto {
  @ApiProperty({ description: 'Start, included: a date (midnight in tz) or an ISO 8601 instant', example: '2026-03-01' })
  @IsDateOrInstant()
  from!: string;

  @ApiProperty({
    description: `End, excluded: a date (midnight in tz) or an ISO 8601 instant; after from, at most ${MAX_FUNNEL_RANGE_DAYS} days later`,
    example: '2026-04-01',
  })
  @IsDateOrInstant()
  to!: string;

  @ApiProperty({ enum: FUNNEL_GROUP_BY })
  @IsIn(FUNNEL_GROUP_BY)
  groupBy!: FunnelGroupBy;

  @ApiPropertyOptional({
    description: "The IANA time zone dates are read in; defaults to the chain's report time zone (Asia/Shanghai)",
    example: 'Asia/Shanghai',
  })
  @IsOptional()
  @IsIanaTimeZone()
  tz?: string;
}

const RATE = (what: string) =>
  `${what}: a fraction from 0 to 1, or null when the denominator is 0. Capped at 1: the steps are counted independently over the range, so the later step can outnumber the earlier.`;

/** The figures of the funnel's five steps, and the four rates between them. */
export class FunnelFiguresView {
  @ApiProperty({
    description: 'Distinct visitorIds with a touchpoint in the range. Visits have only a channel: under any other grouping they are all under key none.',
    example: 1200,
  })
  visits!: number;

  @ApiProperty({ description: 'Consultations recorded in the range, under their own channel (and city and agent)', example: 240 })
  consultations!: number;

  @ApiProperty({
    description:
      'Booking orders created in the range. A booking naming several brands counts once under each brand (so the brand rows add up to more than the total).',
    example: 60,
  })
  bookings!: number;

  @ApiProperty({ description: "Store visits (check-ins) in the range, under their booking's channel; with several brands, once under each brand", example: 45 })
  storeVisits!: number;

  @ApiProperty({ description: 'Deals closed in the range, under the channel and agent they were credited to (none when unattributed)', example: 18 })
  deals!: number;

  @ApiProperty({ type: Number, nullable: true, description: RATE('consultations / visits'), example: 0.2 })
  consultationRate!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: RATE('bookings / consultations'), example: 0.25 })
  bookingRate!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: RATE('storeVisits / bookings'), example: 0.75 })
  toStoreRate!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: RATE('deals / storeVisits'), example: 0.4 })
  dealRate!: number | null;

  @ApiProperty({ description: 'The amounts of those deals, in fen', example: 12600000 })
  dealAmountFen!: number;

  @ApiProperty({ description: 'The stated budgets of those deals whose budget is known, in fen', example: 7200000 })
  budgetFen!: number;

  @ApiProperty({ description: 'The sum over deals with a known budget of max(0, amount - budget), in fen', example: 2100000 })
  premiumFen!: number;
}

export class FunnelRowView extends FunnelFiguresView {
  @ApiProperty({ description: 'The channel, city, store id, agent id or brand id; none for records without one', example: 'sem' })
  key!: string;
}

export class FunnelView {
  @ApiProperty({ type: [FunnelRowView], description: 'One row per key with any record in the range, ordered by key, none last' })
  rows!: FunnelRowView[];

  @ApiProperty({ type: FunnelFiguresView, description: 'The whole range: every record once, whatever the grouping' })
  total!: FunnelFiguresView;

  @ApiProperty({ format: 'date-time', description: 'The start the range was read as', example: '2026-02-28T16:00:00.000Z' })
  from!: string;

  @ApiProperty({ format: 'date-time', description: 'The end the range was read as', example: '2026-03-31T16:00:00.000Z' })
  to!: string;

  @ApiProperty({ example: 'Asia/Shanghai', description: 'The time zone dates were read in' })
  tz!: string;
}
