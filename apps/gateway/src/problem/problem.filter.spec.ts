import { ErrorCode } from '@o2o/contracts';
import { DependencyMonitor, dependencyUnavailable, DomainError } from '@o2o/platform';
import { QueryFailedError } from 'typeorm';
import { ProblemFilter, SERVICE_DOWN_RETRY_AFTER_SECONDS } from './problem.filter';

function answer(filter: ProblemFilter, exception: unknown) {
  const headers: Record<string, string> = {};
  const sent: { status?: number; body?: unknown } = {};
  const reply = {
    status: (s: number) => ((sent.status = s), reply),
    header: (k: string, v: string) => ((headers[k] = v), reply),
    send: (b: unknown) => ((sent.body = b), reply),
  };
  const host = { switchToHttp: () => ({ getRequest: () => ({ method: 'GET', url: '/v1/brands' }), getResponse: () => reply }) };
  filter.catch(exception, host as never);
  return { ...sent, headers };
}

describe('ProblemFilter', () => {
  let lines: string[];
  let monitor: DependencyMonitor;
  let filter: ProblemFilter;

  beforeEach(() => {
    lines = [];
    monitor = new DependencyMonitor({ log: (m) => lines.push(m), defaultProbe: () => undefined });
    filter = new ProblemFilter({ DATABASE_URL: 'postgres://o2o@127.0.0.1:5432/o2o', REDIS_URL: 'redis://127.0.0.1:6379' }, monitor);
    jest.spyOn(filter['logger'], 'warn').mockImplementation(() => undefined);
    jest.spyOn(filter['logger'], 'debug').mockImplementation(() => undefined);
  });
  afterEach(() => monitor.stop());

  it("answers 503 with Retry-After when the gateway's own database is unreachable, logging the outage once", () => {
    const lost = new QueryFailedError('SELECT 1', [], Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }));
    const first = answer(filter, lost);
    answer(filter, Object.assign(new Error('database "o2o" is not currently accepting connections'), { code: '55000' }));
    expect(first.status).toBe(503);
    expect(first.headers['content-type']).toContain('application/problem+json');
    expect(first.headers['retry-after']).toBe('2');
    expect(first.body).toMatchObject({ status: 503, code: ErrorCode.ServiceUnavailable, detail: "The gateway's database is unavailable" });
    expect(lines).toEqual(['postgres unreachable: terminating connection due to administrator command (57P01)']);
    expect(filter['logger'].warn).not.toHaveBeenCalled();
  });

  it("passes on a service's own retry hint", () => {
    const res = answer(filter, DomainError.fromPayload(dependencyUnavailable('postgres', 'coupons service').toPayload()));
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('2');
    expect(res.body).toMatchObject({ detail: "The coupons service's database is unavailable" });
  });

  it('gives every other 503 a Retry-After too, and no other status one', () => {
    const down = answer(filter, new DomainError(ErrorCode.ServiceUnavailable, 'The catalog service is unavailable'));
    expect(down.headers['retry-after']).toBe(String(SERVICE_DOWN_RETRY_AFTER_SECONDS));
    const timedOut = answer(filter, new DomainError(ErrorCode.ServiceTimeout, 'The catalog service did not answer within 2000 ms'));
    expect(timedOut.status).toBe(504);
    expect(timedOut.headers['retry-after']).toBeUndefined();
  });

  it('gives a 429 the Retry-After its limit knows', () => {
    const limited = answer(filter, new DomainError(ErrorCode.RateLimited, 'Too many failed logins', undefined, 'too_many_failed_logins', 840));
    expect([limited.status, limited.headers['retry-after'], limited.headers['content-type']]).toEqual([429, '840', 'application/problem+json; charset=utf-8']);
    expect(limited.body).toMatchObject({ status: 429, code: ErrorCode.RateLimited, reason: 'too_many_failed_logins' });
  });

  it('keeps a bug a 500', () => {
    jest.spyOn(filter['logger'], 'error').mockImplementation(() => undefined);
    const res = answer(filter, new TypeError('oops'));
    expect(res.status).toBe(500);
    expect(res.headers['retry-after']).toBeUndefined();
    expect(monitor.isDown('postgres')).toBe(false);
  });
});
