import { adminDatabaseUrl, eventually, withAdminClient } from '@o2o/testing';
import { Client } from 'pg';
import { http, RunningStack, startStack } from './support/stack';

jest.setTimeout(180_000);

const OUTAGE_MS = 6000;
/** How soon after the database returns every call must succeed again by itself. */
const RECOVERY_MS = 5000;

type Phase = 'before' | 'outage' | 'after';

interface Answer {
  what: string;
  phase: Phase;
  /** When the call was sent, ms since the epoch. */
  at: number;
  status: number;
  type: string;
  retryAfter: string | null;
  detail?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a Postgres outage under traffic', () => {
  let stack: RunningStack;
  let admin: string;
  let dbName: string;

  const allowConnections = (allow: boolean) => withAdminClient((c) => c.query(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS ${allow}`));

  beforeAll(async () => {
    // The test's own steady traffic must not meet the rate limit.
    stack = await startStack({ RATE_LIMIT_PER_MINUTE: '100000' });
    dbName = new URL(stack.databaseUrl).pathname.slice(1);
    admin = (await http<{ accessToken: string }>(stack.url, 'POST', '/v1/auth/login', { body: { username: 'admin', password: 'admin' } })).body.accessToken;
  });
  afterAll(async () => {
    if (dbName) await allowConnections(true).catch(() => undefined);
    if (stack) await stack.stop();
  });

  it('answers 503 with Retry-After while the database is away, never 500, logs it once per process, and recovers by itself', async () => {
    let phase: Phase = 'before';
    let running = true;
    const answers: Answer[] = [];
    let n = 0;

    const call = async (what: string, method: string, path: string, init: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) => {
      const at = Date.now();
      const sentIn = phase;
      const headers: Record<string, string> = { ...init.headers };
      if (init.token) headers.authorization = `Bearer ${init.token}`;
      if (init.body !== undefined) headers['content-type'] = 'application/json';
      try {
        const res = await fetch(stack.url + path, {
          method,
          headers,
          body: init.body === undefined ? undefined : JSON.stringify(init.body),
          signal: AbortSignal.timeout(10_000),
        });
        const text = await res.text();
        const detail = res.status >= 400 ? (JSON.parse(text || '{}') as { detail?: string }).detail : undefined;
        answers.push({
          what,
          phase: sentIn,
          at,
          status: res.status,
          type: res.headers.get('content-type') ?? '',
          retryAfter: res.headers.get('retry-after'),
          detail,
        });
      } catch (e) {
        answers.push({ what, phase: sentIn, at, status: 0, type: '', retryAfter: null, detail: String(e) });
      }
    };
    const loop = async (step: () => Promise<void>) => {
      while (running) {
        await step();
        await sleep(100);
      }
    };
    const traffic = Promise.all([
      loop(() => call('read', 'GET', '/v1/brands')),
      // Signed in: the gateway reads the account back from its own schema every few seconds.
      loop(() => call('read as admin', 'GET', '/v1/brands?limit=5', { token: admin })),
      loop(() => call('write', 'POST', '/v1/brands', { token: admin, body: { name: `Outage brand ${++n}`, categories: ['tiles'] } })),
      // Under an Idempotency-Key the gateway's own schema is written before the service is called.
      loop(() =>
        call('idempotent write', 'POST', '/v1/brands', {
          token: admin,
          body: { name: `Keyed brand ${++n}`, categories: ['doors'] },
          headers: { 'idempotency-key': `outage-${n}` },
        }),
      ),
    ]);

    const health: { status: number; body: { down?: Record<string, string[]> } }[] = [];
    let logOffset = 0;
    let restoredAt = 0;
    const pg = new Client({ connectionString: await adminDatabaseUrl() });
    const terminate = () => pg.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [dbName]);
    try {
      await pg.connect();
      await sleep(1500);

      logOffset = stack.output().length;
      phase = 'outage';
      const cutAt = Date.now();
      await pg.query(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS false`);
      await terminate();
      while (Date.now() - cutAt < OUTAGE_MS) {
        await sleep(1000);
        await terminate();
        if (health.length < 2 && Date.now() - cutAt > 2000) health.push(await http<{ down?: Record<string, string[]> }>(stack.url, 'GET', '/health'));
      }
    } finally {
      await pg.query(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS true`).catch(() => allowConnections(true));
      restoredAt = Date.now();
      phase = 'after';
      await pg.end().catch(() => undefined);
    }
    await sleep(RECOVERY_MS + 3000);
    running = false;
    await traffic;

    // Never a 500 (nor a 504 or a dropped call): a success, or a 503 problem that says when to retry.
    const wrong = answers.filter((a) => !(a.status === 200 || a.status === 201 || a.status === 503));
    expect(wrong).toEqual([]);
    const unavailable = answers.filter((a) => a.status === 503);
    for (const a of unavailable) {
      expect(a.type).toContain('application/problem+json');
      expect(Number(a.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(a.retryAfter)).toBeLessThanOrEqual(10);
    }

    // The outage was felt, and named: the catalog's database, and the gateway's own.
    const during = answers.filter((a) => a.phase === 'outage');
    expect(during.filter((a) => a.status === 503).length).toBeGreaterThan(10);
    const details = new Set(unavailable.map((a) => a.detail));
    expect(details).toContain("The catalog service's database is unavailable");
    expect(details).toContain("The gateway's database is unavailable");
    expect(health.some((h) => h.status === 503 && h.body.down?.catalog?.includes('database'))).toBe(true);

    // Back by itself within a few seconds, with nothing restarted: every kind of call succeeds again.
    const lateFailures = answers.filter((a) => a.at > restoredAt + RECOVERY_MS && a.status >= 400);
    expect(lateFailures).toEqual([]);
    for (const what of ['read', 'read as admin', 'write', 'idempotent write']) {
      expect(answers.some((a) => a.what === what && a.at > restoredAt + RECOVERY_MS && a.status < 300)).toBe(true);
    }
    await eventually(async () => (await http(stack.url, 'GET', '/health')).status === 200, 5000);

    // Logged once per outage in each process that met it, not once per failed request.
    const logs = stack.output().slice(logOffset).split('\n');
    const perApp = (pattern: RegExp) => {
      const counts: Record<string, number> = {};
      for (const line of logs) {
        const app = /^\[(\w+)\]/.exec(line)?.[1];
        if (app && pattern.test(line)) counts[app] = (counts[app] ?? 0) + 1;
      }
      return counts;
    };
    const unreachable = perApp(/postgres unreachable/);
    const back = perApp(/postgres is back/);
    expect(Object.keys(unreachable)).toEqual(expect.arrayContaining(['catalog', 'gateway']));
    for (const count of Object.values(unreachable)) expect(count).toBe(1);
    expect(back).toEqual(unreachable);
    expect(unavailable.length).toBeGreaterThan(Object.keys(unreachable).length * 3);
    // Neither side logs each failed request.
    expect(logs.filter((l) => /"context":"(RpcErrors|Problems)"/.test(l))).toEqual([]);
  });
});
