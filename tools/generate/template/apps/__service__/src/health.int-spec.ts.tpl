import { HealthReport, healthPattern } from '@o2o/contracts';
import { ServiceHarness } from '@o2o/testing';
import { start__Service__ } from '../test/harness';

describe('__service__ health', () => {
  let h: ServiceHarness;

  beforeAll(async () => {
    h = await start__Service__();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers its health check over the transport, with its database and Redis up', async () => {
    const report = await h.call<HealthReport>(healthPattern('__service__'), {});
    expect(report).toMatchObject({ service: '__service__', status: 'up', checks: { database: 'up', redis: 'up' } });
  });
});
