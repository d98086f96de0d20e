import { Client } from 'pg';
import { createLogin, signIn } from './support/logins';
import { http, HttpAnswer, RunningStack, startStack } from './support/stack';

jest.setTimeout(180_000);

interface Staff {
  id: string;
  name: string;
  team: string;
  role: string;
  storeId: string | null;
  username?: string;
  [more: string]: unknown;
}
interface Problem {
  status: number;
  errors?: { field: string; message: string }[];
}
interface Login {
  accessToken: string;
  roles: string[];
  staffId?: string;
  storeId?: string;
}

const MISSING = '0190f1c2-0000-7000-8000-0000000000ee';
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
const fieldsOf = (res: HttpAnswer) => ((res.body as Problem | null)?.errors ?? []).map((e) => e.field);

describe('staff, assignment policy, leads and partner webhooks through the gateway', () => {
  let stack: RunningStack;
  let db: Client;
  let admin: string;
  let ops: string;
  let agent: string;
  let storeA: string;
  let storeB: string;
  let manager: string;

  const as = (token: string) => ({ token });
  const withKey = (key: string) => ({ headers: { 'x-api-key': key } });
  const count = async (sql: string, params: unknown[] = []) => Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${sql}`, params)).rows[0].n);
  const staffRows = () => count('leads.staff');
  const loginRows = () => count('gateway.users');
  const newStore = async (name: string) =>
    (await http<{ id: string }>(stack.url, 'POST', '/v1/stores', { ...as(admin), body: { name, city: 'Shanghai', address: '1 Huaihai Road' } })).body.id;
  const newBrand = async (name: string) =>
    (await http<{ id: string }>(stack.url, 'POST', '/v1/brands', { ...as(admin), body: { name, categories: ['tiles'] } })).body.id;
  const newKey = async (brandId: string) => (await http<{ key: string }>(stack.url, 'POST', `/v1/brands/${brandId}/api-keys`, as(admin))).body.key;
  const createStaff = (token: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    http<Staff>(stack.url, 'POST', '/v1/staff', { ...as(token), body, headers });
  const login = (username: string, password: string) => http<Login>(stack.url, 'POST', '/v1/auth/login', { body: { username, password } });

  beforeAll(async () => {
    stack = await startStack({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true' });
    db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
    admin = await signIn(stack, 'admin', 'admin');
    await createLogin(stack, { username: 'olga-ops', password: 'ops-pass-1', roles: ['ops'] });
    await createLogin(stack, { username: 'andy-agent', password: 'agent-pass-1', roles: ['agent'] });
    [ops, agent] = [await signIn(stack, 'olga-ops', 'ops-pass-1'), await signIn(stack, 'andy-agent', 'agent-pass-1')];
    [storeA, storeB] = [await newStore('Store A'), await newStore('Store B')];

    const made = await createStaff(admin, {
      name: 'Manager A',
      team: 'offline',
      storeId: storeA,
      role: 'store_manager',
      username: 'manager-a',
      password: 'manager-pass-1',
    });
    expect(made.status).toBe(201);
    manager = await signIn(stack, 'manager-a', 'manager-pass-1');
  });
  afterAll(async () => {
    await db?.end();
    if (stack) await stack.stop();
  });

  describe('POST /v1/staff', () => {
    it('makes a salesperson with a login that signs in carrying its staffId and storeId', async () => {
      const made = await createStaff(admin, {
        name: 'Sales One',
        team: 'offline',
        storeId: storeA,
        dailyCapacity: 5,
        username: 'sales-one',
        password: 'secret-pass-1',
      });
      expect(made.status).toBe(201);
      expect(made.body).toMatchObject({
        name: 'Sales One',
        team: 'offline',
        role: 'store_staff',
        storeId: storeA,
        dailyCapacity: 5,
        active: true,
        username: 'sales-one',
      });
      expect(JSON.stringify(made.body)).not.toContain('secret-pass-1');

      const signedIn = await login('sales-one', 'secret-pass-1');
      expect(signedIn.status).toBe(200);
      expect(signedIn.body).toMatchObject({ roles: ['store_staff'], staffId: made.body.id, storeId: storeA });
      expect(claimsOf(signedIn.body.accessToken)).toMatchObject({ roles: ['store_staff'], staffId: made.body.id, storeId: storeA });
      expect((await http(stack.url, 'GET', '/v1/leads', as(signedIn.body.accessToken))).status).toBe(200);

      const read = await http<Staff>(stack.url, 'GET', `/v1/staff/${made.body.id}`, as(admin));
      expect([read.status, read.body.username]).toEqual([200, 'sales-one']);
    });

    it('gives an online agent the agent role and a store manager store_manager', async () => {
      const online = await createStaff(admin, { name: 'Agent One', team: 'online', username: 'agent-one', password: 'secret-pass-1' });
      expect([online.status, online.body.role]).toEqual([201, 'agent']);
      const agentLogin = await login('agent-one', 'secret-pass-1');
      expect(agentLogin.body).toMatchObject({ roles: ['agent'], staffId: online.body.id });
      expect(agentLogin.body.storeId).toBeUndefined();

      const managerLogin = await login('manager-a', 'manager-pass-1');
      expect(managerLogin.body).toMatchObject({ roles: ['store_manager'], storeId: storeA, staffId: expect.any(String) });
    });

    it('makes a person without a login', async () => {
      const before = await loginRows();
      const made = await createStaff(ops, { name: 'No Login', team: 'offline', storeId: storeA });
      expect(made.status).toBe(201);
      expect(made.body.username).toBeUndefined();
      expect(await loginRows()).toBe(before);
    });

    it('answers 409 for a taken username, and makes no staff member and no login', async () => {
      const [staff, logins] = [await staffRows(), await loginRows()];
      for (const username of ['sales-one', 'olga-ops']) {
        const taken = await createStaff(admin, { name: 'Copycat', team: 'offline', storeId: storeA, username, password: 'secret-pass-2' });
        expect([taken.status, taken.type]).toEqual([409, expect.stringContaining('application/problem+json')]);
        expect(fieldsOf(taken)).toEqual(['username']);
      }
      expect([await staffRows(), await loginRows()]).toEqual([staff, logins]);
      expect((await login('sales-one', 'secret-pass-2')).status).toBe(401);
    });

    it('replays the first answer for the same Idempotency-Key, making one person and one login', async () => {
      const [staff, logins] = [await staffRows(), await loginRows()];
      const body = { name: 'Once Only', team: 'offline', storeId: storeA, username: 'once-only', password: 'secret-pass-1' };
      const first = await createStaff(admin, body, { 'idempotency-key': 'staff-once' });
      const again = await createStaff(admin, body, { 'idempotency-key': 'staff-once' });
      expect([first.status, again.status, again.body.id]).toEqual([201, 201, first.body.id]);
      expect([await staffRows(), await loginRows()]).toEqual([staff + 1, logins + 1]);
      const other = await createStaff(admin, { ...body, name: 'Not Once' }, { 'idempotency-key': 'staff-once' });
      expect(other.status).toBe(422);
    });

    it('refuses bad input with the field named, and makes nothing', async () => {
      const [staff, logins] = [await staffRows(), await loginRows()];
      const cases: [Record<string, unknown>, string][] = [
        [{ team: 'offline', storeId: storeA }, 'name'],
        [{ name: 'X', team: 'remote' }, 'team'],
        [{ name: 'X', team: 'offline', storeId: 'store-a' }, 'storeId'],
        [{ name: 'X', team: 'offline', storeId: storeA, dailyCapacity: -1 }, 'dailyCapacity'],
        [{ name: 'X', team: 'offline', storeId: storeA, username: 'Bad Name!', password: 'secret-pass-1' }, 'username'],
        [{ name: 'X', team: 'offline', storeId: storeA, username: 'short-pass', password: 'short' }, 'password'],
        [{ name: 'X', team: 'offline', storeId: storeA, username: 'no-pass' }, 'password'],
        [{ name: 'X', team: 'offline', storeId: storeA, password: 'secret-pass-1' }, 'username'],
        [{ name: 'X', team: 'offline', username: 'no-store', password: 'secret-pass-1' }, 'storeId'],
        [{ name: 'X', team: 'online', role: 'store_manager', username: 'online-manager', password: 'secret-pass-1' }, 'role'],
      ];
      for (const [body, field] of cases) {
        const res = await createStaff(admin, body);
        expect({ body, status: res.status, fields: fieldsOf(res) }).toEqual({ body, status: 400, fields: expect.arrayContaining([field]) });
      }
      expect([await staffRows(), await loginRows()]).toEqual([staff, logins]);
    });

    it('lets a store manager add staff to their own store only', async () => {
      const [staff, logins] = [await staffRows(), await loginRows()];
      const elsewhere = await createStaff(manager, { name: 'Elsewhere', team: 'offline', storeId: storeB, username: 'elsewhere', password: 'secret-pass-1' });
      const noLogin = await createStaff(manager, { name: 'Elsewhere', team: 'offline', storeId: storeB });
      expect([elsewhere.status, noLogin.status]).toEqual([403, 403]);
      expect([await staffRows(), await loginRows()]).toEqual([staff, logins]);

      const own = await createStaff(manager, { name: 'Own Store', team: 'offline', storeId: storeA, username: 'own-store', password: 'secret-pass-1' });
      expect([own.status, own.body.storeId]).toEqual([201, storeA]);
      expect((await createStaff(agent, { name: 'Nope', team: 'online' })).status).toBe(403);
    });
  });

  describe('the roster', () => {
    it('changes a staff member, refusing bad input without changing anything', async () => {
      const made = (await createStaff(admin, { name: 'Patch Me', team: 'offline', storeId: storeA, dailyCapacity: 7 })).body;
      const bad: [string, Record<string, unknown>, string][] = [
        ['not-a-uuid', { active: false }, 'id'],
        [made.id, { dailyCapacity: -1 }, 'dailyCapacity'],
        [made.id, { active: 'no' }, 'active'],
        [made.id, { brandIds: ['x'] }, 'brandIds'],
        [made.id, { role: 'admin' }, 'role'],
      ];
      for (const [id, body, field] of bad) {
        const res = await http(stack.url, 'PATCH', `/v1/staff/${id}`, { ...as(admin), body });
        expect({ body, status: res.status, fields: fieldsOf(res) }).toEqual({ body, status: 400, fields: expect.arrayContaining([field]) });
      }
      expect((await http<Staff>(stack.url, 'GET', `/v1/staff/${made.id}`, as(admin))).body).toMatchObject({ dailyCapacity: 7, active: true });

      const patched = await http<Staff>(stack.url, 'PATCH', `/v1/staff/${made.id}`, { ...as(admin), body: { active: false, dailyCapacity: 3 } });
      expect([patched.status, patched.body.active, patched.body.dailyCapacity]).toEqual([200, false, 3]);
      expect((await http(stack.url, 'PATCH', `/v1/staff/${MISSING}`, { ...as(admin), body: { active: false } })).status).toBe(404);
      expect((await http(stack.url, 'PATCH', `/v1/staff/${made.id}`, { ...as(agent), body: { active: true } })).status).toBe(403);
    });

    it('lists and reads staff, a store manager their own store only', async () => {
      const inB = (await createStaff(admin, { name: 'In Store B', team: 'offline', storeId: storeB })).body;
      const all = await http<{ items: Staff[] }>(stack.url, 'GET', '/v1/staff?limit=100', as(admin));
      expect(all.status).toBe(200);
      expect(all.body.items.find((s) => s.name === 'Sales One')).toMatchObject({ username: 'sales-one' });
      const mine = await http<{ items: Staff[] }>(stack.url, 'GET', '/v1/staff?limit=100', as(manager));
      expect(mine.body.items.length).toBeGreaterThan(0);
      expect(mine.body.items.every((s) => s.storeId === storeA)).toBe(true);
      expect((await http(stack.url, 'GET', `/v1/staff/${inB.id}`, as(manager))).status).toBe(404);

      for (const [path, field] of [
        ['/v1/staff?team=remote', 'team'],
        ['/v1/staff?storeId=x', 'storeId'],
        ['/v1/staff?limit=0', 'limit'],
        ['/v1/staff/not-a-uuid', 'id'],
      ]) {
        const res = await http(stack.url, 'GET', path, as(admin));
        expect({ path, status: res.status, fields: fieldsOf(res) }).toEqual({ path, status: 400, fields: [field] });
      }
      expect((await http(stack.url, 'GET', '/v1/staff', as(agent))).status).toBe(403);
    });
  });

  describe('assignment policy', () => {
    it('is set and read by admin and ops, and refused to anyone else', async () => {
      const put = await http(stack.url, 'PUT', '/v1/assignment-policy', {
        ...as(ops),
        body: { strategy: 'least_loaded', contactSlaMinutes: 45, protectionDays: 20 },
      });
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({ strategy: 'least_loaded', contactSlaMinutes: 45, protectionDays: 20, updatedAt: expect.any(String) });

      for (const [body, field] of [
        [{ strategy: 'random', contactSlaMinutes: 30, protectionDays: 30 }, 'strategy'],
        [{ strategy: 'round_robin', contactSlaMinutes: 0, protectionDays: 30 }, 'contactSlaMinutes'],
        [{ strategy: 'round_robin', contactSlaMinutes: 30, protectionDays: 366 }, 'protectionDays'],
        [{ strategy: 'round_robin', contactSlaMinutes: 30 }, 'protectionDays'],
      ] as const) {
        const res = await http(stack.url, 'PUT', '/v1/assignment-policy', { ...as(admin), body });
        expect({ body, status: res.status, fields: fieldsOf(res) }).toEqual({ body, status: 400, fields: expect.arrayContaining([field]) });
      }
      for (const token of [agent, manager]) {
        expect(
          (await http(stack.url, 'PUT', '/v1/assignment-policy', { ...as(token), body: { strategy: 'weighted', contactSlaMinutes: 5, protectionDays: 1 } }))
            .status,
        ).toBe(403);
        expect((await http(stack.url, 'GET', '/v1/assignment-policy', as(token))).status).toBe(403);
      }
      const read = await http(stack.url, 'GET', '/v1/assignment-policy', as(admin));
      expect([read.status, read.body]).toEqual([200, put.body]);
    });
  });

  describe('leads', () => {
    it('answers 401 to an anonymous caller', async () => {
      for (const [method, path] of [
        ['GET', '/v1/leads'],
        ['GET', `/v1/leads/${MISSING}`],
        ['POST', `/v1/leads/${MISSING}/contacted`],
      ]) {
        const res = await http(stack.url, method, path);
        expect([path, res.status, res.type]).toEqual([path, 401, expect.stringContaining('application/problem+json')]);
      }
    });

    it('refuses bad input with the field named', async () => {
      const cases: [string, string, unknown, string][] = [
        ['GET', '/v1/leads?status=open', undefined, 'status'],
        ['GET', '/v1/leads?ownerId=x', undefined, 'ownerId'],
        ['GET', '/v1/leads/not-a-uuid', undefined, 'id'],
        ['POST', '/v1/leads/not-a-uuid/contacted', undefined, 'id'],
        ['POST', `/v1/leads/${MISSING}/reassign`, { toStaffId: 'x', reason: 'because' }, 'toStaffId'],
        ['POST', `/v1/leads/${MISSING}/reassign`, { toStaffId: MISSING }, 'reason'],
        ['POST', `/v1/leads/${MISSING}/lost`, { reason: '' }, 'reason'],
      ];
      for (const [method, path, body, field] of cases) {
        const res = await http(stack.url, method, path, { ...as(admin), body });
        expect({ path, status: res.status, fields: fieldsOf(res) }).toEqual({ path, status: 400, fields: expect.arrayContaining([field]) });
      }
    });

    it('answers an unknown lead 404, and reassigning to store managers and ops only', async () => {
      expect((await http(stack.url, 'GET', `/v1/leads/${MISSING}`, as(admin))).status).toBe(404);
      const reassign = { toStaffId: MISSING, reason: 'customer asked' };
      expect((await http(stack.url, 'POST', `/v1/leads/${MISSING}/reassign`, { ...as(agent), body: reassign })).status).toBe(403);
      expect((await http(stack.url, 'POST', `/v1/leads/${MISSING}/reassign`, { ...as(ops), body: reassign })).status).toBe(404);
    });

    it('lets a partner list its brand’s leads, and no one else’s actions', async () => {
      const key = await newKey(await newBrand('Lead Brand'));
      const listed = await http<{ items: unknown[]; nextCursor: string | null }>(stack.url, 'GET', '/v1/leads', withKey(key));
      expect([listed.status, listed.body.items]).toEqual([200, []]);
      expect((await http(stack.url, 'POST', `/v1/leads/${MISSING}/contacted`, withKey(key))).status).toBe(403);
    });
  });

  describe('partner webhooks', () => {
    let brandId: string;
    let key: string;
    let otherKey: string;
    const secret = 'a-very-long-signing-secret';

    beforeAll(async () => {
      brandId = await newBrand('Hooked Brand');
      key = await newKey(brandId);
      otherKey = await newKey(await newBrand('Other Brand'));
    });

    it('is set by the brand’s key and read back with the secret hidden', async () => {
      const put = await http(stack.url, 'PUT', `/v1/brands/${brandId}/webhook`, { ...withKey(key), body: { url: 'http://127.0.0.1:9/hook', secret } });
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({ brandId, url: 'http://127.0.0.1:9/hook', secretSet: true });
      for (const caller of [withKey(key), as(admin)]) {
        const read = await http(stack.url, 'GET', `/v1/brands/${brandId}/webhook`, caller);
        expect(read.status).toBe(200);
        expect(read.body).toMatchObject({ brandId, url: 'http://127.0.0.1:9/hook', secretSet: true });
        expect(read.body).not.toHaveProperty('secret');
        expect(JSON.stringify(read.body)).not.toContain(secret);
      }
      const deliveries = await http<{ items: unknown[] }>(stack.url, 'GET', `/v1/brands/${brandId}/webhook/deliveries`, withKey(key));
      expect([deliveries.status, deliveries.body.items]).toEqual([200, []]);
    });

    it('answers another brand’s key 404, and staff other than admin 403', async () => {
      const attempts = [
        ['PUT', `/v1/brands/${brandId}/webhook`, { url: 'http://127.0.0.1:9/stolen', secret }],
        ['GET', `/v1/brands/${brandId}/webhook`, undefined],
        ['GET', `/v1/brands/${brandId}/webhook/deliveries`, undefined],
      ] as const;
      for (const [method, path, body] of attempts) {
        expect([path, (await http(stack.url, method, path, { ...withKey(otherKey), body })).status]).toEqual([path, 404]);
        expect([path, (await http(stack.url, method, path, { ...as(ops), body })).status]).toEqual([path, 403]);
      }
      expect((await http(stack.url, 'GET', `/v1/brands/${brandId}/webhook`, withKey(key))).body).toMatchObject({ url: 'http://127.0.0.1:9/hook' });
    });

    it('refuses bad input with the field named, and changes nothing', async () => {
      const cases: [string, string, unknown, string][] = [
        ['PUT', `/v1/brands/${brandId}/webhook`, { url: 'ftp://partner.example.com', secret }, 'url'],
        ['PUT', `/v1/brands/${brandId}/webhook`, { url: 'http://127.0.0.1:9/short', secret: 'short' }, 'secret'],
        ['PUT', '/v1/brands/not-a-uuid/webhook', { url: 'http://127.0.0.1:9/hook', secret }, 'brandId'],
        ['GET', '/v1/brands/not-a-uuid/webhook', undefined, 'brandId'],
        ['GET', `/v1/brands/${brandId}/webhook/deliveries?limit=1000`, undefined, 'limit'],
      ];
      for (const [method, path, body, field] of cases) {
        const res = await http(stack.url, method, path, { ...withKey(key), body });
        expect({ path, status: res.status, fields: fieldsOf(res) }).toEqual({ path, status: 400, fields: expect.arrayContaining([field]) });
      }
      expect((await http(stack.url, 'GET', `/v1/brands/${brandId}/webhook`, withKey(key))).body).toMatchObject({ url: 'http://127.0.0.1:9/hook' });
    });
  });
});
