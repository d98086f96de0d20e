import { BOOKING, BookingConfirmedEvent, BookingView, ErrorCode, EVENTS, LeadStatus } from '@o2o/contracts';
import { newId } from '@o2o/platform';
import {
  assignLead,
  count,
  createBooking,
  envelope,
  Harness,
  leadFacts,
  linkLead,
  managerOf,
  ops,
  outboxOf,
  refusal,
  seedStore,
  staffOf,
  startBooking,
} from '../../test/harness';

const PHONE = '13912345678';
const MASKED = '139****5678';

describe('bookings linked to their leads, from the lead events (real Postgres and Redis)', () => {
  let h: Harness;
  let store: string;

  beforeAll(async () => {
    h = await startBooking();
    store = await seedStore(h, { city: 'Shanghai' });
  });
  afterAll(async () => {
    await h?.close();
  });

  const get = (id: string, actor = ops) => h.call<BookingView>(BOOKING.getBooking, { id }, { actor });
  const newBooking = (change: Record<string, unknown> = {}) => createBooking(h, { customer: { name: 'Ms Wang', phone: PHONE }, ...change });

  it('shows the lead once linked, and the full phone to its owner once assigned; other salespeople see it masked', async () => {
    const b = await newBooking({ storeId: store });
    const owner = staffOf(store);
    const colleague = staffOf(store);
    expect((await get(b.id, owner)).customer.phone).toBe(MASKED);

    const leadId = newId();
    const at = new Date().toISOString();
    await linkLead(h, b.id, { leadId, storeId: store, ownerId: null, at });
    expect(await get(b.id)).toMatchObject({ leadId, storeId: store });
    expect((await get(b.id, owner)).customer.phone).toBe(MASKED);

    await assignLead(h, { leadId, storeId: store, ownerId: owner.staffId, at });
    expect(await get(b.id, owner)).toMatchObject({ leadId, customer: { phone: PHONE } });
    expect((await get(b.id, colleague)).customer.phone).toBe(MASKED);
    expect((await get(b.id, managerOf(store))).customer.phone).toBe(PHONE);

    // What the booking says from now on names its lead.
    await h.call(BOOKING.confirmBooking, { id: b.id, appointmentAt: '2031-03-10T02:00:00.000Z' }, { actor: owner });
    const [confirmed] = await outboxOf<BookingConfirmedEvent>(h, EVENTS.bookingConfirmed, 'bookingId', b.id);
    expect(confirmed.leadId).toBe(leadId);
  });

  it('gives a booking without a store the store its lead was routed to, and leaves a booked store alone', async () => {
    const routed = await seedStore(h, { city: 'Shanghai' });
    const owner = staffOf(routed);
    const storeless = await newBooking();
    const booked = await newBooking({ storeId: store });
    const leadId = newId();
    const at = new Date().toISOString();
    expect((await refusal(get(storeless.id, owner))).code).toBe(ErrorCode.NotFound);

    // The lead is made before it is routed: the link names no store yet, the assignment does.
    await linkLead(h, storeless.id, { leadId, storeId: null, ownerId: null, at });
    await linkLead(h, booked.id, { leadId, storeId: null, ownerId: null, at });
    expect((await get(storeless.id)).storeId).toBeNull();
    await assignLead(h, { leadId, storeId: routed, ownerId: owner.staffId, at });

    expect(await get(storeless.id)).toMatchObject({ leadId, storeId: routed });
    expect(await get(booked.id)).toMatchObject({ leadId, storeId: store });
    // Now the routed store's staff reach it, and the owner sees the phone.
    expect((await get(storeless.id, owner)).customer.phone).toBe(PHONE);
    expect((await get(storeless.id, staffOf(routed))).customer.phone).toBe(MASKED);
  });

  it('takes the store named by the link itself when the lead was already routed', async () => {
    const b = await newBooking();
    const leadId = newId();
    await linkLead(h, b.id, { leadId, storeId: store, ownerId: null });
    expect(await get(b.id)).toMatchObject({ leadId, storeId: store });
  });

  it('keeps the owner when the assignment arrives before the link made in the same instant', async () => {
    const b = await newBooking({ storeId: store });
    const owner = staffOf(store);
    const leadId = newId();
    const at = new Date().toISOString();
    await assignLead(h, { leadId, storeId: store, ownerId: owner.staffId, at });
    await linkLead(h, b.id, { leadId, storeId: store, ownerId: null, at });
    expect(await get(b.id, owner)).toMatchObject({ leadId, customer: { phone: PHONE } });
    expect(await count(h, 'lead_owners', 'lead_id = $1 AND owner_id = $2', [leadId, owner.staffId])).toBe(1);
  });

  it('gives a booking without a store its lead’s store even when the assignment arrives before the link', async () => {
    const routed = await seedStore(h, { city: 'Shanghai' });
    const b = await newBooking();
    const leadId = newId();
    const at = new Date().toISOString();
    await assignLead(h, { leadId, storeId: routed, ownerId: staffOf(routed).staffId, at });
    await linkLead(h, b.id, { leadId, storeId: null, ownerId: null, at });
    expect(await get(b.id)).toMatchObject({ leadId, storeId: routed });
  });

  it('follows a reassignment to a new owner, and ignores an older assignment arriving late', async () => {
    const b = await newBooking({ storeId: store });
    const first = staffOf(store);
    const second = staffOf(store);
    const leadId = newId();
    const t0 = Date.now();
    const at = (ms: number) => new Date(t0 + ms).toISOString();
    await linkLead(h, b.id, { leadId, storeId: store, ownerId: null, at: at(0) });
    await assignLead(h, { leadId, storeId: store, ownerId: first.staffId, at: at(0) });
    await assignLead(h, { leadId, storeId: store, ownerId: second.staffId, at: at(2000) }, EVENTS.leadReassigned);
    await assignLead(h, { leadId, storeId: store, ownerId: first.staffId, at: at(1000) }, EVENTS.leadReassigned);
    expect((await get(b.id, second)).customer.phone).toBe(PHONE);
    expect((await get(b.id, first)).customer.phone).toBe(MASKED);
  });

  it('applies an event once however often it is delivered, and skips one without its ids', async () => {
    const b = await newBooking({ storeId: store });
    const leadId = newId();
    const event = envelope(EVENTS.leadBookingLinked, { ...leadFacts({ leadId, storeId: store, status: LeadStatus.Unassigned }), bookingId: b.id }, 'leads');
    expect(await h.consumer.handle(event)).toBe(true);
    expect(await h.consumer.handle(event)).toBe(false);
    expect(await count(h, 'processed_events', 'event_id = $1', [event.id])).toBe(1);

    const before = await h.ds.query('SELECT lead_id, store_id FROM bookings ORDER BY id');
    const owners = await count(h, 'lead_owners');
    expect(await h.consumer.handle(envelope(EVENTS.leadBookingLinked, { bookingId: b.id }, 'leads'))).toBe(true);
    expect(await h.consumer.handle(envelope(EVENTS.leadAssigned, { ownerId: newId() }, 'leads'))).toBe(true);
    expect(await h.ds.query('SELECT lead_id, store_id FROM bookings ORDER BY id')).toEqual(before);
    expect(await count(h, 'lead_owners')).toBe(owners);
    expect((await get(b.id)).leadId).toBe(leadId);
  });
});
