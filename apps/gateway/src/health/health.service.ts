import { Inject, Injectable } from '@nestjs/common';
import { ComponentState, HealthDependency, HealthReport, healthPattern, SERVICE_NAMES, ServiceName } from '@o2o/contracts';
import { checkDependencies, REDIS } from '@o2o/platform';
import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { GatewayClients } from '../core/gateway-clients';
import { HealthView } from './health.view';

const HEALTH_TIMEOUT_MS = 2000;
/** How old a status may be when it is served. */
export const HEALTH_MAX_AGE_MS = 1000;

type Services = Record<ServiceName, ComponentState>;

const DEPENDENCY_NAMES: readonly HealthDependency[] = ['database', 'redis'];

/**
 * The stack's status, asked of every service at most once a second however many call: callers
 * within HEALTH_MAX_AGE_MS of the last answer get it, and callers during a refresh share it.
 */
@Injectable()
export class HealthService {
  private last?: { at: number; health: HealthView };
  private refreshing?: Promise<HealthView>;

  constructor(
    private readonly clients: GatewayClients,
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  current(): Promise<HealthView> {
    if (this.last && Date.now() - this.last.at < HEALTH_MAX_AGE_MS) return Promise.resolve(this.last.health);
    this.refreshing ??= this.check()
      .then((health) => {
        this.last = { at: Date.now(), health };
        return health;
      })
      .finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  /** 'ok' when every service and the gateway's own database and Redis answer; 'degraded' naming what does not. */
  private async check(): Promise<HealthView> {
    const meta = { correlationId: randomUUID(), actor: { kind: 'anonymous' as const } };
    const [reports, own] = await Promise.all([
      Promise.all(
        SERVICE_NAMES.map((s) =>
          this.clients
            .get(s)
            .send<HealthReport>(healthPattern(s), {}, meta, { timeoutMs: HEALTH_TIMEOUT_MS })
            .catch(() => undefined),
        ),
      ),
      checkDependencies(this.dataSource, this.redis),
    ]);
    const services = Object.fromEntries(SERVICE_NAMES.map((s, i) => [s, reports[i]?.status ?? 'down'])) as Services;

    const down: HealthView['down'] = {};
    SERVICE_NAMES.forEach((s, i) => {
      const report = reports[i];
      const deps = report ? DEPENDENCY_NAMES.filter((d) => report.checks?.[d] === 'down') : [];
      if (deps.length > 0) down[s] = deps;
    });
    if (own.down.length > 0) down.gateway = own.down.map((d) => d.dependency);

    const ok = Object.values(services).every((s) => s === 'up') && own.down.length === 0;
    if (ok) return { status: 'ok', services };
    return Object.keys(down).length > 0 ? { status: 'degraded', services, down } : { status: 'degraded', services };
  }
}
