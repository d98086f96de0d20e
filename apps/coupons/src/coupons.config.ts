import { ServiceConfig } from '@o2o/platform';
import { Type } from 'class-transformer';
import { IsInt, Matches, Max, Min } from 'class-validator';

export class CouponsConfig extends ServiceConfig {
  /** How long a card waits for its payment before the order expires and the place is given back. */
  @Type(() => Number)
  @IsInt({ message: 'PAYMENT_TTL_SECONDS must be a whole number of seconds' })
  @Min(1)
  @Max(7 * 24 * 3600)
  PAYMENT_TTL_SECONDS = 900;

  /** The provider that collects new payments; its adapter must be registered. */
  @Matches(/^[a-z][a-z0-9_-]{1,31}$/, { message: 'PAYMENT_PROVIDER must be a provider name such as sandbox' })
  PAYMENT_PROVIDER = 'sandbox';

  /** How often cards past their validity, and overdue unpaid orders, are swept. */
  @Type(() => Number)
  @IsInt({ message: 'CARD_EXPIRY_SWEEP_SECONDS must be a whole number of seconds' })
  @Min(1)
  @Max(24 * 3600)
  CARD_EXPIRY_SWEEP_SECONDS = 60;
}

export const COUPONS_CONFIG = Symbol('COUPONS_CONFIG');
