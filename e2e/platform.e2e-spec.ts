import { eventually } from '@o2o/testing';
import { createHmac, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createLogin } from './support/logins';
import { http, RunningStack, startStack } from './support/stack';

const TIMEOUT_MS = 2000;

const RATE_LIMIT = 200;
const JWT_SECRET = randomBytes(32).toString('hex');

/** An HS256 token signed with the stack's secret, as only the gateway should be able to make. */
function signToken(claims: object): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
  return `${unsigned}.${createHmac('sha256', JWT_SECRET).update(unsigned).digest('base64url')}`;
}

jest.setTimeout(180_000);

describe('the stack through the gateway', () => {
  let stack: RunningStack;
  let admin: string;

  beforeAll(async () => {
    stack = await startStack({ REQUEST_TIMEOUT_MS: String(TIMEOUT_MS), RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT), JWT_SECRET });
    const login = await http<{ accessToken: string }>(stack.url, 'POST', '/v1/auth/login', { body: { username: 'admin', password: 'admin' } });
    admin = login.body.accessToken;
  });
  afterAll(async () => {
    if (stack) expect(await stack.stop()).toBe(0); // Ctrl-C stops everything cleanly
  });

  it('answers /health 200 with every service up', async () => {
    const res = await http(stack.url, 'GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', services: { catalog: 'up', booking: 'up', coupons: 'up', leads: 'up', attribution: 'up' } });
  });

  it('hands the caller its correlation id back, or makes one', async () => {
    const given = await fetch(`${stack.url}/v1/brands`, { headers: { 'x-correlation-id': 'req-42' } });
    expect(given.headers.get('x-correlation-id')).toBe('req-42');
    const made = await fetch(`${stack.url}/v1/brands`);
    expect(made.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves the OpenAPI document', async () => {
    type Operation = { summary: string; 'x-o2o-access': unknown; responses: Record<string, { content?: Record<string, unknown> }> };
    const res = await http<{ openapi: string; paths: Record<string, Record<string, Operation>> }>(stack.url, 'GET', '/docs/json');
    expect(res.status).toBe(200);
    expect(res.body.paths).toHaveProperty(['/v1/auth/login']);
    expect(res.body.paths).toHaveProperty(['/health/live']);
    const voidCard = res.body.paths['/v1/cards/{cardNo}/void']!.post!;
    expect(voidCard['x-o2o-access']).toEqual({ roles: ['admin', 'ops'], partner: false });
    expect(Object.keys(voidCard.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404', '409', '429', '503', '504']));
    expect(voidCard.responses['403']!.content).toHaveProperty(['application/problem+json']);
  });

  it('answers problem+json for bad input and bad credentials', async () => {
    const bad = await http<{ errors: { field: string }[] }>(stack.url, 'POST', '/v1/auth/login', { body: { username: '' } });
    expect(bad.status).toBe(400);
    expect(bad.type).toContain('application/problem+json');
    expect(bad.body.errors.map((e) => e.field)).toEqual(expect.arrayContaining(['username', 'password']));
    const wrong = await http(stack.url, 'POST', '/v1/auth/login', { body: { username: 'admin', password: 'nope' } });
    expect(wrong.status).toBe(401);
    const anonymous = await http(stack.url, 'DELETE', '/v1/api-keys/0190f1c2-0000-7000-8000-000000000001');
    expect(anonymous.status).toBe(401);
  });

  it('runs the work once for ten concurrent POSTs with the same Idempotency-Key', async () => {
    const brand = await http<{ id: string }>(stack.url, 'POST', '/v1/brands', { token: admin, body: { name: 'Nine Mu', categories: ['bathroom'] } });
    const body = { brandId: brand.body.id, name: 'Smart toilet', category: 'bathroom', skus: [{ code: 'T1', priceFen: 399900 }] };
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        http<{ id: string }>(stack.url, 'POST', '/v1/products', { token: admin, body, headers: { 'idempotency-key': 'ten-at-once' } }),
      ),
    );
    const created = answers.filter((a) => a.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(answers.every((a) => a.status === 201 || a.status === 409)).toBe(true);
    expect(new Set(created.map((a) => a.body.id)).size).toBe(1);

    const db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
    const { rows } = await db.query('SELECT count(*)::int AS n FROM catalog.products WHERE brand_id = $1', [brand.body.id]);
    await db.end();
    expect(rows[0].n).toBe(1);

    const replay = await http<{ id: string }>(stack.url, 'POST', '/v1/products', { token: admin, body, headers: { 'idempotency-key': 'ten-at-once' } });
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe(created[0].body.id);
  });

  it('refuses a token for an account that does not exist, even when correctly signed', async () => {
    const forged = signToken({ sub: '0190f1c2-0000-7000-8000-0000000000f0', roles: ['admin'], iat: Math.floor(Date.now() / 1000) });
    const res = await http(stack.url, 'POST', '/v1/brands', { token: forged, body: { name: 'Forged', categories: ['x'] } });
    expect(res.status).toBe(401);
  });

  it('answers 429 with Retry-After after 10 failed logins for one username from one address', async () => {
    await createLogin(stack, { username: 'carol', password: 'carol-pass-1', roles: ['agent'] });
    const attempt = (username: string, password: string) =>
      fetch(`${stack.url}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    const failures: number[] = [];
    for (let i = 0; i < 10; i++) failures.push((await attempt('carol', `guess-${i}`)).status);
    expect(failures).toEqual(Array(10).fill(401));

    const blocked = await attempt('carol', 'carol-pass-1'); // even the right password
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('content-type')).toContain('application/problem+json');
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(800);
    expect(retryAfter).toBeLessThanOrEqual(900);

    // Another username's success neither is blocked nor frees carol.
    expect((await attempt('admin', 'admin')).status).toBe(200);
    expect((await attempt('carol', 'carol-pass-1')).status).toBe(429);
    // Unknown usernames are limited the same way, so the answer does not tell which exist.
    for (let i = 0; i < 10; i++) await attempt('nobody-here', `guess-${i}`);
    expect((await attempt('nobody-here', 'x')).status).toBe(429);
  });

  it('upgrades a password stored with weaker scrypt parameters on the next login', async () => {
    const id = await createLogin(stack, { username: 'dave', password: 'dave-pass-1', roles: ['agent'] });
    const stored = async () => {
      const db = new Client({ connectionString: stack.databaseUrl });
      await db.connect();
      const { rows } = await db.query('SELECT password_hash FROM gateway.users WHERE id = $1', [id]);
      await db.end();
      return rows[0].password_hash as string;
    };
    expect(await stored()).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect((await http(stack.url, 'POST', '/v1/auth/login', { body: { username: 'dave', password: 'dave-pass-1' } })).status).toBe(200);
    expect(await stored()).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect((await http(stack.url, 'POST', '/v1/auth/login', { body: { username: 'dave', password: 'dave-pass-1' } })).status).toBe(200);
    expect((await http(stack.url, 'POST', '/v1/auth/login', { body: { username: 'dave', password: 'wrong' } })).status).toBe(401);
  });

  it('limits each API key by its own bucket, answering 429 problem+json', async () => {
    const brand = await http<{ id: string }>(stack.url, 'POST', '/v1/brands', { token: admin, body: { name: 'Busy brand', categories: ['tiles'] } });
    const key = await http<{ key: string }>(stack.url, 'POST', `/v1/brands/${brand.body.id}/api-keys`, { token: admin });
    const asPartner = () => http(stack.url, 'GET', `/v1/brands/${brand.body.id}`, { headers: { 'x-api-key': key.body.key } });
    const statuses: number[] = [];
    for (let i = 0; i < RATE_LIMIT; i += 20) statuses.push(...(await Promise.all(Array.from({ length: 20 }, asPartner))).map((r) => r.status));
    expect(statuses.every((s) => s === 200)).toBe(true);
    const over = await asPartner();
    expect(over.status).toBe(429);
    expect(over.type).toContain('application/problem+json');
    // Other callers keep their own buckets.
    expect((await http(stack.url, 'GET', '/v1/brands', { token: admin })).status).toBe(200);
  });

  it('answers 504 problem+json within the timeout when a service is alive but does not answer', async () => {
    const catalog = stack.pids.get('catalog')!;
    process.kill(catalog, 'SIGSTOP'); // frozen: its heartbeat has not lapsed yet, but it answers nothing
    try {
      const res = await http(stack.url, 'GET', '/v1/brands');
      expect(res.status).toBe(504);
      expect(res.type).toContain('application/problem+json');
      expect(res.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
      expect(res.ms).toBeLessThan(TIMEOUT_MS + 500);
    } finally {
      process.kill(catalog, 'SIGCONT');
    }
    await eventually(async () => (await http(stack.url, 'GET', '/v1/brands')).status === 200, 10_000);
  });

  it('answers 503 for a stopped service, and recovers when it starts again without a gateway restart', async () => {
    process.kill(stack.pids.get('catalog')!, 'SIGKILL');

    const health = await eventually(async () => {
      const r = await http<{ services: Record<string, string> }>(stack.url, 'GET', '/health', { token: admin });
      return r.status === 503 ? r : undefined;
    }, 10_000);
    expect(health.body.services.catalog).toBe('down');
    expect(health.body.services.booking).toBe('up');

    const route = await eventually(async () => {
      const r = await http(stack.url, 'GET', '/v1/brands');
      return r.status === 503 ? r : undefined;
    }, 10_000);
    expect(route.type).toContain('application/problem+json');
    expect(route.ms).toBeLessThan(TIMEOUT_MS + 500);

    stack.startApp('catalog');
    await eventually(async () => (await http(stack.url, 'GET', '/health', { token: admin })).status === 200, 20_000);
    expect((await http(stack.url, 'GET', '/v1/brands')).status).toBe(200);
  });

  // The tests from here on spend this address's whole bucket.
  const untilLimited = async (call: (i: number) => Promise<number>) => {
    const statuses: number[] = [];
    for (let i = 0; i <= RATE_LIMIT + 40 && !statuses.includes(429); i += 20)
      statuses.push(...(await Promise.all(Array.from({ length: 20 }, (_, j) => call(i + j)))));
    return statuses;
  };

  it('counts made-up API keys against the caller address', async () => {
    const statuses = await untilLimited(
      async (i) => (await http(stack.url, 'GET', '/v1/brands', { headers: { 'x-api-key': `o2o_made-up-${i}-${randomBytes(8).toString('hex')}` } })).status,
    );
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s !== 429).every((s) => s === 401)).toBe(true);
    const again = await http(stack.url, 'GET', '/v1/brands', { headers: { 'x-api-key': 'o2o_yet-another-made-up-key' } });
    expect([again.status, again.type.includes('problem+json')]).toEqual([429, true]);
  });

  it('rate-limits /health like any route, and answers /health/live regardless', async () => {
    const statuses = await untilLimited(async () => (await http(stack.url, 'GET', '/health')).status);
    expect(statuses).toContain(429);
    const live = await http(stack.url, 'GET', '/health/live');
    expect([live.status, live.body]).toEqual([200, { status: 'ok' }]);
  });

  // Last: it spends this address's whole bucket.
  it('keys anonymous callers by their socket address, whatever X-Forwarded-For says', async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= RATE_LIMIT; i += 20) {
      const batch = Array.from({ length: 20 }, (_, j) =>
        http(stack.url, 'GET', '/v1/brands', { headers: { 'x-forwarded-for': `203.0.113.${(i + j) % 250}` } }),
      );
      statuses.push(...(await Promise.all(batch)).map((r) => r.status));
    }
    expect(statuses).toContain(429);
  });
});
