import { HealthReport, healthPattern } from '@o2o/contracts';
import { ServiceHarness } from '@o2o/testing';
import { startAttribution } from '../test/harness';

describe('attribution health', () => {
  let h: ServiceHarness;

  beforeAll(async () => {
    h = await startAttribution();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers its health check over the transport, with its database and Redis up', async () => {
    const report = await h.call<HealthReport>(healthPattern('attribution'), {});
    expect(report).toMatchObject({ service: 'attribution', status: 'up', checks: { database: 'up', redis: 'up' } });
  });
});
