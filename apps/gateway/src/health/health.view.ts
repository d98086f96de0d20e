import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ComponentState, HealthDependency, SERVICE_NAMES, ServiceName } from '@o2o/contracts';

const STATES: ComponentState[] = ['up', 'down'];
const DEPENDENCIES: HealthDependency[] = ['database', 'redis'];

/** The stack's status; the same body comes with 200 (ok) and 503 (degraded). */
export class HealthView {
  @ApiProperty({ enum: ['ok', 'degraded'] })
  status!: 'ok' | 'degraded';

  @ApiProperty({ type: 'object', properties: Object.fromEntries(SERVICE_NAMES.map((s) => [s, { type: 'string', enum: STATES }])) })
  services!: Record<ServiceName, ComponentState>;

  /**
   * Only when degraded: for each service that answered (and for the gateway itself), the
   * dependencies it cannot reach, e.g. { catalog: ['database'] }. A service that does not answer
   * at all is 'down' in `services` and absent here.
   */
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string', enum: DEPENDENCIES } },
    example: { catalog: ['database'] },
  })
  down?: Partial<Record<ServiceName | 'gateway', HealthDependency[]>>;
}

/** The liveness probe's answer: the process runs. */
export class LiveView {
  @ApiProperty({ enum: ['ok'] })
  status!: 'ok';
}
