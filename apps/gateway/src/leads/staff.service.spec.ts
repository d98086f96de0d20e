import { Actor, CreateStaffDto, ErrorCode, Role, StaffView } from '@o2o/contracts';
import { DomainError } from '@o2o/platform';
import type { LoginReservation, StaffLoginsRepository } from '../auth/staff-logins.repository';
import type { GatewayClients } from '../core/gateway-clients';
import type { GatewayRequest } from '../core/request-meta';
import { definitelyRefused, loginRole, StaffService } from './staff.service';

jest.mock('../auth/password', () => ({ hashPassword: (p: string) => Promise.resolve(`hash:${p}`) }));

interface Row extends LoginReservation {
  id: string;
  state: 'pending' | 'active';
  staffId: string | null;
}

/** The users table as the repository's SQL keeps it: unique usernames, pending until activated. */
class FakeLogins {
  rows: Row[] = [];
  private next = 0;

  reserve(login: LoginReservation) {
    const taken = this.rows.find((r) => r.username === login.username);
    if (!taken) {
      const row: Row = { ...login, id: `login-${++this.next}`, state: 'pending', staffId: null };
      this.rows.push(row);
      return Promise.resolve({ id: row.id, resumed: false });
    }
    if (taken.state === 'pending' && taken.reservation === login.reservation) {
      Object.assign(taken, { passwordHash: login.passwordHash });
      return Promise.resolve({ id: taken.id, resumed: true });
    }
    return Promise.resolve(null);
  }

  activate(id: string, staffId: string) {
    const row = this.rows.find((r) => r.id === id && (r.state === 'pending' || r.staffId === staffId));
    if (row) Object.assign(row, { state: 'active', staffId });
    return Promise.resolve(!!row);
  }

  release(id: string) {
    this.rows = this.rows.filter((r) => !(r.id === id && r.state === 'pending'));
    return Promise.resolve();
  }

  usernames(staffIds: string[]) {
    return Promise.resolve(new Map(this.rows.filter((r) => r.state === 'active' && staffIds.includes(r.staffId ?? '')).map((r) => [r.staffId!, r.username])));
  }
}

/** The leads service: exactly once per request id, or failing as told. */
class FakeLeads {
  staff = new Map<string, StaffView>();
  calls: { pattern: string; data: unknown; requestId?: string }[] = [];
  failWith: DomainError | null = null;
  /** The work commits, but the answer is lost (a 504 after the commit). */
  commitThenTimeOut = false;

  call<T>(_service: string, pattern: string, data: Record<string, unknown>, _req: GatewayRequest, options: { requestId?: string } = {}): Promise<T> {
    this.calls.push({ pattern, data, requestId: options.requestId });
    if (this.failWith) return Promise.reject(this.failWith);
    const key = options.requestId ?? `random-${this.calls.length}`;
    const made =
      this.staff.get(key) ??
      ({ id: `staff-${this.staff.size + 1}`, name: String(data.name), team: data.team, role: 'store_staff', storeId: data.storeId ?? null } as StaffView);
    this.staff.set(key, made);
    if (this.commitThenTimeOut) return Promise.reject(new DomainError(ErrorCode.ServiceTimeout, 'The leads service did not answer within 5000 ms'));
    return Promise.resolve(made as T);
  }
}

const STORE = '0190f1c2-0000-7000-8000-000000000001';
const OTHER_STORE = '0190f1c2-0000-7000-8000-000000000002';
const admin: Actor = { kind: 'staff', userId: 'u-admin', roles: [Role.Admin] };
const manager: Actor = { kind: 'staff', userId: 'u-manager', roles: [Role.StoreManager], storeId: STORE };
const request = (actor: Actor) => ({ actor }) as GatewayRequest;
const body = (more: Partial<CreateStaffDto> = {}): CreateStaffDto => ({
  name: 'Wang Fang',
  team: 'offline',
  storeId: STORE,
  username: 'wangfang',
  password: 'secret-pass-1',
  ...more,
});
const codeOf = (e: DomainError) => e.code;

describe('making a staff member with a login', () => {
  let logins: FakeLogins;
  let leads: FakeLeads;
  let service: StaffService;

  beforeEach(() => {
    logins = new FakeLogins();
    leads = new FakeLeads();
    service = new StaffService(leads as unknown as GatewayClients, logins as unknown as StaffLoginsRepository);
  });

  it('reserves the login, makes the person without the login fields, then activates the login with the staff id', async () => {
    const staff = await service.create(body(), request(admin));
    expect(staff).toMatchObject({ id: 'staff-1', username: 'wangfang' });
    expect(leads.calls).toEqual([
      { pattern: 'leads.staff.create', data: { name: 'Wang Fang', team: 'offline', storeId: STORE }, requestId: 'gateway:login:login-1:staff' },
    ]);
    expect(logins.rows).toEqual([
      expect.objectContaining({
        username: 'wangfang',
        passwordHash: 'hash:secret-pass-1',
        role: Role.StoreStaff,
        storeId: STORE,
        state: 'active',
        staffId: 'staff-1',
      }),
    ]);
  });

  it('answers 409 for a taken username and asks leads nothing', async () => {
    await service.create(body(), request(admin));
    await expect(service.create(body({ name: 'Another' }), request(admin)).catch(codeOf)).resolves.toBe(ErrorCode.Conflict);
    expect(leads.calls).toHaveLength(1);
  });

  it('gives the username back when leads refuses', async () => {
    leads.failWith = new DomainError(ErrorCode.BadInput, 'storeId is required for the offline team', [{ field: 'storeId', message: 'required' }]);
    await expect(service.create(body({ storeId: undefined }), request(admin)).catch(codeOf)).resolves.toBe(ErrorCode.BadInput);
    expect(logins.rows).toEqual([]);
  });

  it('keeps the login pending and disabled on an unknown outcome; the same request resumes it and leads makes the person once', async () => {
    leads.commitThenTimeOut = true;
    await expect(service.create(body(), request(admin)).catch(codeOf)).resolves.toBe(ErrorCode.ServiceTimeout);
    expect(logins.rows).toEqual([expect.objectContaining({ state: 'pending', staffId: null })]);

    // Someone else, or another body, cannot take it over.
    leads.commitThenTimeOut = false;
    await expect(service.create(body({ name: 'Someone else' }), request(admin)).catch(codeOf)).resolves.toBe(ErrorCode.Conflict);

    const retried = await service.create(body(), request(admin));
    expect(retried).toMatchObject({ id: 'staff-1', username: 'wangfang' });
    expect(leads.staff.size).toBe(1);
    expect(new Set(leads.calls.map((c) => c.requestId))).toEqual(new Set(['gateway:login:login-1:staff']));
    expect(logins.rows).toEqual([expect.objectContaining({ state: 'active', staffId: 'staff-1' })]);
  });

  it('refuses a store manager adding staff to another store before reserving anything', async () => {
    await expect(service.create(body({ storeId: OTHER_STORE }), request(manager)).catch(codeOf)).resolves.toBe(ErrorCode.Forbidden);
    expect([logins.rows, leads.calls]).toEqual([[], []]);
    await expect(service.create(body(), request(manager))).resolves.toMatchObject({ username: 'wangfang' });
  });

  it('needs both username and password, naming the one missing', async () => {
    const e = (await service.create(body({ password: undefined }), request(admin)).catch((x: DomainError) => x)) as DomainError;
    expect([e.code, e.errors]).toEqual([ErrorCode.BadInput, [{ field: 'password', message: 'password is required with username' }]]);
    expect(leads.calls).toEqual([]);
  });

  it('makes a person without a login in one call', async () => {
    await expect(service.create(body({ username: undefined, password: undefined }), request(admin))).resolves.toMatchObject({ id: 'staff-1' });
    expect([logins.rows, leads.calls[0].requestId]).toEqual([[], undefined]);
  });
});

describe('staff login rules', () => {
  it.each([
    [{ team: 'online' as const }, Role.Agent],
    [{ team: 'offline' as const }, Role.StoreStaff],
    [{ team: 'offline' as const, role: 'store_manager' as const }, Role.StoreManager],
  ])('%j logs in as %s', (person, role) => {
    expect(loginRole(person)).toBe(role);
  });

  it.each([
    [new DomainError(ErrorCode.BadInput, ''), true],
    [new DomainError(ErrorCode.Forbidden, ''), true],
    [new DomainError(ErrorCode.RuleBroken, ''), true],
    [new DomainError(ErrorCode.IdempotencyKeyReused, ''), false],
    [new DomainError(ErrorCode.ServiceUnavailable, ''), false],
    [new DomainError(ErrorCode.ServiceTimeout, ''), false],
    [new Error('socket hang up'), false],
  ])('%s is a definite refusal: %s', (e, refused) => {
    expect(definitelyRefused(e)).toBe(refused);
  });
});
