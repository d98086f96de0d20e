import { Client } from 'pg';
import { createLogin, signIn } from './support/logins';
import { http, RunningStack, startStack } from './support/stack';

jest.setTimeout(180_000);

interface Problem {
  status: number;
  errors?: { field: string; message: string }[];
}
interface FunnelRow {
  key: string;
  visits: number;
  consultationRate: number | null;
}
interface Funnel {
  rows: FunnelRow[];
  total: { visits: number };
  from: string;
  to: string;
  tz: string;
}

const visit = (change: Record<string, unknown> = {}) => ({ visitorId: 'e2e-v1', type: 'visit', channel: 'sem', at: '2025-06-01T10:20:00Z', ...change });

describe('touchpoints and the funnel through the gateway', () => {
  let stack: RunningStack;
  let ops: string;
  let agent: string;
  let db: Client;

  beforeAll(async () => {
    stack = await startStack();
    await createLogin(stack, { username: 'funnel-ops', password: 'secret-pass-1', roles: ['ops'] });
    await createLogin(stack, { username: 'funnel-agent', password: 'secret-pass-1', roles: ['agent'] });
    ops = await signIn(stack, 'funnel-ops', 'secret-pass-1');
    agent = await signIn(stack, 'funnel-agent', 'secret-pass-1');
    db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    if (stack) await stack.stop();
  });

  const touchpoints = async () => Number((await db.query('SELECT count(*) AS n FROM attribution.touchpoints')).rows[0].n);
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    http<Problem & { accepted: number }>(stack.url, 'POST', '/v1/touchpoints', { body, headers });

  it('takes one event or a batch from anyone with 202, and the funnel counts their visitors', async () => {
    const one = await post(visit());
    expect([one.status, one.body]).toEqual([202, { accepted: 1 }]);
    const batch = await post({ events: [visit({ visitorId: 'e2e-v2', channel: 'seo' }), visit({ visitorId: 'e2e-v1', at: '2025-06-01T11:40:00Z' })] });
    expect([batch.status, batch.body]).toEqual([202, { accepted: 2 }]);

    const res = await http<Funnel>(stack.url, 'GET', '/v1/funnel?from=2025-06-01&to=2025-06-02&groupBy=channel&tz=UTC', { token: ops });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ from: '2025-06-01T00:00:00.000Z', to: '2025-06-02T00:00:00.000Z', tz: 'UTC', total: { visits: 2 } });
    expect(res.body.rows.map((r) => [r.key, r.visits, r.consultationRate])).toEqual([
      ['sem', 1, 0],
      ['seo', 1, 0],
    ]);
  });

  it('refuses a batch with a bad event whole, naming events.N.field, and an oversized body', async () => {
    const before = await touchpoints();
    const bad = await post({ events: [visit(), visit({ channel: 'billboard' }), visit({ at: 'later' })] });
    expect([bad.status, bad.type.includes('application/problem+json')]).toEqual([400, true]);
    expect(bad.body.errors?.map((e) => e.field).sort()).toEqual(['events.1.channel', 'events.2.at']);
    const single = await post(visit({ visitorId: '' }));
    expect(single.body.errors?.map((e) => e.field)).toEqual(['visitorId']);
    const tooMany = await post({ events: Array.from({ length: 501 }, () => visit()) });
    expect([tooMany.status, tooMany.body.errors?.map((e) => e.field)]).toEqual([400, ['events']]);
    const huge = await post({ events: Array.from({ length: 500 }, () => visit({ landingPage: `/${'x'.repeat(3000)}` })) });
    expect([413, 400]).toContain(huge.status);
    expect(await touchpoints()).toBe(before);
  });

  it('replays a batch under the same Idempotency-Key, recording it once', async () => {
    const before = await touchpoints();
    const body = { events: [visit({ visitorId: 'e2e-idem' })] };
    const first = await post(body, { 'idempotency-key': 'touch-1' });
    const again = await post(body, { 'idempotency-key': 'touch-1' });
    const other = await post({ events: [visit({ visitorId: 'e2e-other' })] }, { 'idempotency-key': 'touch-1' });
    expect([first.status, again.status, other.status]).toEqual([202, 202, 422]);
    expect(await touchpoints()).toBe(before + 1);
  });

  it('shows the funnel to ops and admin only, and answers bad queries with the field', async () => {
    const url = '/v1/funnel?from=2025-06-01&to=2025-06-02&groupBy=store';
    expect((await http(stack.url, 'GET', url)).status).toBe(401);
    expect((await http(stack.url, 'GET', url, { token: agent })).status).toBe(403);
    const byStore = await http<Funnel>(stack.url, 'GET', url, { token: ops });
    expect(byStore.status).toBe(200);
    expect(byStore.body.tz).toBe('Asia/Shanghai');
    const bad = await http<Problem>(stack.url, 'GET', '/v1/funnel?from=2025-06-02&to=2025-06-01&groupBy=region', { token: ops });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((e) => e.field)).toContain('groupBy');
    const backwards = await http<Problem>(stack.url, 'GET', '/v1/funnel?from=2025-06-02&to=2025-06-01&groupBy=brand', { token: ops });
    expect([backwards.status, backwards.body.errors?.map((e) => e.field)]).toEqual([400, ['to']]);
  });

  it('documents both routes in the OpenAPI document, the funnel with its views', async () => {
    const doc = await http<{ paths: Record<string, Record<string, { responses: Record<string, unknown> }>>; components: { schemas: Record<string, unknown> } }>(
      stack.url,
      'GET',
      '/docs/json',
    );
    expect(Object.keys(doc.body.paths['/v1/touchpoints'].post.responses)).toContain('202');
    expect(doc.body.paths['/v1/funnel'].get.responses['200']).toBeDefined();
    expect(JSON.stringify(doc.body.components.schemas.FunnelFiguresView)).toContain('Capped at 1');
  });
});
