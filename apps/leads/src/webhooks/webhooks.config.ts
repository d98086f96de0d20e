import { ServiceConfig } from '@o2o/platform';
import { Type } from 'class-transformer';
import { IsIn, IsInt, Max, Min } from 'class-validator';

/** Partner webhook settings of the leads service. */
export class WebhooksConfig extends ServiceConfig {
  /** Lets a webhook URL reach loopback, private or link-local addresses: tests and closed networks only. */
  @IsIn(['true', 'false'], { message: 'WEBHOOK_ALLOW_PRIVATE_URLS must be true or false' })
  WEBHOOK_ALLOW_PRIVATE_URLS: 'true' | 'false' = 'false';

  /** Attempts per delivery, the first included. */
  @Type(() => Number)
  @IsInt({ message: 'WEBHOOK_ATTEMPTS must be a whole number' })
  @Min(1, { message: 'WEBHOOK_ATTEMPTS must be at least 1' })
  @Max(20, { message: 'WEBHOOK_ATTEMPTS must be at most 20' })
  WEBHOOK_ATTEMPTS = 8;

  /** The first retry's delay; each next one doubles it. */
  @Type(() => Number)
  @IsInt({ message: 'WEBHOOK_BACKOFF_MS must be a whole number of milliseconds' })
  @Min(10, { message: 'WEBHOOK_BACKOFF_MS must be at least 10' })
  @Max(3_600_000, { message: 'WEBHOOK_BACKOFF_MS must be at most 3600000 (1 hour)' })
  WEBHOOK_BACKOFF_MS = 2000;

  /** How long a receiver may take to answer one delivery. */
  @Type(() => Number)
  @IsInt({ message: 'WEBHOOK_TIMEOUT_MS must be a whole number of milliseconds' })
  @Min(100, { message: 'WEBHOOK_TIMEOUT_MS must be at least 100' })
  @Max(60_000, { message: 'WEBHOOK_TIMEOUT_MS must be at most 60000' })
  WEBHOOK_TIMEOUT_MS = 5000;

  /** How often lead events of the last hour whose deliveries were never scheduled are swept up. */
  @Type(() => Number)
  @IsInt({ message: 'WEBHOOK_SWEEP_SECONDS must be a whole number of seconds' })
  @Min(1, { message: 'WEBHOOK_SWEEP_SECONDS must be at least 1' })
  @Max(3600, { message: 'WEBHOOK_SWEEP_SECONDS must be at most 3600' })
  WEBHOOK_SWEEP_SECONDS = 60;
}

export const WEBHOOKS_CONFIG = Symbol('WEBHOOKS_CONFIG');
