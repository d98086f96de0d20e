import { Actor, Role } from '@o2o/contracts';
import { serveForTests } from '@o2o/platform';
import { createServiceHarness, ServiceHarness, ServiceHarnessOptions } from '@o2o/testing';
import { attributionMigrations } from '../src/migrations';
import { AttributionModule } from '../src/attribution.module';

export const ops: Actor = { kind: 'staff', userId: '0190f1c2-0000-7000-8000-0000000000a1', roles: [Role.Ops] };
export const agent: Actor = { kind: 'staff', userId: '0190f1c2-0000-7000-8000-0000000000a2', roles: [Role.Agent] };

/**
 * The attribution service built from its own module and served over the real transport, with a
 * database and a Redis namespace of the test's own: `h.call(pattern, data, { actor })` goes through
 * validation, the request ledger and error mapping; `h.get(Provider)` reaches a provider.
 */
export function startAttribution(options: Pick<ServiceHarnessOptions, 'env' | 'override'> = {}): Promise<ServiceHarness> {
  return createServiceHarness({
    module: AttributionModule,
    schema: 'attribution',
    migrations: attributionMigrations,
    serve: (module) => serveForTests(module, 'attribution'),
    ...options,
  });
}
