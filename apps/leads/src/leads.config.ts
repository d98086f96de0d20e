import { ServiceConfig } from '@o2o/platform';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

export class LeadsConfig extends ServiceConfig {
  /** How often waiting leads are routed again and SLA timers that were lost are caught up. */
  @Type(() => Number)
  @IsInt({ message: 'LEADS_SWEEP_SECONDS must be a whole number of seconds' })
  @Min(1)
  @Max(24 * 3600)
  LEADS_SWEEP_SECONDS = 60;
}

export const LEADS_CONFIG = Symbol('LEADS_CONFIG');
