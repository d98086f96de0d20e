import { HealthReport, healthPattern } from '@o2o/contracts';
import { ServiceHarness } from '@o2o/testing';
import { startBooking } from '../test/harness';

describe('booking health', () => {
  let h: ServiceHarness;

  beforeAll(async () => {
    h = await startBooking();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers its health check over the transport, with its database and Redis up', async () => {
    const report = await h.call<HealthReport>(healthPattern('booking'), {});
    expect(report).toMatchObject({ service: 'booking', status: 'up', checks: { database: 'up', redis: 'up' } });
  });
});
