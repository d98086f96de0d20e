import { isCalendarDate, slotsOf, slotStartingAt, wallClock, zonedInstant } from './slots.rules';

const shanghai = { timeZone: 'Asia/Shanghai', opensAt: '09:00', closesAt: '21:00', slotMinutes: 60 };

describe('store slots in the store’s own time zone', () => {
  it('cuts the opening hours into slots given as instants', () => {
    const slots = slotsOf('2026-11-24', shanghai);
    expect(slots).toHaveLength(12);
    expect(slots[0].start.toISOString()).toBe('2026-11-24T01:00:00.000Z');
    expect(slots[0].end.toISOString()).toBe('2026-11-24T02:00:00.000Z');
    expect(slots[11].end.toISOString()).toBe('2026-11-24T13:00:00.000Z');
  });

  it.each([
    ['90-minute slots stop before closing', { ...shanghai, slotMinutes: 90 }, 8],
    ['a store open past midnight', { ...shanghai, opensAt: '18:00', closesAt: '02:00' }, 8],
    ['a store open 24 hours', { ...shanghai, opensAt: '00:00', closesAt: '00:00' }, 24],
  ])('%s', (_, layout, count) => {
    expect(slotsOf('2026-11-24', layout)).toHaveLength(count);
  });

  it('follows daylight saving: a New York day in spring has its 09:00 at 13:00Z, in winter at 14:00Z', () => {
    const ny = { ...shanghai, timeZone: 'America/New_York' };
    expect(slotsOf('2026-06-01', ny)[0].start.toISOString()).toBe('2026-06-01T13:00:00.000Z');
    expect(slotsOf('2026-12-01', ny)[0].start.toISOString()).toBe('2026-12-01T14:00:00.000Z');
    // The night the clocks go forward (2026-03-08 02:00 -> 03:00): 03:30 local is 07:30Z.
    expect(new Date(zonedInstant('2026-03-08', 3 * 60 + 30, 'America/New_York')).toISOString()).toBe('2026-03-08T07:30:00.000Z');
  });

  it('reads the local wall clock of an instant', () => {
    expect(wallClock(Date.parse('2026-11-23T17:30:00Z'), 'Asia/Shanghai')).toEqual({ date: '2026-11-24', minutes: 90 });
  });

  it.each([
    ['2026-11-24T03:00:00.000Z', 'slot'],
    ['2026-11-24T03:30:00.000Z', 'not_on_slot_boundary'],
    ['2026-11-24T13:00:00.000Z', 'outside_opening_hours'],
    ['2026-11-24T00:00:00.000Z', 'outside_opening_hours'],
  ])('an appointment at %s finds %s', (at, expected) => {
    const found = slotStartingAt(new Date(at), shanghai);
    expect('slot' in found ? 'slot' : found.refusal).toBe(expected);
  });

  it('finds a slot past midnight on the day it began', () => {
    const late = { ...shanghai, opensAt: '18:00', closesAt: '02:00' };
    // 01:00 on the 25th in Shanghai is the 24th's last slot.
    expect('slot' in slotStartingAt(new Date('2026-11-24T17:00:00.000Z'), late)).toBe(true);
  });

  it.each([
    ['2026-02-28', true],
    ['2026-02-29', false],
    ['2028-02-29', true],
    ['2026-13-01', false],
  ])('%s is a calendar day: %s', (date, ok) => {
    expect(isCalendarDate(date)).toBe(ok);
  });
});
