import { ErrorCode } from '@o2o/contracts';
import { assertHours, withStoreDefaults } from './stores.rules';

describe('store rules', () => {
  it.each([
    ['10:00', '21:00', undefined],
    ['00:00', '23:59', undefined],
    ['09:30', '09:31', undefined],
    ['21:00', '21:00', ErrorCode.BadInput],
    ['21:00', '10:00', ErrorCode.BadInput],
  ])('opening at %s and closing at %s: %s', (opensAt, closesAt, code) => {
    const thrown = (() => {
      try {
        assertHours(opensAt, closesAt);
        return undefined;
      } catch (e) {
        return (e as { code?: string }).code;
      }
    })();
    expect(thrown).toBe(code);
  });

  it('fills in what a new store leaves out, and keeps what it gives', () => {
    expect(withStoreDefaults({ name: 'S', city: 'Shanghai', address: '1 Rd' })).toEqual({
      name: 'S',
      city: 'Shanghai',
      district: null,
      address: '1 Rd',
      timeZone: 'Asia/Shanghai',
      opensAt: '10:00',
      closesAt: '21:00',
      slotMinutes: 60,
      slotCapacity: 4,
    });
    expect(
      withStoreDefaults({
        name: 'S',
        city: 'C',
        address: 'A',
        district: 'D',
        timeZone: 'Asia/Urumqi',
        opensAt: '09:00',
        closesAt: '18:00',
        slotMinutes: 30,
        slotCapacity: 2,
      }),
    ).toMatchObject({
      district: 'D',
      timeZone: 'Asia/Urumqi',
      opensAt: '09:00',
      closesAt: '18:00',
      slotMinutes: 30,
      slotCapacity: 2,
    });
  });
});
