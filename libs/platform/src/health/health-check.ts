import { ComponentState, HealthReport } from '@o2o/contracts';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { requestQueueStats } from '../transport/streams/queue-stats';

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);

/** Checks the service's own database and Redis, each within a short bound, and its request queue. */
export async function checkHealth(service: string, dataSource: DataSource, redis: Redis): Promise<HealthReport> {
  const [database, redisState, backlog, requestQueue] = await Promise.all([
    withTimeout(dataSource.query('SELECT 1'), 1000).then((): ComponentState => 'up', (): ComponentState => 'down'),
    withTimeout(redis.ping(), 1000).then((): ComponentState => 'up', (): ComponentState => 'down'),
    withTimeout(dataSource.query('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL'), 1000).then(
      (r: { n: number }[]) => r[0]?.n,
      () => undefined,
    ),
    withTimeout(requestQueueStats(), 1000).catch(() => undefined),
  ]);
  return {
    service,
    status: database === 'up' && redisState === 'up' ? 'up' : 'down',
    checks: { database, redis: redisState },
    outboxBacklog: backlog,
    requestQueue,
  };
}
