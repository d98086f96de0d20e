import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ComponentState, HealthDependency, HealthReport, healthPattern, SERVICE_NAMES, ServiceName } from '@o2o/contracts';
import { checkDependencies, REDIS } from '@o2o/platform';
import type { FastifyReply } from 'fastify';
import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Public } from '../auth/access.decorators';
import { GatewayClients } from '../core/gateway-clients';

const HEALTH_TIMEOUT_MS = 2000;

type Services = Record<ServiceName, ComponentState>;

export interface GatewayHealth {
  status: 'ok' | 'degraded';
  services: Services;
  /**
   * Only when degraded: for each service that answered (and for the gateway itself), the
   * dependencies it cannot reach, e.g. { catalog: ['database'] }. A service that does not answer
   * at all is 'down' in `services` and absent here.
   */
  down?: Partial<Record<ServiceName | 'gateway', HealthDependency[]>>;
}

const DEPENDENCY_NAMES: readonly HealthDependency[] = ['database', 'redis'];

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly clients: GatewayClients,
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  /** 200 when every service and the gateway's own database and Redis answer; 503 naming what does not. */
  @Public()
  @Get('health')
  async health(@Res({ passthrough: true }) reply: FastifyReply): Promise<GatewayHealth> {
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

    const down: GatewayHealth['down'] = {};
    SERVICE_NAMES.forEach((s, i) => {
      const report = reports[i];
      const deps = report ? DEPENDENCY_NAMES.filter((d) => report.checks?.[d] === 'down') : [];
      if (deps.length > 0) down[s] = deps;
    });
    if (own.down.length > 0) down.gateway = own.down.map((d) => d.dependency);

    const ok = Object.values(services).every((s) => s === 'up') && own.down.length === 0;
    void reply.status(ok ? 200 : 503);
    if (ok) return { status: 'ok', services };
    return Object.keys(down).length > 0 ? { status: 'degraded', services, down } : { status: 'degraded', services };
  }
}
