import { EVENTS, LEADS, LeadView } from '@o2o/contracts';
import { newId } from '@o2o/platform';
import { addStaff, book, booking, count, envelope, Harness, leadOf, newPhone, ops, seedStore, startLeads } from '../../test/harness';

describe('lead intake, dedup and protection (real Postgres and Redis)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startLeads();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('makes one lead from 20 bookings of one phone at the same moment; the others join it', async () => {
    const brand = newId();
    const store = await seedStore(h, 'Shanghai', [brand]);
    const seller = await addStaff(h, { storeId: store });
    const phone = newPhone();
    const bookings = Array.from({ length: 20 }, () => booking({ phone, storeId: store, brandIds: [brand] }));
    const results = await Promise.allSettled(bookings.map((b) => h.consumer.handle(envelope(EVENTS.bookingCreated, b))));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(await count(h, 'leads', 'phone = $1', [phone])).toBe(1);
    const lead = await h.call<LeadView>(LEADS.getLead, { id: (await leadOf(h, phone)).id }, { actor: ops });
    expect(lead).toMatchObject({ ownerId: seller.id, status: 'assigned' });
    expect(lead.bookingIds.sort()).toEqual(bookings.map((b) => b.bookingId).sort());
    expect(lead.history.filter((e) => e.action === 'touched')).toHaveLength(19);
    expect(lead.history.filter((e) => e.action === 'assigned')).toHaveLength(1);
    expect(await count(h, 'outbox', `type = $1 AND payload->>'leadId' = $2`, [EVENTS.leadBookingLinked, lead.id])).toBe(20);
    expect(await count(h, 'outbox', `type = $1 AND payload->>'leadId' = $2`, [EVENTS.leadCreated, lead.id])).toBe(1);
  });

  it('joins a consultation lead with a later booking: its store and brands merge in, and it is routed', async () => {
    const brand = newId();
    const store = await seedStore(h, 'Chengdu', [brand]);
    const phone = newPhone();
    await h.consumer.handle(
      envelope(EVENTS.consultationRecorded, { consultationId: newId(), phone, city: 'Chengdu', source: { channel: 'sem' }, budgetFen: null, recordedAt: '' }),
    );
    const first = await leadOf(h, phone);
    expect(first.status).toBe('unassigned'); // nobody works in Chengdu yet
    await h.ds.query(`INSERT INTO staff (id, name, team, role, store_id, daily_capacity, active) VALUES ($1, 'S', 'offline', 'store_staff', $2, 5, true)`, [
      newId(),
      store,
    ]);
    const b = await book(h, { phone, city: 'Chengdu', storeId: store, brandIds: [brand] });
    const lead = await h.call<LeadView>(LEADS.getLead, { id: first.id }, { actor: ops });
    expect(lead).toMatchObject({ storeId: store, brandIds: [brand], bookingIds: [b.bookingId], status: 'assigned' });
    expect(lead.history.map((e) => e.action)).toEqual(['created', 'unassigned', 'touched', 'booking_linked', 'assigned']);
    const [linked] = await h.ds.query(`SELECT payload FROM outbox WHERE type = $1 AND payload->>'leadId' = $2`, [EVENTS.leadBookingLinked, first.id]);
    expect(linked.payload).toMatchObject({ leadId: first.id, bookingId: b.bookingId, phone, storeId: store, brandIds: [brand] });
  });

  it('a paid card only touches the open lead of its phone, and makes no lead', async () => {
    const lonely = newPhone();
    const before = await count(h, 'leads');
    await h.consumer.handle(envelope(EVENTS.cardActivated, { cardNo: '2099', phone: lonely }, 'coupons'));
    expect(await count(h, 'leads')).toBe(before);
    const b = await book(h, {});
    await h.consumer.handle(envelope(EVENTS.cardActivated, { cardNo: '2100', phone: b.phone }, 'coupons'));
    const lead = await leadOf(h, b.phone);
    expect(await count(h, 'lead_history', `lead_id = $1 AND action = 'touched' AND reason = 'card 2100'`, [lead.id])).toBe(1);
  });

  it('keeps the owner within protection; past it, a new intake makes a new lead', async () => {
    const store = await seedStore(h, 'Xian', []);
    const seller = await addStaff(h, { storeId: store, dailyCapacity: 100 });
    await addStaff(h, { storeId: store, dailyCapacity: 100 });
    const b = await book(h, { city: 'Xian' });
    const first = await leadOf(h, b.phone);
    expect(first.owner_id).toBe(seller.id);
    await book(h, { city: 'Xian', phone: b.phone });
    expect(await leadOf(h, b.phone)).toMatchObject({ id: first.id, owner_id: seller.id });
    await h.ds.query(`UPDATE leads SET protected_until = now() - interval '1 second' WHERE id = $1`, [first.id]);
    await book(h, { city: 'Xian', phone: b.phone });
    const second = await leadOf(h, b.phone);
    expect(second.id).not.toBe(first.id);
    expect(await count(h, 'leads', `id = $1 AND status = 'lost'`, [first.id])).toBe(1);
  });

  it('skips a malformed event without making anything', async () => {
    const before = await count(h, 'leads');
    await h.consumer.handle(envelope(EVENTS.bookingCreated, { bookingId: newId(), phone: '123', city: 'Shanghai' }));
    await h.consumer.handle(envelope(EVENTS.consultationRecorded, { consultationId: newId(), phone: null, city: 'Shanghai' }));
    expect(await count(h, 'leads')).toBe(before);
  });
});
