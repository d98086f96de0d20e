import { SystemClock, TestClock } from './clock';

describe('clocks', () => {
  it('the system clock reads real time', () => {
    const before = Date.now();
    const now = new SystemClock().now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('the test clock stands still until set or advanced, and says when it moves', () => {
    const clock = new TestClock(new Date('2031-03-01T08:00:00.000Z'));
    const seen: string[] = [];
    const unsubscribe = clock.onChange((now) => seen.push(now.toISOString()));
    expect(clock.now().toISOString()).toBe('2031-03-01T08:00:00.000Z');
    clock.advance(30 * 60_000);
    clock.set(new Date('2031-03-02T00:00:00.000Z'));
    unsubscribe();
    clock.advance(1000);
    expect(seen).toEqual(['2031-03-01T08:30:00.000Z', '2031-03-02T00:00:00.000Z']);
    expect(clock.now().toISOString()).toBe('2031-03-02T00:00:01.000Z');
  });

  it('the test clock refuses to go back by advance', () => {
    const clock = new TestClock();
    expect(() => clock.advance(-1)).toThrow(/forward/);
    expect(() => clock.advance(Number.NaN)).toThrow(/forward/);
  });
});
