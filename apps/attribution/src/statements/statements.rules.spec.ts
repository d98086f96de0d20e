import { periodEnd } from './statements.rules';

describe('statement periods', () => {
  it.each([
    ['2031-03', 'Asia/Shanghai', '2031-03-31T16:00:00.000Z'],
    ['2031-12', 'Asia/Shanghai', '2031-12-31T16:00:00.000Z'],
    ['2031-02', 'UTC', '2031-03-01T00:00:00.000Z'],
    // New York leaves daylight time in November: the month ends at midnight EST.
    ['2031-10', 'America/New_York', '2031-11-01T04:00:00.000Z'],
    ['2031-11', 'America/New_York', '2031-12-01T05:00:00.000Z'],
    ['2032-02', 'Asia/Shanghai', '2032-02-29T16:00:00.000Z'],
  ])('%s in %s ends at %s', (period, zone, end) => {
    expect(periodEnd(period, zone).toISOString()).toBe(end);
  });
});
