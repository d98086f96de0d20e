import { AssignmentPolicyView, ErrorCode, LEADS, Page, StaffView } from '@o2o/contracts';
import { DomainError, newId } from '@o2o/platform';
import { addStaff, admin, agent, count, Harness, managerOf, ops, partnerOf, startLeads } from '../../test/harness';

const codeOf = (e: unknown) => (e instanceof DomainError ? e.code : String(e));
const STORE = newId();
const OTHER_STORE = newId();

describe('staff roster and assignment policy (real Postgres and Redis, through the transport)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startLeads();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('makes offline and online staff with their roles and defaults, and reads them back', async () => {
    const seller = await addStaff(h, { storeId: STORE });
    expect(seller).toMatchObject({ team: 'offline', role: 'store_staff', storeId: STORE, brandIds: [], dailyCapacity: 20, active: true });
    const manager = await addStaff(h, { storeId: STORE, role: 'store_manager', dailyCapacity: 5 });
    expect(manager).toMatchObject({ role: 'store_manager', dailyCapacity: 5 });
    expect(await addStaff(h, { team: 'online' })).toMatchObject({ role: 'agent', storeId: null });
    expect(await h.call(LEADS.getStaff, { id: seller.id }, { actor: ops })).toEqual(seller);
    const page = await h.call<Page<StaffView>>(LEADS.listStaff, { storeId: STORE }, { actor: admin });
    expect(page.items.map((s) => s.id)).toEqual([seller.id, manager.id]);
  });

  it('refuses bad input, unknown ids and callers without the role, and writes nothing', async () => {
    const before = await count(h, 'staff');
    const bad = async (data: object) => {
      const e = await h.call(LEADS.createStaff, data, { actor: ops }).catch((x: unknown) => x);
      expect(codeOf(e)).toBe(ErrorCode.BadInput);
      return (e as DomainError).errors?.map((f) => f.field) ?? [];
    };
    expect(await bad({ name: 'x', team: 'offline' })).toContain('storeId');
    expect(await bad({ name: 'x', team: 'online', role: 'store_manager' })).toContain('role');
    await bad({ name: '', team: 'offline', storeId: STORE });
    await bad({ name: 'x', team: 'offline', storeId: STORE, dailyCapacity: -1 });
    await bad({ name: 'x', team: 'offline', storeId: 'nope' });
    await bad({ name: 'x', team: 'offline', storeId: STORE, extra: 1 });
    expect(await h.call(LEADS.createStaff, { name: 'x', team: 'online' }, { actor: agent }).catch(codeOf)).toBe(ErrorCode.Forbidden);
    expect(await h.call(LEADS.createStaff, { name: 'x', team: 'online' }, { actor: partnerOf(newId()) }).catch(codeOf)).toBe(ErrorCode.Forbidden);
    expect(await h.call(LEADS.updateStaff, { id: newId(), active: false }, { actor: ops }).catch(codeOf)).toBe(ErrorCode.NotFound);
    expect(await h.call(LEADS.updateStaff, { id: newId(), dailyCapacity: 2000 }, { actor: ops }).catch(codeOf)).toBe(ErrorCode.BadInput);
    expect(await h.call(LEADS.getStaff, { id: newId() }, { actor: ops }).catch(codeOf)).toBe(ErrorCode.NotFound);
    expect(await count(h, 'staff')).toBe(before);
  });

  it('lets a store manager manage their own store alone', async () => {
    const manager = managerOf(STORE);
    const mine = await addStaff(h, { storeId: STORE }, manager);
    const theirs = await addStaff(h, { storeId: OTHER_STORE });
    const before = await count(h, 'staff');
    expect(await addStaff(h, { storeId: OTHER_STORE }, manager).catch(codeOf)).toBe(ErrorCode.Forbidden);
    expect(await addStaff(h, { team: 'online' }, manager).catch(codeOf)).toBe(ErrorCode.Forbidden);
    expect(await h.call(LEADS.getStaff, { id: theirs.id }, { actor: manager }).catch(codeOf)).toBe(ErrorCode.NotFound);
    expect(await h.call(LEADS.updateStaff, { id: theirs.id, active: false }, { actor: manager }).catch(codeOf)).toBe(ErrorCode.NotFound);
    expect(await count(h, 'staff')).toBe(before);
    expect(await h.call(LEADS.updateStaff, { id: mine.id, active: false, dailyCapacity: 3 }, { actor: manager })).toMatchObject({
      active: false,
      dailyCapacity: 3,
    });
    const listed = await h.call<Page<StaffView>>(LEADS.listStaff, { limit: 100 }, { actor: manager });
    expect(listed.items.every((s) => s.storeId === STORE)).toBe(true);
    expect(listed.items.map((s) => s.id)).toContain(mine.id);
  });

  it('makes a person once however often the request is delivered', async () => {
    const before = await count(h, 'staff');
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        h.call<StaffView>(LEADS.createStaff, { name: 'Once', team: 'offline', storeId: STORE }, { actor: ops, requestId: 'staff-once' }),
      ),
    );
    expect(new Set(answers.map((a) => a.id)).size).toBe(1);
    expect(await count(h, 'staff')).toBe(before + 1);
  });

  it('keeps one policy: round robin, 30 minutes, 30 days by default; admin and ops set it', async () => {
    expect(await h.call(LEADS.getPolicy, {}, { actor: ops })).toMatchObject({ strategy: 'round_robin', contactSlaMinutes: 30, protectionDays: 30 });
    const put = await h.call<AssignmentPolicyView>(LEADS.putPolicy, { strategy: 'weighted', contactSlaMinutes: 15, protectionDays: 7 }, { actor: admin });
    expect(put).toMatchObject({ strategy: 'weighted', contactSlaMinutes: 15, protectionDays: 7 });
    expect(await h.call(LEADS.putPolicy, { strategy: 'random', contactSlaMinutes: 15, protectionDays: 7 }, { actor: ops }).catch(codeOf)).toBe(
      ErrorCode.BadInput,
    );
    expect(await h.call(LEADS.putPolicy, { strategy: 'weighted', contactSlaMinutes: 0, protectionDays: 7 }, { actor: ops }).catch(codeOf)).toBe(
      ErrorCode.BadInput,
    );
    expect(
      await h.call(LEADS.putPolicy, { strategy: 'least_loaded', contactSlaMinutes: 15, protectionDays: 7 }, { actor: managerOf(STORE) }).catch(codeOf),
    ).toBe(ErrorCode.Forbidden);
    expect(await h.call(LEADS.getPolicy, {}, { actor: agent }).catch(codeOf)).toBe(ErrorCode.Forbidden);
    expect(await h.call(LEADS.getPolicy, {}, { actor: ops })).toEqual(put);
    expect(await count(h, 'assignment_policy')).toBe(1);
  });
});
