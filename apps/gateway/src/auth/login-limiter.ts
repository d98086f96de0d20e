import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode } from '@o2o/contracts';
import { CONFIG, DomainError, LOGGER, REDIS } from '@o2o/platform';
import type Redis from 'ioredis';
import { createHash, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { GatewayConfig } from '../core/gateway.config';

export const MAX_FAILED_LOGINS = 10;
export const FAILED_LOGIN_WINDOW_MS = 15 * 60_000;

/**
 * Takes a place for one attempt in a sliding window of failures, atomically, so that a burst of
 * concurrent guesses cannot all pass the count. Answers -1, or the milliseconds until the oldest
 * failure leaves the window.
 */
const TAKE_ATTEMPT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return tonumber(oldest[2]) + tonumber(ARGV[2]) - tonumber(ARGV[1])
end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return -1`;

/** A place taken in the window: it counts as a failure unless it succeeds or is abandoned. */
export interface LoginAttempt {
  /** It succeeded: this username's failures from this address are forgotten (no one else's). */
  succeeded(): Promise<void>;
  /** It ended in neither (an outage): it does not count. */
  abandoned(): Promise<void>;
}

/**
 * After MAX_FAILED_LOGINS failures for one username from one address within the window, logins
 * for that pair answer 429 with Retry-After until the oldest failure is out of the window.
 * Unknown usernames are counted the same way, so the answer tells nothing about which exist.
 * With Redis down it lets logins through, as the request rate limit does.
 */
@Injectable()
export class LoginLimiter {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async begin(username: string, address: string): Promise<LoginAttempt> {
    const key = `${this.config.O2O_NAMESPACE}:login-failures:${createHash('sha256').update(`${username}\n${address}`).digest('hex')}`;
    const member = randomUUID();
    let waitMs: number;
    try {
      waitMs = Number(await this.redis.eval(TAKE_ATTEMPT, 1, key, Date.now(), FAILED_LOGIN_WINDOW_MS, MAX_FAILED_LOGINS, member));
    } catch (err) {
      this.logger.warn({ err }, 'login limit unavailable; letting the attempt through');
      return { succeeded: async () => undefined, abandoned: async () => undefined };
    }
    if (waitMs >= 0) {
      throw new DomainError(
        ErrorCode.RateLimited,
        'Too many failed logins for this username; try again later',
        undefined,
        'too_many_failed_logins',
        Math.max(1, Math.ceil(waitMs / 1000)),
      );
    }
    const settle = (work: () => Promise<unknown>) =>
      work().then(
        () => undefined,
        (err: unknown) => this.logger.warn({ err }, 'could not settle a login attempt'),
      );
    return {
      succeeded: () => settle(() => this.redis.del(key)),
      abandoned: () => settle(() => this.redis.zrem(key, member)),
    };
  }
}
