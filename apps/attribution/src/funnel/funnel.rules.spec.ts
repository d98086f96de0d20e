import { FUNNEL_NONE_KEY } from '@o2o/contracts';
import { assembleFunnel, CountsByKey, dimensionKeys, premiumOf, rate, reportRange, resolveBound, splitRange, startOfLocalDay } from './funnel.rules';

const t = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('the funnel rules', () => {
  describe('splitting a range into whole UTC days, whole hours around them and partial edges', () => {
    // Each range as 'from..to' in UTC, without the date's year and seconds where they are zero.
    const r = (from: string, to: string) => `${from}..${to}`;
    const show = (x: { from: number; to: number }) => r(iso(x.from).slice(5, 16), iso(x.to).slice(5, 16));

    it.each([
      ['whole days only', '2031-03-01T00:00:00Z', '2031-03-03T00:00:00Z', r('03-01T00:00', '03-03T00:00'), [], []],
      ['whole hours inside one day', '2031-03-01T02:00:00Z', '2031-03-01T05:00:00Z', null, [r('03-01T02:00', '03-01T05:00')], []],
      [
        'Shanghai dates: whole hours either side of whole days',
        '2031-02-28T16:00:00Z',
        '2031-03-03T16:00:00Z',
        r('03-01T00:00', '03-03T00:00'),
        [r('02-28T16:00', '03-01T00:00'), r('03-03T00:00', '03-03T16:00')],
        [],
      ],
      [
        'Kolkata dates: half hours at the edges too',
        '2031-02-28T18:30:00Z',
        '2031-03-02T18:30:00Z',
        r('03-01T00:00', '03-02T00:00'),
        [r('02-28T19:00', '03-01T00:00'), r('03-02T00:00', '03-02T18:00')],
        [r('02-28T18:30', '02-28T19:00'), r('03-02T18:00', '03-02T18:30')],
      ],
      [
        'partial hours at both edges, no whole day',
        '2031-03-01T10:20:00Z',
        '2031-03-01T14:05:30Z',
        null,
        [r('03-01T11:00', '03-01T14:00')],
        [r('03-01T10:20', '03-01T11:00'), r('03-01T14:00', '03-01T14:05')],
      ],
      ['a partial start only', '2031-03-01T10:00:00.001Z', '2031-03-01T12:00:00Z', null, [r('03-01T11:00', '03-01T12:00')], [r('03-01T10:00', '03-01T11:00')]],
      ['inside one hour: all edge', '2031-03-01T10:20:00Z', '2031-03-01T10:40:00Z', null, [], [r('03-01T10:20', '03-01T10:40')]],
      ['across one boundary, no whole hour: all edge', '2031-03-01T10:20:00Z', '2031-03-01T11:10:00Z', null, [], [r('03-01T10:20', '03-01T11:10')]],
    ])('%s', (_, from, to, days, hours, edges) => {
      const split = splitRange({ from: t(from), to: t(to) });
      expect(split.days && show(split.days)).toEqual(days);
      expect(split.hours.map(show)).toEqual(hours);
      expect(split.edges.map(show)).toEqual(edges);
    });

    it.each([
      ['2031-02-28T18:30:00Z', '2031-03-02T18:30:00Z', r('02-28T19:00', '03-02T18:00')],
      ['2031-03-01T10:20:00Z', '2031-03-01T11:10:00Z', null],
    ])('counts distinct visitors over every whole hour of %s..%s: %s', (from, to, whole) => {
      const split = splitRange({ from: t(from), to: t(to) });
      expect(split.whole && show(split.whole)).toEqual(whole);
    });

    it('leaves nothing out and counts nothing twice', () => {
      for (const [from, to] of [
        ['2031-02-28T18:30:00Z', '2031-03-05T07:45:00Z'],
        ['2031-03-01T00:00:00.001Z', '2031-03-01T23:59:59.999Z'],
      ]) {
        const split = splitRange({ from: t(from), to: t(to) });
        const parts = [...(split.days ? [split.days] : []), ...split.hours, ...split.edges].sort((a, b) => a.from - b.from);
        expect(parts[0].from).toBe(t(from));
        expect(parts[parts.length - 1].to).toBe(t(to));
        for (let i = 1; i < parts.length; i++) expect(parts[i].from).toBe(parts[i - 1].to);
      }
    });
  });

  describe('reading dates as midnight in a time zone', () => {
    it.each([
      ['2031-03-01', 'Asia/Shanghai', '2031-02-28T16:00:00.000Z'],
      ['2031-03-01', 'UTC', '2031-03-01T00:00:00.000Z'],
      ['2031-03-01', 'Asia/Kolkata', '2031-02-28T18:30:00.000Z'],
      ['2031-07-01', 'America/New_York', '2031-07-01T04:00:00.000Z'],
      ['2031-12-01', 'America/New_York', '2031-12-01T05:00:00.000Z'],
      // The clocks went forward at midnight: the day began at 01:00 local, 03:00Z.
      ['2018-11-04', 'America/Sao_Paulo', '2018-11-04T03:00:00.000Z'],
      // The clocks went back at midnight (to 23:00 of the day before): the day began at the first midnight.
      ['2018-02-17', 'America/Sao_Paulo', '2018-02-17T02:00:00.000Z'],
    ])('%s in %s begins at %s', (date, tz, expected) => {
      expect(iso(startOfLocalDay(date, tz))).toBe(expected);
    });

    it.each([
      ['2031-03-01', 'Asia/Shanghai', '2031-02-28T16:00:00.000Z'],
      ['2031-03-01T08:30:00+08:00', 'UTC', '2031-03-01T00:30:00.000Z'],
      ['2031-03-01T00:30:00.250Z', 'Asia/Shanghai', '2031-03-01T00:30:00.250Z'],
      ['2031-02-30', 'UTC', undefined],
      ['2031-03-01T10:00', 'UTC', undefined],
      ['yesterday', 'UTC', undefined],
    ])('the bound %s (tz %s) is %s', (value, tz, expected) => {
      const bound = resolveBound(value, tz);
      expect(bound === undefined ? undefined : iso(bound)).toBe(expected);
    });

    it.each([
      ['to before from', '2031-03-02', '2031-03-01', [{ field: 'to', message: 'must be after from' }]],
      ['an empty range', '2031-03-01', '2031-03-01', [{ field: 'to', message: 'must be after from' }]],
      ['over 366 days', '2031-01-01', '2032-01-03', [{ field: 'to', message: 'must be at most 366 days after from' }]],
      ['a bad from', 'soon', '2031-03-01', [{ field: 'from', message: expect.any(String) }]],
    ])('refuses %s', (_, from, to, problems) => {
      expect(reportRange(from, to, 'Asia/Shanghai')).toEqual(problems);
    });

    it('takes a leap year of dates, across a change of clocks', () => {
      expect(reportRange('2032-01-01', '2033-01-01', 'America/New_York')).toEqual({ from: t('2032-01-01T05:00:00Z'), to: t('2033-01-01T05:00:00Z') });
    });
  });

  it.each([
    [3, 4, 0.75],
    [0, 4, 0],
    [5, 4, 1],
    [4, 0, null],
    [0, 0, null],
  ])('the rate of %d over %d is %s', (n, d, expected) => {
    expect(rate(n, d)).toBe(expected);
  });

  it.each([
    [700_000, 400_000, 300_000],
    [300_000, 400_000, 0],
    [700_000, null, 0],
  ])('a deal of %d on a budget of %s brings a premium of %d', (amount, budget, premium) => {
    expect(premiumOf(amount, budget)).toBe(premium);
  });

  it.each([
    [
      'a booking with two brands and no agent',
      { channel: 'sem', city: 'Shanghai', storeId: 's1', agentId: null, brandIds: ['b2', 'b1', 'b2'] },
      ['agent:none', 'brand:b1', 'brand:b2', 'channel:sem', 'city:Shanghai', 'store:s1'],
    ],
    [
      'a consultation: no store, no brand',
      { channel: 'seo', city: 'Beijing', storeId: null, agentId: 'a7', brandIds: [] },
      ['agent:a7', 'brand:none', 'channel:seo', 'city:Beijing', 'store:none'],
    ],
  ])('%s counts under %j', (_, record, expected) => {
    expect(dimensionKeys(record).map((k) => `${k.dim}:${k.key}`)).toEqual(expected);
  });

  describe('assembling rows and the total', () => {
    const counts = new CountsByKey();
    counts.add('channel', 'sem', { consultations: 3, bookings: 2, storeVisits: 1 });
    counts.add('channel', 'none', { deals: 1, dealAmountFen: 500, budgetFen: 400, premiumFen: 100 });
    counts.add('brand', 'b1', { bookings: 2, storeVisits: 1, deals: 1, dealAmountFen: 500, budgetFen: 400, premiumFen: 100 });
    counts.add('brand', 'b2', { bookings: 1 });
    const visits = {
      all: 10,
      byChannel: new Map([
        ['sem', 6],
        ['seo', 4],
      ]),
    };

    it('by channel: visits under their channel, none last, rates capped and null without a denominator', () => {
      const { rows, total } = assembleFunnel('channel', counts, visits);
      expect(rows.map((r) => [r.key, r.visits, r.consultations, r.deals, r.consultationRate, r.bookingRate, r.dealRate])).toEqual([
        ['sem', 6, 3, 0, 0.5, 2 / 3, 0],
        ['seo', 4, 0, 0, 0, null, null],
        [FUNNEL_NONE_KEY, 0, 0, 1, null, null, null],
      ]);
      expect(total).toMatchObject({ visits: 10, consultations: 3, bookings: 2, storeVisits: 1, deals: 1, dealAmountFen: 500, budgetFen: 400, premiumFen: 100 });
      expect(total.consultationRate).toBe(0.3);
    });

    it('by brand: every visit under none; brand rows may add up to more than the total', () => {
      const { rows, total } = assembleFunnel('brand', counts, visits);
      expect(rows.map((r) => [r.key, r.visits, r.bookings])).toEqual([
        ['b1', 0, 2],
        ['b2', 0, 1],
        [FUNNEL_NONE_KEY, 10, 0],
      ]);
      expect(total.bookings).toBe(2);
      expect(rows.find((r) => r.key === 'b1')?.dealRate).toBe(1);
    });
  });
});
