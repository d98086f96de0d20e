import { ComponentState, DependencyDown, HealthDependency, HealthReport } from '@o2o/contracts';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { requestQueueStats } from '../transport/streams/queue-stats';
import { Dependency, DependencyMonitor, dependencyMonitor, failureReason } from './dependency-monitor';

const CHECK_TIMEOUT_MS = 1000;

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);

const HEALTH_NAME: Record<Dependency, HealthDependency> = { postgres: 'database', redis: 'redis' };

export interface DependencyChecks {
  checks: { database: ComponentState; redis: ComponentState };
  down: DependencyDown[];
}

/**
 * Asks the process's own database and Redis, each within a short bound. What it finds feeds the
 * process's dependency monitor too, so a health check can open or close an outage.
 */
export async function checkDependencies(dataSource: DataSource, redis: Redis, monitor: DependencyMonitor = dependencyMonitor): Promise<DependencyChecks> {
  const attempt = (dependency: Dependency, call: () => Promise<unknown>) =>
    withTimeout(call(), CHECK_TIMEOUT_MS).then(
      (): DependencyDown | undefined => {
        monitor.up(dependency);
        return undefined;
      },
      (err: unknown): DependencyDown => {
        monitor.down(dependency, err);
        const outage = monitor.outage(dependency);
        return { dependency: HEALTH_NAME[dependency], reason: outage?.reason ?? failureReason(err), since: (outage?.since ?? new Date()).toISOString() };
      },
    );
  const results = await Promise.all([attempt('postgres', () => dataSource.query('SELECT 1')), attempt('redis', () => redis.ping())]);
  const down = results.filter((d): d is DependencyDown => d !== undefined);
  const state = (name: HealthDependency): ComponentState => (down.some((d) => d.dependency === name) ? 'down' : 'up');
  return { checks: { database: state('database'), redis: state('redis') }, down };
}

/** Checks the service's own database and Redis, each within a short bound, and its request queue. */
export async function checkHealth(
  service: string,
  dataSource: DataSource,
  redis: Redis,
  monitor: DependencyMonitor = dependencyMonitor,
): Promise<HealthReport> {
  const [dependencies, backlog, requestQueue] = await Promise.all([
    checkDependencies(dataSource, redis, monitor),
    withTimeout(dataSource.query('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL'), CHECK_TIMEOUT_MS).then(
      (r: { n: number }[]) => r[0]?.n,
      () => undefined,
    ),
    withTimeout(requestQueueStats(), CHECK_TIMEOUT_MS).catch(() => undefined),
  ]);
  const { checks, down } = dependencies;
  return {
    service,
    status: down.length === 0 ? 'up' : 'down',
    checks,
    ...(down.length > 0 ? { down } : {}),
    outboxBacklog: backlog,
    requestQueue,
  };
}
