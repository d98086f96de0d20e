import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEnum,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
  registerDecorator,
  ValidateIf,
  ValidateNested,
  ValidationArguments,
  ValidationOptions,
} from 'class-validator';
import { EXAMPLE } from '../dto/examples';
import { Channel } from '../enums';

export const TOUCHPOINT_TYPES = ['visit'] as const;
export type TouchpointType = (typeof TOUCHPOINT_TYPES)[number];

/** At most this many touchpoints in one request. */
export const MAX_TOUCHPOINTS_PER_REQUEST = 500;
/** A touchpoint may be stamped a little ahead of the server's clock, no more. */
export const TOUCHPOINT_CLOCK_SKEW_MS = 5 * 60_000;
/** Nothing the platform counts happened before this. */
export const EARLIEST_INSTANT = Date.parse('2000-01-01T00:00:00Z');

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/;

/**
 * The epoch milliseconds of an ISO 8601 instant that names its offset (Z or ±hh:mm), or undefined.
 * Date.parse alone accepts 2031-02-30 and local times, whose instant depends on the reader.
 */
export function parseInstant(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = INSTANT.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number);
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > days || hour > 23 || minute > 59 || second > 59) return undefined;
  if (m[8] !== undefined && (Number(m[8]) > 23 || Number(m[9]) > 59)) return undefined;
  const t = Date.parse(value);
  return Number.isFinite(t) ? t : undefined;
}

/** An ISO 8601 instant with its offset, from 2000 on and not ahead of the server's clock (give or take a few minutes). */
export function IsTouchpointInstant(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isTouchpointInstant',
      target: target.constructor,
      propertyName,
      options: {
        message: `${propertyName} must be an ISO 8601 instant with its offset (e.g. 2031-03-10T08:00:00Z), from 2000 and not in the future`,
        ...options,
      },
      validator: {
        validate(value: unknown) {
          const t = parseInstant(value);
          return t !== undefined && t >= EARLIEST_INSTANT && t <= Date.now() + TOUCHPOINT_CLOCK_SKEW_MS;
        },
      },
    });
}

/** A single event's own fields are not allowed beside `events`: a body is one event or a batch. */
function NotBesideEvents(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'notBesideEvents',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must not be given beside events; put it in each event`, ...options },
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          return value === undefined || (args.object as { events?: unknown }).events === undefined;
        },
      },
    });
}

/** One visit: who (an anonymous visitor id the client keeps), where from, and when. */
export class RecordTouchpointDto {
  @ApiProperty({ description: 'The anonymous id the client keeps for the visitor (a cookie or device id)', example: 'v-8f14e45f' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  visitorId!: string;

  @ApiProperty({ enum: TOUCHPOINT_TYPES, example: 'visit' })
  @IsIn(TOUCHPOINT_TYPES)
  type!: TouchpointType;

  @ApiProperty({ enum: Channel })
  @IsEnum(Channel)
  channel!: Channel;

  @ApiPropertyOptional({ description: 'The marketing campaign', example: 'spring-sofa' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  campaign?: string;

  @ApiPropertyOptional({ description: 'The search keyword (SEO/SEM)', example: 'leather sofa' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  keyword?: string;

  @ApiPropertyOptional({ description: 'The page the visitor landed on', example: '/sofas/leather' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  landingPage?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'When the visit happened; defaults to when it is received. Not in the future.',
    example: EXAMPLE.at,
  })
  @IsOptional()
  @IsTouchpointInstant()
  at?: string;
}

const single = (field: keyof RecordTouchpointDto) => (o: RecordTouchpointsDto) => o.events === undefined || o[field] !== undefined;

/**
 * The body of POST /touchpoints: one event given flat, or `{ events: [...] }` with up to 500. A
 * batch is taken or refused whole; its errors name `events.N.field`.
 */
export class RecordTouchpointsDto {
  @ApiPropertyOptional({
    type: [RecordTouchpointDto],
    description: `Several events at once (1 to ${MAX_TOUCHPOINTS_PER_REQUEST}), instead of one event given flat`,
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_TOUCHPOINTS_PER_REQUEST)
  @ValidateNested({ each: true })
  @Type(() => RecordTouchpointDto)
  events?: RecordTouchpointDto[];

  @ApiPropertyOptional({ description: 'One event: required unless events is given', example: 'v-8f14e45f' })
  @ValidateIf(single('visitorId'))
  @NotBesideEvents()
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  visitorId?: string;

  @ApiPropertyOptional({ enum: TOUCHPOINT_TYPES, example: 'visit', description: 'One event: required unless events is given' })
  @ValidateIf(single('type'))
  @NotBesideEvents()
  @IsIn(TOUCHPOINT_TYPES)
  type?: TouchpointType;

  @ApiPropertyOptional({ enum: Channel, example: Channel.Seo, description: 'One event: required unless events is given' })
  @ValidateIf(single('channel'))
  @NotBesideEvents()
  @IsEnum(Channel)
  channel?: Channel;

  @ApiPropertyOptional({ example: 'spring-sofa' })
  @IsOptional()
  @NotBesideEvents()
  @IsString()
  @MaxLength(200)
  campaign?: string;

  @ApiPropertyOptional({ example: 'leather sofa' })
  @IsOptional()
  @NotBesideEvents()
  @IsString()
  @MaxLength(200)
  keyword?: string;

  @ApiPropertyOptional({ example: '/sofas/leather' })
  @IsOptional()
  @NotBesideEvents()
  @IsString()
  @MaxLength(1024)
  landingPage?: string;

  @ApiPropertyOptional({ format: 'date-time', example: EXAMPLE.at })
  @IsOptional()
  @NotBesideEvents()
  @IsTouchpointInstant()
  at?: string;
}

/** What a POST /touchpoints took: every event, or none. */
export class TouchpointReceiptView {
  @ApiProperty({ description: 'How many touchpoints were recorded', example: 1 })
  accepted!: number;
}
