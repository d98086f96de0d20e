import { BOOKING, BookingRefusal, DealView, ErrorCode, EVENTS } from '@o2o/contracts';
import { newId } from '@o2o/platform';
import { admin, count, envelope, Harness, managerOf, newPhone, partnerOf, refusal, seedStaff, seedStore, startBooking } from '../../test/harness';
import { StaffFactsRepository } from './staff-facts.repository';

describe("booking's copy of the staff roster, and who a deal may name as its closer (real Postgres and Redis, through the transport)", () => {
  let h: Harness;
  let facts: StaffFactsRepository;
  const brand = newId();
  let store: string;
  let otherStore: string;

  beforeAll(async () => {
    h = await startBooking();
    facts = h.get(StaffFactsRepository);
    store = await seedStore(h, { brandIds: [brand] });
    otherStore = await seedStore(h, { brandIds: [brand] });
  });
  afterAll(async () => {
    await h?.close();
  });

  const t0 = Date.now();
  const at = (ms: number) => new Date(t0 + ms).toISOString();
  const deal = (staffId: string, actor = admin) =>
    h.call<DealView>(
      BOOKING.closeDeal,
      { storeId: store, brandId: brand, staffId, customer: { phone: newPhone() }, amountFen: 100_000 },
      { actor, requestId: newId() },
    );

  it('keeps the newest of each staff member: an older event arriving late changes nothing', async () => {
    const s = await seedStaff(h, { storeId: store, brandIds: [brand] }, at(0));
    expect(await facts.find(s.staffId)).toEqual({
      staffId: s.staffId,
      storeId: store,
      brandIds: [brand],
      role: 'store_staff',
      team: 'offline',
      active: true,
      asOf: at(0),
    });

    await seedStaff(h, { ...s, active: false }, at(2000));
    await seedStaff(h, { ...s, active: true, brandIds: [] }, at(1000));
    expect(await facts.find(s.staffId)).toMatchObject({ active: false, brandIds: [brand], asOf: at(2000) });
    await seedStaff(h, { ...s, active: true, role: 'store_manager' }, at(3000));
    expect(await facts.find(s.staffId)).toMatchObject({ active: true, role: 'store_manager', asOf: at(3000) });
    expect(await count(h, 'staff_facts', 'staff_id = $1', [s.staffId])).toBe(1);
  });

  it('applies an event once however often it is delivered, and skips a malformed one, recording it as processed', async () => {
    const staffId = newId();
    const event = envelope(
      EVENTS.staffChanged,
      { staffId, storeId: store, brandIds: [], role: 'store_staff', team: 'offline', active: true, at: at(0) },
      'leads',
      at(0),
    );
    expect(await h.consumer.handle(event)).toBe(true);
    expect(await h.consumer.handle(event)).toBe(false);
    expect(await count(h, 'staff_facts', 'staff_id = $1', [staffId])).toBe(1);

    const before = await h.ds.query('SELECT * FROM staff_facts ORDER BY staff_id');
    const malformed = [
      { storeId: store, brandIds: [], role: 'store_staff', team: 'offline', active: true },
      { staffId: 'not-a-uuid', storeId: store, brandIds: [], role: 'store_staff', team: 'offline', active: true },
      { staffId, storeId: store, brandIds: ['x'], role: 'store_staff', team: 'offline', active: false },
      { staffId, storeId: store, brandIds: [], role: 'cashier', team: 'offline', active: false },
      { staffId, storeId: store, brandIds: [], role: 'store_staff', team: 'offline', active: 'no' },
      { staffId, brandIds: [], role: 'store_staff', team: 'offline', active: false },
    ].map((data) => envelope(EVENTS.staffChanged, data, 'leads', at(5000)));
    for (const e of malformed) expect(await h.consumer.handle(e)).toBe(true);
    expect(await h.ds.query('SELECT * FROM staff_facts ORDER BY staff_id')).toEqual(before);
    expect(await count(h, 'processed_events', 'event_id = ANY($1::uuid[])', [malformed.map((e) => e.id)])).toBe(malformed.length);
  });

  it('closes a deal named for an active salesperson or manager of the store, and refuses anyone else with 422 staff_not_at_store, recording nothing', async () => {
    const seller = await seedStaff(h, { storeId: store, brandIds: [brand] });
    const manager = await seedStaff(h, { storeId: store, role: 'store_manager' });
    const elsewhere = await seedStaff(h, { storeId: otherStore, brandIds: [brand] });
    const gone = await seedStaff(h, { storeId: store, active: false });
    const online = await seedStaff(h, { role: 'agent', team: 'online', storeId: null });

    expect(await deal(seller.staffId)).toMatchObject({ status: 'closed', staffId: seller.staffId });
    expect(await deal(manager.staffId, managerOf(store))).toMatchObject({ status: 'closed', staffId: manager.staffId });

    const before = await count(h, 'deals');
    const outbox = await count(h, 'outbox');
    const refused = { code: ErrorCode.RuleBroken, reason: BookingRefusal.StaffNotAtStore, fields: ['staffId'] };
    for (const staffId of [newId(), elsewhere.staffId, gone.staffId, online.staffId]) {
      expect(await refusal(deal(staffId))).toEqual(refused);
      expect(await refusal(deal(staffId, partnerOf(brand)))).toEqual(refused);
      expect(await refusal(deal(staffId, managerOf(store)))).toEqual(refused);
    }
    expect([await count(h, 'deals'), await count(h, 'outbox')]).toEqual([before, outbox]);

    // Back at work (a newer event), the salesperson closes deals again.
    await seedStaff(h, { ...gone, active: true }, new Date(Date.now() + 1000).toISOString());
    expect(await deal(gone.staffId)).toMatchObject({ status: 'closed', staffId: gone.staffId });
  });
});
