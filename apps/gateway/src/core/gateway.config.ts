import { ServiceConfig } from '@o2o/platform';
import { Type } from 'class-transformer';
import { IsInt, IsString, Max, Min, MinLength } from 'class-validator';

export class GatewayConfig extends ServiceConfig {
  @Type(() => Number)
  @IsInt({ message: 'GATEWAY_PORT must be a port number' })
  @Min(0)
  @Max(65535)
  GATEWAY_PORT = 3000;

  @IsString()
  @MinLength(16, { message: 'JWT_SECRET must be at least 16 characters' })
  JWT_SECRET = 'o2o-dev-secret-change-me-please';

  @Type(() => Number)
  @IsInt({ message: 'JWT_TTL_SECONDS must be a whole number of seconds' })
  @Min(60)
  JWT_TTL_SECONDS = 8 * 3600;

  @IsString()
  @MinLength(1, { message: 'ADMIN_USERNAME must not be empty' })
  ADMIN_USERNAME = 'admin';

  @IsString()
  @MinLength(1, { message: 'ADMIN_PASSWORD must not be empty' })
  ADMIN_PASSWORD = 'admin';

  /** Requests per minute for one caller (API key, user, or client address). */
  @Type(() => Number)
  @IsInt({ message: 'RATE_LIMIT_PER_MINUTE must be a whole number' })
  @Min(1)
  RATE_LIMIT_PER_MINUTE = 1200;

  /** Comma-separated allowed origins, or * for any. */
  @IsString()
  CORS_ORIGINS = '*';
}
