import { BOOKING, BookingRefusal, ErrorCode, EVENTS, SlotView, StoreEventData } from '@o2o/contracts';
import { newId } from '@o2o/platform';
import { anonymous, confirmedBooking, createBooking, envelope, Harness, ops, refusal, seedStore, startBooking } from '../../test/harness';

describe('store slots (real Postgres and Redis, through the transport)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startBooking();
  });
  afterAll(async () => {
    await h?.close();
  });

  const slots = (storeId: string, date: string) => h.call<SlotView[]>(BOOKING.listSlots, { storeId, date }, { actor: anonymous });
  const starts = (day: SlotView[]) => day.map((s) => s.start);

  it("lists a Shanghai store's opening hours as ISO instants, with capacity and places booked", async () => {
    const store = await seedStore(h, { city: 'Shanghai', timeZone: 'Asia/Shanghai', opensAt: '10:00', closesAt: '21:00', slotMinutes: 60, slotCapacity: 4 });
    const empty = await slots(store, '2031-03-10');
    expect(empty).toHaveLength(11);
    expect(empty[0]).toEqual({ start: '2031-03-10T02:00:00.000Z', end: '2031-03-10T03:00:00.000Z', capacity: 4, booked: 0 });
    expect(empty[10]).toEqual({ start: '2031-03-10T12:00:00.000Z', end: '2031-03-10T13:00:00.000Z', capacity: 4, booked: 0 });
    // Each slot ends where the next begins.
    expect(empty.slice(1).map((s) => s.start)).toEqual(empty.slice(0, -1).map((s) => s.end));

    await confirmedBooking(h, { storeId: store }, '2031-03-10T02:00:00.000Z');
    await confirmedBooking(h, { storeId: store }, '2031-03-10T02:00:00.000Z');
    await confirmedBooking(h, { storeId: store }, '2031-03-10T19:00:00+08:00');
    // A booking the day before, in another store, and a merely created one change nothing here.
    await confirmedBooking(h, { storeId: store }, '2031-03-09T12:00:00.000Z');
    await confirmedBooking(h, { storeId: await seedStore(h, { city: 'Shanghai' }) }, '2031-03-10T02:00:00.000Z');
    await createBooking(h, { storeId: store, preferredAt: '2031-03-10T03:00:00.000Z' });

    const day = await slots(store, '2031-03-10');
    expect(day.map((s) => s.booked)).toEqual([2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
    expect((await slots(store, '2031-03-09')).at(-1)).toMatchObject({ start: '2031-03-09T12:00:00.000Z', booked: 1 });
  });

  it("lays a Berlin store's day out in Berlin time, through winter, summer and the spring-forward day", async () => {
    const store = await seedStore(h, { city: 'Berlin', timeZone: 'Europe/Berlin', opensAt: '09:00', closesAt: '18:00', slotMinutes: 30, slotCapacity: 3 });

    const winter = await slots(store, '2031-01-15');
    expect(winter).toHaveLength(18);
    expect(winter[0]).toEqual({ start: '2031-01-15T08:00:00.000Z', end: '2031-01-15T08:30:00.000Z', capacity: 3, booked: 0 });
    expect(winter.at(-1)?.end).toBe('2031-01-15T17:00:00.000Z');

    const summer = await slots(store, '2031-07-15');
    expect(summer).toHaveLength(18);
    expect(summer[0].start).toBe('2031-07-15T07:00:00.000Z');
    expect(summer.at(-1)?.end).toBe('2031-07-15T16:00:00.000Z');

    // The clocks went forward at 02:00 that night: opening at 09:00 is already summer time.
    const spring = await slots(store, '2031-03-30');
    expect(spring[0].start).toBe('2031-03-30T07:00:00.000Z');
    expect(new Set(starts(spring)).size).toBe(18);

    // A confirmation names a slot by its instant, in any offset; the count shows on that slot alone.
    const b = await confirmedBooking(h, { storeId: store, city: 'Berlin' }, '2031-01-15T09:30:00+01:00');
    expect(b.appointmentAt).toBe('2031-01-15T08:30:00.000Z');
    const after = await slots(store, '2031-01-15');
    expect(after.filter((s) => s.booked > 0)).toEqual([{ start: '2031-01-15T08:30:00.000Z', end: '2031-01-15T09:00:00.000Z', capacity: 3, booked: 1 }]);
  });

  it.each([
    ['08:30 Berlin, before opening', '2031-01-15T07:30:00.000Z', BookingRefusal.OutsideOpeningHours],
    ['18:00 Berlin, at closing', '2031-01-15T17:00:00.000Z', BookingRefusal.OutsideOpeningHours],
    ['09:15 Berlin, inside a 30-minute slot', '2031-01-15T08:15:00.000Z', BookingRefusal.NotOnSlotBoundary],
    ['09:00 Shanghai time (02:00 Berlin)', '2031-01-15T09:00:00+08:00', BookingRefusal.OutsideOpeningHours],
  ])('refuses a Berlin appointment at %s', async (_, appointmentAt, reason) => {
    const store = await seedStore(h, { city: 'Berlin', timeZone: 'Europe/Berlin', opensAt: '09:00', closesAt: '18:00', slotMinutes: 30 });
    const b = await createBooking(h, { storeId: store, city: 'Berlin' });
    expect(await refusal(h.call(BOOKING.confirmBooking, { id: b.id, appointmentAt }, { actor: ops }))).toMatchObject({ code: ErrorCode.RuleBroken, reason });
  });

  it('lists a store open past midnight on the day its evening began', async () => {
    const store = await seedStore(h, { city: 'Shanghai', opensAt: '18:00', closesAt: '02:00', slotMinutes: 60, slotCapacity: 1 });
    const day = await slots(store, '2031-03-10');
    expect(day).toHaveLength(8);
    expect(day[0].start).toBe('2031-03-10T10:00:00.000Z');
    expect(day.at(-1)).toMatchObject({ start: '2031-03-10T17:00:00.000Z', end: '2031-03-10T18:00:00.000Z' });
    // 01:00 on the 11th is the 10th's last slot.
    await confirmedBooking(h, { storeId: store }, '2031-03-11T01:00:00+08:00');
    expect((await slots(store, '2031-03-10')).at(-1)?.booked).toBe(1);
    expect((await slots(store, '2031-03-11')).at(-1)?.booked).toBe(0);
  });

  it('follows the store as the catalog updates it, and ignores an older update arriving late', async () => {
    const store = await seedStore(h, { city: 'Shanghai', opensAt: '10:00', closesAt: '12:00', slotCapacity: 2 });
    const update = (change: Partial<StoreEventData>, occurredAt: string) =>
      h.consumer.handle(
        envelope(
          EVENTS.storeUpdated,
          {
            id: store,
            name: 'Store',
            city: 'Shanghai',
            district: null,
            address: '1 Test Rd',
            timeZone: 'Asia/Shanghai',
            opensAt: '10:00',
            closesAt: '12:00',
            slotMinutes: 60,
            slotCapacity: 2,
            ...change,
          },
          'catalog',
          occurredAt,
        ),
      );
    await update({ closesAt: '13:00', slotCapacity: 5 }, new Date(Date.now() + 60_000).toISOString());
    await update({ closesAt: '11:00', slotCapacity: 1 }, new Date(Date.now() - 60_000).toISOString());
    const day = await slots(store, '2031-03-10');
    expect(day.map((s) => [s.start, s.capacity])).toEqual([
      ['2031-03-10T02:00:00.000Z', 5],
      ['2031-03-10T03:00:00.000Z', 5],
      ['2031-03-10T04:00:00.000Z', 5],
    ]);
  });

  it('answers an unknown store as not found, and a date that is not a calendar day as bad input', async () => {
    const store = await seedStore(h, {});
    expect((await refusal(slots(newId(), '2031-03-10'))).code).toBe(ErrorCode.NotFound);
    for (const date of ['2026-02-30', '2031-02-29', '2026-13-01', '2026-1-5', 'tomorrow', '2026-02-28T00:00:00Z']) {
      expect({ date, ...(await refusal(slots(store, date))) }).toEqual({ date, code: ErrorCode.BadInput, fields: ['date'], reason: undefined });
    }
    expect((await refusal(h.call(BOOKING.listSlots, { storeId: store }))).fields).toEqual(['date']);
    expect((await refusal(h.call(BOOKING.listSlots, { storeId: 'store-1', date: '2031-03-10' }))).fields).toEqual(['storeId']);
    // A real leap day is a day.
    expect(await slots(store, '2028-02-29')).toHaveLength(11);
  });

  it('on the spring-forward day, a Berlin store open all night lists no empty slot and no start twice', async () => {
    const store = await seedStore(h, { city: 'Berlin', timeZone: 'Europe/Berlin', opensAt: '00:00', closesAt: '00:00', slotMinutes: 60 });
    const day = await slots(store, '2031-03-30');
    expect(day.filter((s) => Date.parse(s.end) <= Date.parse(s.start))).toEqual([]);
    expect(new Set(starts(day)).size).toBe(day.length);
  });

  it('is public: an anonymous caller reads the slots, the store id in any case', async () => {
    const store = await seedStore(h, {});
    expect(await h.call<SlotView[]>(BOOKING.listSlots, { storeId: store.toUpperCase(), date: '2031-03-10' })).toHaveLength(11);
  });
});
