import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ComponentState, HealthReport, healthPattern, SERVICE_NAMES, ServiceName } from '@o2o/contracts';
import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import { Public } from '../auth/access.decorators';
import { ServiceClients } from '../core/service-clients';

const HEALTH_TIMEOUT_MS = 2000;

type Services = Record<ServiceName, ComponentState>;

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(private readonly clients: ServiceClients) {}

  /** 200 when every service answers its own health check, 503 naming those that do not. */
  @Public()
  @Get('health')
  async health(@Res({ passthrough: true }) reply: FastifyReply): Promise<{ status: 'ok' | 'degraded'; services: Services }> {
    const meta = { correlationId: randomUUID(), actor: { kind: 'anonymous' as const } };
    const states = await Promise.all(
      SERVICE_NAMES.map((s) =>
        this.clients
          .get(s)
          .send<HealthReport>(healthPattern(s), {}, meta, { timeoutMs: HEALTH_TIMEOUT_MS })
          .then((r): ComponentState => r.status, (): ComponentState => 'down'),
      ),
    );
    const services = Object.fromEntries(SERVICE_NAMES.map((s, i) => [s, states[i]])) as Services;
    const ok = states.every((s) => s === 'up');
    void reply.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'degraded', services };
  }
}
