import { ServiceConfig } from '@o2o/platform';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

export class BookingConfig extends ServiceConfig {
  /** How often deals the saga left unsettled (a crash, a restart, coupons down) are compensated. */
  @Type(() => Number)
  @IsInt({ message: 'DEAL_RECOVERY_SECONDS must be a whole number of seconds' })
  @Min(1)
  @Max(3600)
  DEAL_RECOVERY_SECONDS = 5;

  /** How long after its caller's deadline a pending deal is left to its own driver before recovery undoes it. */
  @Type(() => Number)
  @IsInt({ message: 'DEAL_RECOVERY_GRACE_MS must be a whole number of milliseconds' })
  @Min(0)
  @Max(600_000)
  DEAL_RECOVERY_GRACE_MS = 2000;

  /** The deadline of a deal whose caller sent none. */
  @Type(() => Number)
  @IsInt({ message: 'DEAL_DEADLINE_MS must be a whole number of milliseconds' })
  @Min(1000)
  @Max(120_000)
  DEAL_DEADLINE_MS = 10_000;
}

export const BOOKING_CONFIG = Symbol('BOOKING_CONFIG');
