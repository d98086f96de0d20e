import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';

export class ConfigError extends Error {}

/**
 * Reads and validates configuration from the environment into an instance of `cls`.
 * Fails fast with every bad variable named, so a misconfigured service never half-starts.
 */
export function loadConfig<T extends object>(cls: new () => T, env: NodeJS.ProcessEnv = process.env): T {
  const config = plainToInstance(cls, { ...env }, { enableImplicitConversion: false });
  const problems = validateSync(config, { whitelist: false, forbidUnknownValues: false });
  if (problems.length > 0) {
    const lines = problems.map((p) => `  ${p.property}: ${Object.values(p.constraints ?? {}).join('; ')}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return config;
}

/** Settings every service shares. Services extend it with their own. */
export class ServiceConfig {
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Prefix for every Redis key, channel and queue, so that stacks can share one Redis. */
  @Matches(/^[a-z0-9_-]+$/i, { message: 'O2O_NAMESPACE may hold letters, digits, _ and - only' })
  O2O_NAMESPACE = 'o2o';

  @Type(() => Number)
  @IsInt({ message: 'REQUEST_TIMEOUT_MS must be a whole number of milliseconds' })
  @Min(100)
  @Max(120_000)
  REQUEST_TIMEOUT_MS = 5000;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { message: 'LOG_LEVEL must be a pino level' })
  LOG_LEVEL = 'info';

  @IsOptional()
  @IsIn(['true', 'false'], { message: 'MIGRATE_ON_START must be true or false' })
  MIGRATE_ON_START = 'false';

  @IsOptional()
  @IsString()
  INSTANCE_ID?: string;

  /**
   * How services and the gateway talk. `streams` (Redis Streams with a consumer group per
   * service) lets replicas share the work; `redis` is Nest's stock pub/sub transport, where every
   * replica runs every request, kept for comparison.
   */
  @IsIn(['streams', 'redis'], { message: 'O2O_TRANSPORT must be streams (Redis Streams) or redis (stock pub/sub)' })
  O2O_TRANSPORT: 'streams' | 'redis' = 'streams';

  /** A request its replica has left unanswered this long is taken over by another replica. */
  @Type(() => Number)
  @IsInt({ message: 'O2O_STREAMS_CLAIM_IDLE_MS must be a whole number of milliseconds' })
  @Min(100, { message: 'O2O_STREAMS_CLAIM_IDLE_MS must be at least 100' })
  @Max(600_000, { message: 'O2O_STREAMS_CLAIM_IDLE_MS must be at most 600000 (10 minutes)' })
  O2O_STREAMS_CLAIM_IDLE_MS = 3000;

  /** Requests waiting or running on one service's stream beyond which callers get 503 at once. */
  @Type(() => Number)
  @IsInt({ message: 'O2O_STREAMS_MAX_LENGTH must be a whole number of requests' })
  @Min(1, { message: 'O2O_STREAMS_MAX_LENGTH must be at least 1' })
  @Max(10_000_000, { message: 'O2O_STREAMS_MAX_LENGTH must be at most 10000000' })
  O2O_STREAMS_MAX_LENGTH = 10_000;

  /** Requests one replica runs at once; it reads no more until some finish. */
  @Type(() => Number)
  @IsInt({ message: 'O2O_STREAMS_MAX_IN_FLIGHT must be a whole number of requests' })
  @Min(1, { message: 'O2O_STREAMS_MAX_IN_FLIGHT must be at least 1' })
  @Max(10_000, { message: 'O2O_STREAMS_MAX_IN_FLIGHT must be at most 10000' })
  O2O_STREAMS_MAX_IN_FLIGHT = 64;

  /**
   * How long a service remembers the requests it handled (and their answers), so that a duplicate
   * is answered rather than run again. Longer than the gateway keeps Idempotency-Key answers (24 h).
   */
  @Type(() => Number)
  @IsInt({ message: 'REQUEST_LEDGER_RETENTION_HOURS must be a whole number of hours' })
  @Min(25, { message: 'REQUEST_LEDGER_RETENTION_HOURS must be at least 25, past the gateway idempotency window' })
  REQUEST_LEDGER_RETENTION_HOURS = 48;

  /** The largest request or reply, in bytes of JSON, that the Streams transport carries. */
  @Type(() => Number)
  @IsInt({ message: 'O2O_MAX_PAYLOAD_BYTES must be a whole number of bytes' })
  @Min(1024, { message: 'O2O_MAX_PAYLOAD_BYTES must be at least 1024' })
  @Max(64 * 1024 * 1024, { message: 'O2O_MAX_PAYLOAD_BYTES must be at most 67108864 (64 MiB)' })
  O2O_MAX_PAYLOAD_BYTES = 1024 * 1024;
}
