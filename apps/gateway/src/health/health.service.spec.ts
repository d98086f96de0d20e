import { HealthReport, SERVICE_NAMES } from '@o2o/contracts';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { GatewayClients } from '../core/gateway-clients';
import { HEALTH_MAX_AGE_MS, HealthService } from './health.service';

function serviceAsked(answer: (service: string) => Promise<HealthReport>) {
  const send = jest.fn((pattern: string) => answer(pattern.split('.')[0]!));
  const clients = { get: () => ({ send }) } as unknown as GatewayClients;
  const dataSource = { query: jest.fn(async () => [{ '?column?': 1 }]) } as unknown as DataSource;
  const redis = { ping: jest.fn(async () => 'PONG') } as unknown as Redis;
  return { health: new HealthService(clients, dataSource, redis), send };
}

const up = (service: string): HealthReport => ({ service, status: 'up', checks: { database: 'up', redis: 'up' } });

describe('HealthService', () => {
  let now: number;
  beforeEach(() => {
    now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });
  afterEach(() => jest.restoreAllMocks());

  it('asks every service once for any number of concurrent callers', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { health, send } = serviceAsked(async (s) => (await gate, up(s)));
    const callers = Array.from({ length: 50 }, () => health.current());
    release();
    const answers = await Promise.all(callers);
    expect(send).toHaveBeenCalledTimes(SERVICE_NAMES.length);
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set(['ok']));
  });

  it('serves a status at most HEALTH_MAX_AGE_MS old', async () => {
    const { health, send } = serviceAsked(async (s) => up(s));
    await health.current();
    now += HEALTH_MAX_AGE_MS - 1;
    await health.current();
    expect(send).toHaveBeenCalledTimes(SERVICE_NAMES.length);
    now += 1;
    await health.current();
    expect(send).toHaveBeenCalledTimes(2 * SERVICE_NAMES.length);
  });

  it('names the services down and the dependencies of those that answered', async () => {
    const { health } = serviceAsked(async (s) => {
      if (s === 'catalog') throw new Error('no answer');
      if (s === 'coupons') return { service: s, status: 'down', checks: { database: 'down', redis: 'up' } };
      return up(s);
    });
    expect(await health.current()).toEqual({
      status: 'degraded',
      services: { catalog: 'down', booking: 'up', coupons: 'down', leads: 'up', attribution: 'up' },
      down: { coupons: ['database'] },
    });
  });
});
