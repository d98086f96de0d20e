import { HealthReport, healthPattern } from '@o2o/contracts';
import { ServiceHarness } from '@o2o/testing';
import { startLeads } from '../test/harness';

describe('leads health', () => {
  let h: ServiceHarness;

  beforeAll(async () => {
    h = await startLeads();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers its health check over the transport, with its database and Redis up', async () => {
    const report = await h.call<HealthReport>(healthPattern('leads'), {});
    expect(report).toMatchObject({ service: 'leads', status: 'up', checks: { database: 'up', redis: 'up' } });
  });
});
