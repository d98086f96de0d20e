import { BookingStatus } from '@o2o/contracts';
import { BOOKING_ACTIONS, BookingAction, canDo } from './booking-states';

const { Created, Confirmed, Visited, Cancelled, NoShow } = BookingStatus;

describe('booking transitions', () => {
  it.each([
    ['confirm', Created, true],
    ['confirm', Confirmed, false],
    ['confirm', Visited, false],
    ['reschedule', Confirmed, true],
    ['reschedule', Created, false],
    ['cancel', Created, true],
    ['cancel', Confirmed, true],
    ['cancel', Visited, false],
    ['cancel', Cancelled, false],
    ['checkIn', Confirmed, true],
    ['checkIn', Created, false],
    ['checkIn', NoShow, false],
    ['noShow', Confirmed, true],
    ['noShow', Visited, false],
  ] as [BookingAction, BookingStatus, boolean][])('%s from %s: %s', (action, from, allowed) => {
    expect(canDo(action, from)).toBe(allowed);
  });

  it('leaves cancelled, visited and no_show as ends', () => {
    for (const end of [Cancelled, Visited, NoShow]) {
      expect(Object.values(BOOKING_ACTIONS).filter((a) => (a.from as readonly BookingStatus[]).includes(end))).toEqual([]);
    }
  });
});
