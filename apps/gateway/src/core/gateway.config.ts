import { ServiceConfig } from '@o2o/platform';
import { Type } from 'class-transformer';
import { IsInt, IsString, Max, Min, MinLength } from 'class-validator';

export class GatewayConfig extends ServiceConfig {
  @Type(() => Number)
  @IsInt({ message: 'GATEWAY_PORT must be a port number' })
  @Min(0)
  @Max(65535)
  GATEWAY_PORT = 3000;

  /** No default: a secret shipped in the code would let anyone sign an admin token. */
  @IsString({ message: 'JWT_SECRET is required (at least 32 characters); the dev launcher makes one per run' })
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET!: string;

  @Type(() => Number)
  @IsInt({ message: 'JWT_TTL_SECONDS must be a whole number of seconds' })
  @Min(60)
  JWT_TTL_SECONDS = 8 * 3600;

  @IsString()
  @MinLength(1, { message: 'ADMIN_USERNAME must not be empty' })
  ADMIN_USERNAME = 'admin';

  /** No default: the dev launcher sets admin / admin and says so. */
  @IsString({ message: 'ADMIN_PASSWORD is required for the bootstrap admin' })
  @MinLength(1, { message: 'ADMIN_PASSWORD must not be empty' })
  ADMIN_PASSWORD!: string;

  /** Requests per minute for one caller (API key, user, or client address). */
  @Type(() => Number)
  @IsInt({ message: 'RATE_LIMIT_PER_MINUTE must be a whole number' })
  @Min(1)
  RATE_LIMIT_PER_MINUTE = 1200;

  /**
   * Which proxies may set X-Forwarded-For: empty trusts none (the socket address is the client),
   * a number trusts that many hops, otherwise a comma-separated list of addresses or CIDRs.
   */
  @IsString()
  TRUST_PROXY = '';

  /** Comma-separated allowed origins, or * for any. */
  @IsString()
  CORS_ORIGINS = '*';

  /** Where the built console is (index.html and assets/); empty: dist/console beside the gateway's build. */
  @IsString()
  CONSOLE_DIR = '';
}
