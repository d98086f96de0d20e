import {
  BOOKING,
  BookingCancelledEvent,
  BookingConfirmedEvent,
  BookingCreatedEvent,
  BookingNoShowEvent,
  BookingRefusal,
  BookingRescheduledEvent,
  BookingView,
  Channel,
  BookingVisitedEvent,
  ConsultationView,
  ErrorCode,
  EVENTS,
  Page,
  SlotView,
} from '@o2o/contracts';
import { newId } from '@o2o/platform';
import {
  admin,
  agent,
  anonymous,
  assignLead,
  bookingBody,
  confirmedBooking,
  count,
  counts,
  createBooking,
  Harness,
  linkLead,
  managerOf,
  newPhone,
  ops,
  outboxOf,
  partnerOf,
  refOf,
  refusal,
  seedStore,
  startBooking,
  staffOf,
} from '../../test/harness';

/** A local wall-clock time in Shanghai (UTC+8, no daylight saving) as an ISO instant. */
const DAY = '2031-03-10';
const sh = (hhmm: string, date = DAY) => new Date(`${date}T${hhmm}:00+08:00`).toISOString();

describe('booking orders (real Postgres and Redis, through the transport)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startBooking();
  });
  afterAll(async () => {
    await h?.close();
  });

  const get = (id: string, actor = ops) => h.call<BookingView>(BOOKING.getBooking, { id }, { actor });
  const confirm = (id: string, appointmentAt: string, actor = ops) => h.call<BookingView>(BOOKING.confirmBooking, { id, appointmentAt }, { actor });
  const reschedule = (id: string, appointmentAt: string, actor = ops) => h.call<BookingView>(BOOKING.rescheduleBooking, { id, appointmentAt }, { actor });
  const cancel = (id: string, reason: string, actor = ops) => h.call<BookingView>(BOOKING.cancelBooking, { id, reason }, { actor });
  const checkIn = (id: string, storeId: string, actor = ops) => h.call<BookingView>(BOOKING.checkInBooking, { id, storeId }, { actor });
  const noShow = (id: string, actor = ops) => h.call<BookingView>(BOOKING.markNoShow, { id }, { actor });
  const slots = (storeId: string, date = DAY) => h.call<SlotView[]>(BOOKING.listSlots, { storeId, date });

  describe('create', () => {
    let store: string;
    let brand: string;

    beforeAll(async () => {
      brand = newId();
      store = await seedStore(h, { city: 'Shanghai', brandIds: [brand] });
    });

    it.each([
      ['a bad phone', { customer: { name: 'Ms Wang', phone: '1234567' } }, 'customer.phone'],
      ['a phone not starting with 1', { customer: { name: 'Ms Wang', phone: '23912345678' } }, 'customer.phone'],
      ['a home_measure without an address', { kind: 'home_measure' }, 'address'],
      ['a home_measure with an empty address', { kind: 'home_measure', address: '' }, 'address'],
      ['an unknown kind', { kind: 'video_call' }, 'kind'],
      ['a preferredAt that is not an instant', { preferredAt: 'tomorrow' }, 'preferredAt'],
      ['a source without a channel', { source: { campaign: 'x' } }, 'source.channel'],
      ['a storeId that is not an id', { storeId: 'store-1' }, 'storeId'],
      ['an unknown field', { coupon: 'FREE' }, 'coupon'],
    ])('refuses %s as bad input naming the field, and writes nothing', async (_, change, field) => {
      const before = await counts(h);
      const r = await refusal(createBooking(h, change));
      expect(r.code).toBe(ErrorCode.BadInput);
      expect(r.fields).toContain(field);
      expect(await counts(h)).toEqual(before);
    });

    it('refuses a place the catalog does not know, naming the field and the reason, and writes nothing', async () => {
      const elsewhere = await seedStore(h, { city: 'Beijing', brandIds: [brand] });
      const stranger = newId();
      const cases: [Record<string, unknown>, string, BookingRefusal][] = [
        [{ storeId: newId() }, 'storeId', BookingRefusal.UnknownStore],
        [{ storeId: elsewhere }, 'storeId', BookingRefusal.StoreNotInCity],
        [{ storeId: store, brandIds: [brand, stranger] }, 'brandIds', BookingRefusal.BrandNotInStore],
        // Without a store, each brand must be a tenant somewhere in the city.
        [{ brandIds: [stranger] }, 'brandIds', BookingRefusal.BrandNotInStore],
        [{ city: 'Hangzhou', brandIds: [brand] }, 'brandIds', BookingRefusal.BrandNotInStore],
        [{ consultationId: newId() }, 'consultationId', BookingRefusal.UnknownConsultation],
      ];
      const before = await counts(h);
      for (const [change, field, reason] of cases) {
        const r = await refusal(createBooking(h, change));
        expect({ change, ...r }).toEqual({ change, code: ErrorCode.RuleBroken, reason, fields: [field] });
      }
      expect(await counts(h)).toEqual(before);
    });

    it('names every problem at once: an unknown consultation and a stranger brand', async () => {
      const r = await refusal(createBooking(h, { consultationId: newId(), storeId: store, brandIds: [newId()] }));
      expect(r).toEqual({ code: ErrorCode.RuleBroken, reason: BookingRefusal.UnknownConsultation, fields: ['consultationId', 'brandIds'] });
    });

    it('creates a valid booking: status created, history from nothing to created, and booking.created in the outbox', async () => {
      const consultation = await h.call<ConsultationView>(
        BOOKING.recordConsultation,
        { channel: 'sem', city: 'Shanghai', budgetFen: 650_000, style: 'nordic', areaSqm: 120 },
        { actor: agent },
      );
      const booking = await createBooking(
        h,
        {
          consultationId: consultation.id,
          customer: { name: 'Mr Li', phone: '+86 139-1234-5678' },
          storeId: store.toUpperCase(),
          brandIds: [brand],
          kind: 'home_measure',
          address: '8 Huaihai Rd',
        },
        agent,
      );
      expect(booking).toMatchObject({
        status: 'created',
        kind: 'home_measure',
        city: 'Shanghai',
        storeId: store,
        brandIds: [brand],
        consultationId: consultation.id,
        leadId: null,
        customer: { name: 'Mr Li', phone: '13912345678' },
        appointmentAt: null,
        address: '8 Huaihai Rd',
        // Taken from the consultation, since the booking named none.
        budgetFen: 650_000,
        style: 'nordic',
        areaSqm: 120,
        source: { channel: 'sem', campaign: 'spring', agentId: 'agent-7', visitorId: 'v-1' },
      });

      const read = await get(booking.id);
      expect(read.history).toEqual([{ from: null, to: 'created', by: refOf(agent), reason: null, appointmentAt: null, at: expect.any(String) }]);

      const events = await outboxOf<BookingCreatedEvent>(h, EVENTS.bookingCreated, 'bookingId', booking.id);
      expect(events).toEqual([
        {
          bookingId: booking.id,
          consultationId: consultation.id,
          leadId: null,
          phone: '13912345678',
          city: 'Shanghai',
          storeId: store,
          brandIds: [brand],
          kind: 'home_measure',
          source: { channel: 'sem', campaign: 'spring', agentId: 'agent-7', visitorId: 'v-1' },
          budgetFen: 650_000,
          at: booking.createdAt,
        },
      ]);
    });

    it("keeps the booking's own budget over the consultation's, and records an anonymous creator as nobody", async () => {
      const consultation = await h.call<ConsultationView>(BOOKING.recordConsultation, { channel: 'seo', city: 'Shanghai', budgetFen: 100 });
      const booking = await createBooking(h, { consultationId: consultation.id, budgetFen: 300_000 }, anonymous);
      expect(booking).toMatchObject({ budgetFen: 300_000, storeId: null, brandIds: [] });
      expect((await get(booking.id)).history).toEqual([expect.objectContaining({ from: null, to: 'created', by: null })]);
      const [event] = await outboxOf<BookingCreatedEvent>(h, EVENTS.bookingCreated, 'bookingId', booking.id);
      expect(event).toMatchObject({ budgetFen: 300_000, storeId: null, consultationId: consultation.id });
    });

    it('creates one booking however often the same request is delivered at once', async () => {
      const before = await counts(h, ['bookings', 'booking_changes']);
      const requestId = `booking-${newId()}`;
      const body = bookingBody({ storeId: store, brandIds: [brand] });
      const answers = await Promise.all(Array.from({ length: 5 }, () => h.call<BookingView>(BOOKING.createBooking, body, { actor: anonymous, requestId })));
      expect(new Set(answers.map((a) => a.id)).size).toBe(1);
      expect(await counts(h, ['bookings', 'booking_changes'])).toEqual({ bookings: before.bookings + 1, booking_changes: before.booking_changes + 1 });
      expect(await count(h, 'outbox', `type = $1 AND payload->>'bookingId' = $2`, [EVENTS.bookingCreated, answers[0].id])).toBe(1);
    });
  });

  describe('transitions', () => {
    let store: string;
    let other: string;

    beforeAll(async () => {
      store = await seedStore(h, { city: 'Shanghai' });
      other = await seedStore(h, { city: 'Shanghai' });
    });

    it.each([
      ['before opening', sh('09:00'), BookingRefusal.OutsideOpeningHours],
      ['at closing', sh('21:00'), BookingRefusal.OutsideOpeningHours],
      ['in the middle of the night', sh('03:00'), BookingRefusal.OutsideOpeningHours],
      ['between two slot starts', sh('10:30'), BookingRefusal.NotOnSlotBoundary],
      ['one minute past a slot start', sh('14:01'), BookingRefusal.NotOnSlotBoundary],
      ['in the past', sh('10:00', '2020-03-10'), BookingRefusal.SlotInPast],
    ])('refuses a confirmation %s with its reason, and changes nothing', async (_, appointmentAt, reason) => {
      const b = await createBooking(h, { storeId: store });
      const before = await counts(h);
      expect(await refusal(confirm(b.id, appointmentAt))).toEqual({ code: ErrorCode.RuleBroken, reason, fields: ['appointmentAt'] });
      expect(await counts(h)).toEqual(before);
      expect(await get(b.id)).toMatchObject({ status: 'created', appointmentAt: null });
    });

    it('refuses to confirm a booking without a store (no_store), and a confirmation without an appointment', async () => {
      const b = await createBooking(h, {});
      expect(await refusal(confirm(b.id, sh('10:00')))).toEqual({ code: ErrorCode.RuleBroken, reason: BookingRefusal.NoStore, fields: ['storeId'] });
      expect((await refusal(h.call(BOOKING.confirmBooking, { id: b.id }, { actor: ops }))).fields).toEqual(['appointmentAt']);
      expect((await refusal(confirm(newId(), sh('10:00')))).code).toBe(ErrorCode.NotFound);
    });

    it('confirms into a slot, then checks in at the booking’s store: history keeps who, when and the appointment; events go out', async () => {
      const staff = staffOf(store);
      const manager = managerOf(store);
      const b = await createBooking(h, { storeId: store });

      // Any spelling of the slot's start instant names the slot: here in local time with its offset.
      const confirmed = await confirm(b.id, `${DAY}T11:00:00+08:00`, staff);
      expect(confirmed).toMatchObject({ status: 'confirmed', appointmentAt: sh('11:00') });
      expect((await slots(store)).find((s) => s.start === sh('11:00'))?.booked).toBe(1);

      expect(await refusal(checkIn(b.id, other, manager))).toEqual({
        code: ErrorCode.RuleBroken,
        reason: BookingRefusal.BookingNotAtStore,
        fields: ['storeId'],
      });
      expect((await get(b.id)).status).toBe('confirmed');

      const visited = await checkIn(b.id, store.toUpperCase(), manager);
      expect(visited).toMatchObject({ status: 'visited', appointmentAt: sh('11:00') });

      const { history } = await get(b.id);
      expect(history).toEqual([
        { from: null, to: 'created', by: null, reason: null, appointmentAt: null, at: expect.any(String) },
        { from: 'created', to: 'confirmed', by: refOf(staff), reason: null, appointmentAt: sh('11:00'), at: expect.any(String) },
        { from: 'confirmed', to: 'visited', by: refOf(manager), reason: null, appointmentAt: sh('11:00'), at: expect.any(String) },
      ]);
      const times = history!.map((c) => Date.parse(c.at));
      expect(times).toEqual([...times].sort((x, y) => x - y));

      const [confirmedEvent] = await outboxOf<BookingConfirmedEvent>(h, EVENTS.bookingConfirmed, 'bookingId', b.id);
      expect(confirmedEvent).toMatchObject({ bookingId: b.id, storeId: store, appointmentAt: sh('11:00'), phone: b.customer.phone, city: 'Shanghai' });
      const [visitedEvent] = await outboxOf<BookingVisitedEvent>(h, EVENTS.bookingVisited, 'bookingId', b.id);
      expect(visitedEvent).toMatchObject({ bookingId: b.id, storeId: store, visitedAt: visited.updatedAt });
    });

    it('answers every illegal transition with a conflict (409) and changes nothing', async () => {
      const created = await createBooking(h, { storeId: store });
      const visited = await confirmedBooking(h, { storeId: store }, sh('12:00'));
      await checkIn(visited.id, store);
      const cancelled = await createBooking(h, { storeId: store });
      await cancel(cancelled.id, 'changed mind');
      const gone = await confirmedBooking(h, { storeId: store }, sh('12:00'));
      await noShow(gone.id);

      const before = await counts(h);
      const illegal: [string, () => Promise<unknown>][] = [
        ['reschedule a created booking', () => reschedule(created.id, sh('13:00'))],
        ['check in a created booking', () => checkIn(created.id, store)],
        ['mark a created booking no-show', () => noShow(created.id)],
        ['confirm after check-in', () => confirm(visited.id, sh('13:00'))],
        ['check in twice', () => checkIn(visited.id, store)],
        ['cancel after check-in', () => cancel(visited.id, 'late')],
        ['no-show after check-in', () => noShow(visited.id)],
        ['reschedule after check-in', () => reschedule(visited.id, sh('13:00'))],
        ['cancel twice', () => cancel(cancelled.id, 'again')],
        ['confirm a cancelled booking', () => confirm(cancelled.id, sh('13:00'))],
        ['check in a no-show', () => checkIn(gone.id, store)],
        ['cancel a no-show', () => cancel(gone.id, 'late')],
        ['reschedule a no-show', () => reschedule(gone.id, sh('13:00'))],
      ];
      for (const [what, call] of illegal) expect({ what, code: (await refusal(call())).code }).toEqual({ what, code: ErrorCode.Conflict });
      expect(await counts(h)).toEqual(before);
    });

    it('confirms only once: a second confirmation is a conflict and leaves the slot as it was', async () => {
      const b = await confirmedBooking(h, { storeId: store }, sh('15:00'));
      expect((await refusal(confirm(b.id, sh('16:00')))).code).toBe(ErrorCode.Conflict);
      const day = await slots(store);
      expect(day.find((s) => s.start === sh('15:00'))?.booked).toBe(1);
      expect(day.find((s) => s.start === sh('16:00'))?.booked).toBe(0);
    });

    it('marks a no-show with its appointment in the event', async () => {
      const manager = managerOf(store);
      const b = await confirmedBooking(h, { storeId: store }, sh('17:00'));
      expect(await noShow(b.id, manager)).toMatchObject({ status: 'no_show' });
      expect((await get(b.id)).history!.at(-1)).toMatchObject({ from: 'confirmed', to: 'no_show', by: refOf(manager) });
      const [event] = await outboxOf<BookingNoShowEvent>(h, EVENTS.bookingNoShow, 'bookingId', b.id);
      expect(event).toMatchObject({ bookingId: b.id, appointmentAt: sh('17:00'), storeId: store });
    });

    it('cancels a created booking and a confirmed one, with the reason in history and event; the confirmed one frees its slot', async () => {
      const early = await createBooking(h, { storeId: store });
      expect(await cancel(early.id, 'customer travelling', agent)).toMatchObject({ status: 'cancelled', appointmentAt: null });
      expect((await get(early.id)).history!.at(-1)).toMatchObject({ from: 'created', to: 'cancelled', by: refOf(agent), reason: 'customer travelling' });

      const staff = staffOf(store);
      const late = await confirmedBooking(h, { storeId: store }, sh('18:00'));
      expect((await slots(store)).find((s) => s.start === sh('18:00'))?.booked).toBe(1);
      expect(await cancel(late.id, 'found another shop', staff)).toMatchObject({ status: 'cancelled' });
      expect((await slots(store)).find((s) => s.start === sh('18:00'))?.booked).toBe(0);
      expect((await get(late.id)).history!.at(-1)).toMatchObject({ from: 'confirmed', to: 'cancelled', by: refOf(staff), reason: 'found another shop' });

      const [event] = await outboxOf<BookingCancelledEvent>(h, EVENTS.bookingCancelled, 'bookingId', late.id);
      expect(event).toMatchObject({ bookingId: late.id, reason: 'found another shop', storeId: store });
      expect(await outboxOf(h, EVENTS.bookingCancelled, 'bookingId', early.id)).toEqual([expect.objectContaining({ reason: 'customer travelling' })]);

      expect(await refusal(cancel(late.id, ''))).toMatchObject({ code: ErrorCode.BadInput, fields: ['reason'] });
    });

    it('reschedules: frees the old slot, takes the new one, keeps the booking confirmed, and says where it was', async () => {
      const b = await confirmedBooking(h, { storeId: store }, sh('19:00'));
      const moved = await reschedule(b.id, sh('13:00'), agent);
      expect(moved).toMatchObject({ status: 'confirmed', appointmentAt: sh('13:00') });
      const day = await slots(store);
      expect(day.find((s) => s.start === sh('19:00'))?.booked).toBe(0);
      expect(day.find((s) => s.start === sh('13:00'))?.booked).toBe(1);
      expect((await get(b.id)).history!.at(-1)).toMatchObject({ from: 'confirmed', to: 'confirmed', by: refOf(agent), appointmentAt: sh('13:00') });
      const [event] = await outboxOf<BookingRescheduledEvent>(h, EVENTS.bookingRescheduled, 'bookingId', b.id);
      expect(event).toMatchObject({ bookingId: b.id, appointmentAt: sh('13:00'), previousAppointmentAt: sh('19:00') });

      // To the same slot, or to a slot that is not one: refused, and nothing moves.
      expect((await refusal(reschedule(b.id, sh('13:00')))).code).toBe(ErrorCode.Conflict);
      expect(await refusal(reschedule(b.id, sh('13:15')))).toMatchObject({ code: ErrorCode.RuleBroken, reason: BookingRefusal.NotOnSlotBoundary });
      expect(await refusal(reschedule(b.id, sh('13:00', '2020-01-01')))).toMatchObject({ code: ErrorCode.RuleBroken, reason: BookingRefusal.SlotInPast });
      expect(await get(b.id)).toMatchObject({ status: 'confirmed', appointmentAt: sh('13:00') });
      expect((await slots(store)).find((s) => s.start === sh('13:00'))?.booked).toBe(1);

      // Later, a cancellation frees the slot it was moved to.
      await cancel(b.id, 'done');
      expect((await slots(store)).find((s) => s.start === sh('13:00'))?.booked).toBe(0);
    });

    it('lists bookings by store, status and appointment time', async () => {
      const listStore = await seedStore(h, { city: 'Shanghai' });
      const a = await confirmedBooking(h, { storeId: listStore }, sh('10:00', '2031-03-11'));
      const b = await createBooking(h, { storeId: listStore, preferredAt: sh('10:00', '2031-03-12') });
      const list = (query: Record<string, unknown>, actor = ops) => h.call<Page<BookingView>>(BOOKING.listBookings, query, { actor });
      expect((await list({ storeId: listStore })).items.map((x) => x.id)).toEqual([b.id, a.id]);
      expect((await list({ storeId: listStore, status: 'confirmed' })).items.map((x) => x.id)).toEqual([a.id]);
      expect((await list({ storeId: listStore, from: '2031-03-12T00:00:00+08:00' })).items.map((x) => x.id)).toEqual([b.id]);
      expect((await list({ storeId: listStore, to: '2031-03-12T00:00:00+08:00' })).items.map((x) => x.id)).toEqual([a.id]);
      const first = await list({ storeId: listStore, limit: 1 });
      expect(first.items.map((x) => x.id)).toEqual([b.id]);
      expect((await list({ storeId: listStore, limit: 1, cursor: first.nextCursor })).items.map((x) => x.id)).toEqual([a.id]);
    });
  });

  describe('concurrency on a slot', () => {
    it('lets exactly capacity bookings into a slot confirmed at once; a cancellation frees a place', async () => {
      const store = await seedStore(h, { city: 'Shanghai', slotCapacity: 2 });
      const at = sh('14:00');
      const bookings = await Promise.all(Array.from({ length: 10 }, () => createBooking(h, { storeId: store })));
      const before = await counts(h, ['booking_changes', 'outbox']);

      const results = await Promise.all(bookings.map((b) => refusal(confirm(b.id, at))));
      const won = bookings.filter((_, i) => results[i].code === 'succeeded');
      expect(won).toHaveLength(2);
      expect(results.filter((r) => r.code !== 'succeeded')).toEqual(
        Array.from({ length: 8 }, () => ({ code: ErrorCode.Conflict, reason: BookingRefusal.SlotFull, fields: ['appointmentAt'] })),
      );
      // The losers are untouched: still created, no history, no event.
      expect(await count(h, 'bookings', `store_id = $1 AND status = 'confirmed'`, [store])).toBe(2);
      expect(await count(h, 'bookings', `store_id = $1 AND status = 'created'`, [store])).toBe(8);
      expect(await counts(h, ['booking_changes', 'outbox'])).toEqual({ booking_changes: before.booking_changes + 2, outbox: before.outbox + 2 });
      expect((await slots(store)).find((s) => s.start === at)).toEqual({ start: at, end: sh('15:00'), capacity: 2, booked: 2 });
      // The listing caps what it shows at the capacity: the stored load itself is 2, not more.
      expect(await h.ds.query('SELECT booked FROM slot_loads WHERE store_id = $1', [store])).toEqual([{ booked: 2 }]);

      // A cancellation frees one place, which the next confirmation takes; then it is full again.
      await cancel(won[0].id, 'cannot come');
      expect((await slots(store)).find((s) => s.start === at)?.booked).toBe(1);
      const losers = bookings.filter((b) => !won.includes(b));
      await confirm(losers[0].id, at);
      expect((await slots(store)).find((s) => s.start === at)?.booked).toBe(2);
      expect(await refusal(confirm(losers[1].id, at))).toMatchObject({ code: ErrorCode.Conflict, reason: BookingRefusal.SlotFull });
    });

    it('confirms one booking once when it is confirmed into five slots at once: one slot held, one history entry', async () => {
      const store = await seedStore(h, { city: 'Shanghai', slotCapacity: 3 });
      const b = await createBooking(h, { storeId: store });
      const times = ['10:00', '11:00', '12:00', '13:00', '14:00'].map((t) => sh(t));
      const results = await Promise.all(times.map((t) => refusal(confirm(b.id, t))));
      expect(results.filter((r) => r.code === 'succeeded')).toHaveLength(1);
      expect(results.filter((r) => r.code !== 'succeeded').map((r) => r.code)).toEqual(Array(4).fill(ErrorCode.Conflict));
      const { appointmentAt, history } = await get(b.id);
      expect(history!.map((c) => c.to)).toEqual(['created', 'confirmed']);
      expect(await h.ds.query('SELECT slot_start, booked FROM slot_loads WHERE store_id = $1 AND booked > 0', [store])).toEqual([
        { slot_start: new Date(appointmentAt!), booked: 1 },
      ]);
      expect(await count(h, 'outbox', `type = $1 AND payload->>'bookingId' = $2`, [EVENTS.bookingConfirmed, b.id])).toBe(1);
    });

    it('lets a cancellation and a reschedule of one booking race: one wins, and the slots stay true', async () => {
      const store = await seedStore(h, { city: 'Shanghai', slotCapacity: 3 });
      const b = await confirmedBooking(h, { storeId: store }, sh('10:00'));
      const [cancelled, moved] = await Promise.all([refusal(cancel(b.id, 'race')), refusal(reschedule(b.id, sh('11:00')))]);
      expect([cancelled.code, moved.code].filter((c) => c === 'succeeded')).toHaveLength(1);
      const after = await get(b.id);
      const day = await slots(store);
      const held = after.status === 'confirmed' ? [0, 1] : [0, 0];
      expect(day.slice(0, 2).map((x) => x.booked)).toEqual(held);
    });

    it('refuses a reschedule into a full slot and leaves the booking in the slot it held', async () => {
      const store = await seedStore(h, { city: 'Shanghai', slotCapacity: 1 });
      const full = sh('16:00');
      const held = sh('11:00');
      await confirmedBooking(h, { storeId: store }, full);
      const b = await confirmedBooking(h, { storeId: store }, held);
      const before = await counts(h);

      expect(await refusal(reschedule(b.id, full))).toEqual({ code: ErrorCode.Conflict, reason: BookingRefusal.SlotFull, fields: ['appointmentAt'] });
      expect(await get(b.id)).toMatchObject({ status: 'confirmed', appointmentAt: held });
      const day = await slots(store);
      expect(day.find((s) => s.start === held)?.booked).toBe(1);
      expect(day.find((s) => s.start === full)?.booked).toBe(1);
      expect(await counts(h)).toEqual(before);

      // An earlier slot that is full is refused the same way (the slots are taken in the other order).
      const later = await confirmedBooking(h, { storeId: store }, sh('20:00'));
      expect(await refusal(reschedule(later.id, full))).toMatchObject({ code: ErrorCode.Conflict, reason: BookingRefusal.SlotFull });
      expect((await slots(store)).find((s) => s.start === sh('20:00'))?.booked).toBe(1);
    });

    it('lets two bookings swap slots one after the other', async () => {
      const store = await seedStore(h, { city: 'Shanghai', slotCapacity: 1 });
      const a = await confirmedBooking(h, { storeId: store }, sh('10:00'));
      const b = await confirmedBooking(h, { storeId: store }, sh('12:00'));
      await reschedule(a.id, sh('11:00'));
      await reschedule(b.id, sh('10:00'));
      await reschedule(a.id, sh('12:00'));
      const day = await slots(store);
      expect(day.slice(0, 3).map((s) => s.booked)).toEqual([1, 0, 1]);
    });
  });

  describe('access', () => {
    let store: string;
    let otherStore: string;
    let brand: string;
    let otherBrand: string;

    beforeAll(async () => {
      brand = newId();
      otherBrand = newId();
      store = await seedStore(h, { city: 'Shanghai', brandIds: [brand, otherBrand] });
      otherStore = await seedStore(h, { city: 'Shanghai', brandIds: [brand] });
    });

    it("answers another store's staff as if the booking did not exist, for reads and every action", async () => {
      const b = await confirmedBooking(h, { storeId: store }, sh('10:00', '2031-04-01'));
      const storeless = await createBooking(h, {});
      const stranger = staffOf(otherStore);
      const strangerManager = managerOf(otherStore);
      const before = await counts(h);
      for (const actor of [stranger, strangerManager]) {
        expect((await refusal(get(b.id, actor))).code).toBe(ErrorCode.NotFound);
        expect((await refusal(confirm(b.id, sh('11:00', '2031-04-01'), actor))).code).toBe(ErrorCode.NotFound);
        expect((await refusal(reschedule(b.id, sh('11:00', '2031-04-01'), actor))).code).toBe(ErrorCode.NotFound);
        expect((await refusal(cancel(b.id, 'not mine', actor))).code).toBe(ErrorCode.NotFound);
        expect((await refusal(checkIn(b.id, otherStore, actor))).code).toBe(ErrorCode.NotFound);
        expect((await refusal(noShow(b.id, actor))).code).toBe(ErrorCode.NotFound);
      }
      // Staff with no role that reads bookings read none; a booking without a store is no store's.
      expect((await refusal(get(b.id, { kind: 'staff', userId: newId(), roles: [] }))).code).toBe(ErrorCode.Forbidden);
      expect((await refusal(get(storeless.id, staffOf(store)))).code).toBe(ErrorCode.NotFound);
      expect(await counts(h)).toEqual(before);

      const page = await h.call<Page<BookingView>>(BOOKING.listBookings, { limit: 100 }, { actor: stranger });
      expect(page.items.every((x) => x.storeId === otherStore)).toBe(true);
      expect(page.items.map((x) => x.id)).not.toContain(b.id);
      expect((await h.call<Page<BookingView>>(BOOKING.listBookings, { storeId: store }, { actor: stranger })).items).toEqual([]);
    });

    it('shows a partner only the bookings that name its brand, with the phone masked; a partner takes no action', async () => {
      const phone = '13912345678';
      const mine = await createBooking(h, { storeId: store, brandIds: [brand], customer: { name: 'Ms Zhao', phone } });
      const theirs = await createBooking(h, { storeId: store, brandIds: [otherBrand] });
      const none = await createBooking(h, { storeId: store });
      const partner = partnerOf(brand);

      expect(await get(mine.id, partner)).toMatchObject({ id: mine.id, customer: { name: 'Ms Zhao', phone: '139****5678' } });
      // Of the source, the channel alone: the campaign, agent and visitor are the platform's own.
      expect((await get(mine.id, partner)).source).toEqual({ channel: Channel.Sem, campaign: null, agentId: null, visitorId: null });
      expect((await get(mine.id, admin)).source).toMatchObject({ campaign: 'spring', agentId: 'agent-7' });
      expect((await refusal(get(theirs.id, partner))).code).toBe(ErrorCode.NotFound);
      expect((await refusal(get(none.id, partner))).code).toBe(ErrorCode.NotFound);

      const page = await h.call<Page<BookingView>>(BOOKING.listBookings, { limit: 100 }, { actor: partner });
      expect(page.items.length).toBeGreaterThan(0);
      expect(page.items.every((x) => x.brandIds.includes(brand) && /^\d{3}\*{4}\d{4}$/.test(x.customer.phone))).toBe(true);
      expect(page.items.map((x) => x.id)).toContain(mine.id);
      expect(page.items.map((x) => x.id)).not.toContain(theirs.id);

      expect((await refusal(confirm(mine.id, sh('12:00', '2031-04-01'), partner))).code).toBe(ErrorCode.Forbidden);
      expect((await refusal(cancel(mine.id, 'no', partner))).code).toBe(ErrorCode.Forbidden);
    });

    it('shows the phone in full to ops, admin, agents, the store manager and the lead owner; masked to another salesperson of the store', async () => {
      const owner = staffOf(store);
      const b = await createBooking(h, { storeId: store, customer: { name: 'Mr Sun', phone: '139 1234 5678' } });
      const leadId = newId();
      await linkLead(h, b.id, { leadId, storeId: store, phone: '13912345678' });
      await assignLead(h, { leadId, storeId: store, ownerId: owner.staffId });

      for (const actor of [ops, admin, agent, managerOf(store), owner]) expect((await get(b.id, actor)).customer.phone).toBe('13912345678');
      expect((await get(b.id, staffOf(store))).customer.phone).toBe('139****5678');
      // The owner's staff id working for another store reaches nothing there.
      expect((await refusal(get(b.id, staffOf(otherStore, owner.staffId)))).code).toBe(ErrorCode.NotFound);

      const listed = await h.call<Page<BookingView>>(BOOKING.listBookings, { storeId: store, limit: 100 }, { actor: staffOf(store) });
      expect(listed.items.find((x) => x.id === b.id)?.customer.phone).toBe('139****5678');
      const ownList = await h.call<Page<BookingView>>(BOOKING.listBookings, { storeId: store, limit: 100 }, { actor: owner });
      expect(ownList.items.find((x) => x.id === b.id)?.customer.phone).toBe('13912345678');
    });

    it('refuses anonymous readers and lets only ops (or the store) check in and mark no-shows', async () => {
      const b = await confirmedBooking(h, { storeId: store, customer: { name: 'Ms Qian', phone: newPhone() } }, sh('15:00', '2031-04-01'));
      expect((await refusal(get(b.id, anonymous))).code).toBe(ErrorCode.Forbidden);
      expect((await refusal(h.call(BOOKING.listBookings, {}, { actor: anonymous }))).code).toBe(ErrorCode.Forbidden);
      expect((await refusal(confirm(b.id, sh('16:00', '2031-04-01'), anonymous))).code).toBe(ErrorCode.Forbidden);
      expect((await refusal(cancel(b.id, 'x', anonymous))).code).toBe(ErrorCode.Forbidden);

      const before = await counts(h);
      expect((await refusal(checkIn(b.id, store, agent))).code).toBe(ErrorCode.Forbidden);
      expect((await refusal(noShow(b.id, agent))).code).toBe(ErrorCode.Forbidden);
      expect(await counts(h)).toEqual(before);
      expect(await checkIn(b.id, store, staffOf(store))).toMatchObject({ status: 'visited' });
    });
  });
});
