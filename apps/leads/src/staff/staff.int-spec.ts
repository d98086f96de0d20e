import { AssignmentPolicyView, ErrorCode, EVENTS, LEADS, Page, StaffChangedEvent, StaffView } from '@o2o/contracts';
import { DomainError, newId } from '@o2o/platform';
import { eventually } from '@o2o/testing';
import { addStaff, admin, agent, count, Harness, managerOf, ops, partnerOf, startLeads } from '../../test/harness';
import { AnnounceStaff1795900000000 } from '../migrations/1795900000000-announce-staff';

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

  /** The staff.changed events written about one staff member, oldest first. */
  const staffEvents = async (staffId: string): Promise<StaffChangedEvent[]> =>
    (
      await h.ds.query<{ payload: StaffChangedEvent }[]>(`SELECT payload FROM outbox WHERE type = $1 AND payload->>'staffId' = $2 ORDER BY occurred_at, id`, [
        EVENTS.staffChanged,
        staffId,
      ])
    ).map((r) => r.payload);

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
    expect(await staffEvents(answers[0].id)).toHaveLength(1);
  });

  it('announces each create and update as staff.changed, in the transaction of the change; a refused change announces nothing', async () => {
    const brand = newId();
    const seller = await addStaff(h, { storeId: STORE, brandIds: [brand, brand] });
    const made: StaffChangedEvent = {
      staffId: seller.id,
      storeId: STORE,
      brandIds: [brand],
      role: 'store_staff',
      team: 'offline',
      active: true,
      at: expect.any(String),
    };
    expect(await staffEvents(seller.id)).toEqual([made]);

    await h.call(LEADS.updateStaff, { id: seller.id, active: false, dailyCapacity: 3 }, { actor: ops });
    await h.call(LEADS.updateStaff, { id: seller.id, brandIds: [] }, { actor: managerOf(STORE) });
    const events = await staffEvents(seller.id);
    expect(events).toEqual([made, { ...made, active: false }, { ...made, active: false, brandIds: [] }]);
    expect(Date.parse(events[2].at)).toBeGreaterThanOrEqual(Date.parse(events[0].at));

    const manager = await addStaff(h, { storeId: STORE, role: 'store_manager' });
    const online = await addStaff(h, { team: 'online' });
    expect(await staffEvents(manager.id)).toEqual([expect.objectContaining({ role: 'store_manager', team: 'offline', storeId: STORE })]);
    expect(await staffEvents(online.id)).toEqual([expect.objectContaining({ role: 'agent', team: 'online', storeId: null, brandIds: [] })]);

    const before = await count(h, 'outbox', 'type = $1', [EVENTS.staffChanged]);
    expect(await h.call(LEADS.updateStaff, { id: newId(), active: true }, { actor: ops }).catch(codeOf)).toBe(ErrorCode.NotFound);
    expect(await h.call(LEADS.updateStaff, { id: seller.id, active: true }, { actor: managerOf(OTHER_STORE) }).catch(codeOf)).toBe(ErrorCode.NotFound);
    expect(await addStaff(h, { storeId: OTHER_STORE }, managerOf(STORE)).catch(codeOf)).toBe(ErrorCode.Forbidden);
    expect(await addStaff(h, { team: 'offline' }).catch(codeOf)).toBe(ErrorCode.BadInput);
    expect(await count(h, 'outbox', 'type = $1', [EVENTS.staffChanged])).toBe(before);
  });

  it('announces, once, everyone on the roster from before staff.changed (its migration), for the relay to publish like any event', async () => {
    // Staff as the service made them before: rows and no events. More than one page of them.
    const old = await h.ds.query<{ id: string }[]>(
      `INSERT INTO staff (id, name, team, role, store_id, brand_ids, daily_capacity, active, created_at, updated_at)
       SELECT gen_random_uuid(), 'Old ' || n, 'offline', CASE WHEN n % 10 = 0 THEN 'store_manager' ELSE 'store_staff' END, $1, ARRAY[$2::uuid],
              20, n % 7 <> 0, now() - interval '30 days', now() - interval '1 day'
       FROM generate_series(1, 1100) AS n RETURNING id`,
      [OTHER_STORE, newId()],
    );
    const [{ mark }] = await h.ds.query<{ mark: Date }[]>('SELECT clock_timestamp() AS mark');
    const runner = h.ds.createQueryRunner();
    try {
      await runner.startTransaction();
      await new AnnounceStaff1795900000000().up(runner);
      await runner.commitTransaction();
    } finally {
      await runner.release();
    }

    // One event per staff member on the roster, each saying what the row says.
    const announced = await h.ds.query<{ staff_id: string; n: number; matches: boolean }[]>(
      `SELECT s.id AS staff_id, count(o.id)::int AS n,
              bool_and(o.payload = jsonb_build_object('staffId', s.id, 'storeId', s.store_id, 'brandIds', to_jsonb(s.brand_ids), 'role', s.role,
                'team', s.team, 'active', s.active, 'at', to_char(s.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))) AS matches
       FROM staff s LEFT JOIN outbox o ON o.type = $1 AND o.payload->>'staffId' = s.id::text AND o.occurred_at >= $2
       GROUP BY s.id`,
      [EVENTS.staffChanged, mark],
    );
    expect(announced.length).toBe(await count(h, 'staff'));
    expect(announced.filter((a) => a.n !== 1 || !a.matches)).toEqual([]);
    expect(old.every((o) => announced.some((a) => a.staff_id === o.id))).toBe(true);
    const [sample] = await staffEvents(old[6].id);
    expect(sample).toMatchObject({ staffId: old[6].id, storeId: OTHER_STORE, role: 'store_staff', team: 'offline', active: false });

    // The relay takes them like any other row.
    await eventually(async () => (await count(h, 'outbox', 'type = $1 AND published_at IS NULL', [EVENTS.staffChanged])) === 0, 30_000, 200);
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
