import { IsIanaTimeZone } from '@o2o/contracts';
import { ServiceConfig } from '@o2o/platform';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

export class AttributionConfig extends ServiceConfig {
  /** The chain's time zone: a report's dates are midnights here unless the caller names another. */
  @IsIanaTimeZone({ message: 'REPORT_TIME_ZONE must be an IANA time zone such as Asia/Shanghai' })
  REPORT_TIME_ZONE = 'Asia/Shanghai';

  /** How often pending commissions past their approval delay are approved. */
  @Type(() => Number)
  @IsInt({ message: 'COMMISSION_APPROVAL_SWEEP_SECONDS must be a whole number of seconds' })
  @Min(1)
  @Max(24 * 3600)
  COMMISSION_APPROVAL_SWEEP_SECONDS = 300;
}

export const ATTRIBUTION_CONFIG = Symbol('ATTRIBUTION_CONFIG');
