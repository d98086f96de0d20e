import { Controller, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Route } from '../core/route.decorator';
import { HealthService } from './health.service';
import { HealthView, LiveView } from './health.view';

/** Outside /v1. */
@ApiTags('health')
@Controller()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Route({
    method: 'GET',
    path: 'health',
    summary: "The stack's status, at most about a second old: 200 when all is up, 503 with the same body when not",
    access: 'public',
    response: HealthView,
  })
  async status(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthView> {
    const health = await this.health.current();
    void reply.status(health.status === 'ok' ? 200 : 503);
    return health;
  }

  /** Asks nothing of anyone: a probe restarting the gateway should not do so because a service is down. */
  @Route({
    method: 'GET',
    path: 'health/live',
    summary: 'The gateway process runs (for liveness probes); not rate limited',
    access: 'public',
    response: LiveView,
  })
  live(): LiveView {
    return { status: 'ok' };
  }
}
