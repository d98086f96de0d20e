import { ATTRIBUTION, ErrorCode } from '@o2o/contracts';
import { newId } from '@o2o/platform';
import { buildDataset, count, FunnelHarness, recordTouchpoints, refusal, snapshot, startFunnel, visitorRollupProblems } from '../../test/funnel-fixtures';

const visit = (change: Record<string, unknown> = {}) => ({
  visitorId: 'v-1',
  type: 'visit',
  channel: 'sem',
  campaign: 'spring',
  at: '2025-06-01T10:20:00Z',
  ...change,
});

describe('touchpoints (real Postgres and Redis, through the transport)', () => {
  let h: FunnelHarness;

  beforeAll(async () => {
    h = await startFunnel();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('records one event given flat, stamped now when it names no time', async () => {
    const before = Date.now();
    expect(await recordTouchpoints(h, { visitorId: 'v-flat', type: 'visit', channel: 'seo', keyword: 'sofa', landingPage: '/sofas' })).toEqual({ accepted: 1 });
    const [row] = await h.ds.query(`SELECT * FROM touchpoints WHERE visitor_id = 'v-flat'`);
    expect(row).toMatchObject({ type: 'visit', channel: 'seo', campaign: null, keyword: 'sofa', landing_page: '/sofas' });
    expect((row.at as Date).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect((row.at as Date).getTime()).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('records a batch of 500 at once, with the times it names', async () => {
    const events = Array.from({ length: 500 }, (_, i) =>
      visit({ visitorId: `v-batch-${i % 50}`, at: new Date(Date.parse('2025-06-01T00:00:00Z') + i * 60_000).toISOString() }),
    );
    const before = await count(h, 'touchpoints');
    expect(await recordTouchpoints(h, { events })).toEqual({ accepted: 500 });
    expect(await count(h, 'touchpoints')).toBe(before + 500);
    const [{ n }] = await h.ds.query(`SELECT count(DISTINCT visitor_id)::int AS n FROM funnel_visitors WHERE scope = 'all' AND visitor_id LIKE 'v-batch-%'`);
    expect(n).toBe(50);
  });

  it.each([
    ['a bad channel in the fourth event', { events: [visit(), visit(), visit(), visit({ channel: 'billboard' }), visit()] }, ['events.3.channel']],
    [
      'two bad events',
      { events: [visit({ visitorId: '' }), visit(), visit({ type: 'click', at: 'yesterday' })] },
      ['events.0.visitorId', 'events.2.type', 'events.2.at'],
    ],
    ['an unknown field in an event', { events: [visit({ referrer: 'x' })] }, ['events.0.referrer']],
    ['an empty batch', { events: [] }, ['events']],
    ['501 events', { events: Array.from({ length: 501 }, () => visit()) }, ['events']],
    ['events that are not a list', { events: visit() }, ['events']],
    ['a single event without its channel', visit({ channel: undefined }), ['channel']],
    ['a single event without a visitor, with a bad type', visit({ visitorId: undefined, type: 'view' }), ['visitorId', 'type']],
    ['an empty body', {}, ['visitorId', 'type', 'channel']],
    ['a time in the future', visit({ at: new Date(Date.now() + 3_600_000).toISOString() }), ['at']],
    ['a time without its offset', visit({ at: '2025-06-01T10:20:00' }), ['at']],
    ['a day that does not exist', visit({ at: '2025-02-30T10:20:00Z' }), ['at']],
    ['a time before 2000', visit({ at: '1999-12-31T23:59:59Z' }), ['at']],
    ['a landing page over 1024 characters', visit({ landingPage: `/${'x'.repeat(1024)}` }), ['landingPage']],
    ['a single event beside events', { ...visit(), events: [visit()] }, ['visitorId', 'type', 'channel', 'campaign', 'at']],
    ['an unknown field', visit({ extra: 1 }), ['extra']],
  ])('refuses %s whole, naming the fields, and writes nothing', async (_, body, fields) => {
    const before = await snapshot(h);
    const r = await refusal(recordTouchpoints(h, body));
    expect(r.code).toBe(ErrorCode.BadInput);
    expect([...new Set(r.fields)].sort()).toEqual([...fields].sort());
    expect(await snapshot(h)).toEqual(before);
  });

  it('records a request once however often it is delivered', async () => {
    const requestId = `touchpoints-${newId()}`;
    const body = { events: [visit({ visitorId: 'v-once-1' }), visit({ visitorId: 'v-once-2', channel: 'social' })] };
    const before = await count(h, 'touchpoints');
    const answers = await Promise.all(Array.from({ length: 5 }, () => recordTouchpoints(h, body, requestId)));
    expect(answers).toEqual(Array.from({ length: 5 }, () => ({ accepted: 2 })));
    expect(await count(h, 'touchpoints')).toBe(before + 2);
    // The same id with another body is refused: it names another request.
    expect((await refusal(h.call(ATTRIBUTION.recordTouchpoints, visit(), { requestId }))).code).not.toBe('succeeded');
  });

  it('keeps the distinct-visitor rollups equal to what the raw touchpoints say, whatever order batches arrive in, in parallel too', async () => {
    const data = buildDataset(7, Date.parse('2025-05-01T00:00:00Z'), 6);
    await Promise.all(
      [0, 1, 2].map(async (lane) => {
        for (const batch of data.touchpointBatches.filter((_, i) => i % 3 === lane)) await recordTouchpoints(h, { events: batch });
      }),
    );
    expect(await visitorRollupProblems(h.ds)).toEqual({});
  });
});
