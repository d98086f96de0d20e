import { ErrorCode } from '@o2o/contracts';
import { DomainError } from '@o2o/platform';
import { clearNamespace, TEST_REDIS_URL, testNamespace } from '@o2o/testing';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import { GatewayConfig } from '../core/gateway.config';
import { FAILED_LOGIN_WINDOW_MS, LoginLimiter, MAX_FAILED_LOGINS } from './login-limiter';

describe('LoginLimiter (real Redis)', () => {
  const namespace = testNamespace();
  const redis = new Redis(TEST_REDIS_URL);
  const limiter = new LoginLimiter(redis, { O2O_NAMESPACE: namespace } as GatewayConfig, { warn: () => undefined } as unknown as Logger);
  const outcome = (username: string, address: string) =>
    limiter.begin(username, address).then(
      () => 'allowed',
      (e: DomainError) => `${e.code} ${e.retryAfterSeconds}`,
    );

  afterAll(async () => {
    await clearNamespace(namespace);
    redis.disconnect();
  });

  it('lets at most 10 concurrent failures through for one username and address, then says when to come back', async () => {
    const answers = await Promise.all(Array.from({ length: 25 }, () => outcome('carol', '203.0.113.7')));
    expect(answers.filter((a) => a === 'allowed')).toHaveLength(MAX_FAILED_LOGINS);
    expect(new Set(answers.filter((a) => a !== 'allowed'))).toEqual(new Set([`${ErrorCode.RateLimited} ${FAILED_LOGIN_WINDOW_MS / 1000}`]));
  });

  it('keeps the count to its own username and address; a success there forgets only its own', async () => {
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) await limiter.begin('dave', '203.0.113.8');
    expect(await outcome('dave', '203.0.113.8')).toMatch(ErrorCode.RateLimited);
    expect(await outcome('dave', '203.0.113.9')).toBe('allowed');
    expect(await outcome('erin', '203.0.113.8')).toBe('allowed');

    for (let i = 0; i < MAX_FAILED_LOGINS - 1; i++) await limiter.begin('frank', '203.0.113.8');
    await (await limiter.begin('frank', '203.0.113.8')).succeeded();
    expect(await outcome('frank', '203.0.113.8')).toBe('allowed');
    expect(await outcome('dave', '203.0.113.8')).toMatch(ErrorCode.RateLimited);
  });

  it('does not count an attempt abandoned to an outage', async () => {
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) await (await limiter.begin('gina', '203.0.113.8')).abandoned();
    expect(await outcome('gina', '203.0.113.8')).toBe('allowed');
  });

  it('lets logins through when Redis is unreachable, as the request limit does', async () => {
    const down = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    const open = new LoginLimiter(down, { O2O_NAMESPACE: namespace } as GatewayConfig, { warn: () => undefined } as unknown as Logger);
    await expect(open.begin('hal', '203.0.113.8')).resolves.toBeDefined();
    down.disconnect();
  });
});
