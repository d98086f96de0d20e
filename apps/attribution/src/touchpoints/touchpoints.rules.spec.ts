import { Channel } from '@o2o/contracts';
import { boundsAfter, boundsDeltas, distinctVisitorsOf, hourOf, visitorHoursOf } from './touchpoints.rules';

const H = 3_600_000;
const h = (n: number) => n * H;

describe('the touchpoint rules', () => {
  it.each([
    [0, 0],
    [H - 1, 0],
    [H, H],
    [Date.parse('2031-03-01T10:59:59.999Z'), Date.parse('2031-03-01T10:00:00Z')],
  ])('the hour of %d is %d', (t, hour) => {
    expect(hourOf(t)).toBe(hour);
  });

  it('takes each visitor once per scope (all, its channel), its hours sorted and once each, in lock order', () => {
    const seen = visitorHoursOf([
      { visitorId: 'v2', channel: Channel.Sem, at: h(5) + 10 },
      { visitorId: 'v1', channel: Channel.Seo, at: h(3) },
      { visitorId: 'v2', channel: Channel.Sem, at: h(2) },
      { visitorId: 'v2', channel: Channel.Sem, at: h(5) + 20 },
      { visitorId: 'v2', channel: Channel.Seo, at: h(9) },
    ]);
    expect(seen).toEqual([
      { scope: 'all', visitorId: 'v1', hours: [h(3)] },
      { scope: 'all', visitorId: 'v2', hours: [h(2), h(5), h(9)] },
      { scope: 'channel:sem', visitorId: 'v2', hours: [h(2), h(5)] },
      { scope: 'channel:seo', visitorId: 'v1', hours: [h(3)] },
      { scope: 'channel:seo', visitorId: 'v2', hours: [h(9)] },
    ]);
  });

  it.each([
    ['a new visitor', null, [h(4), h(6)], { first: h(4), last: h(6) }],
    ['seen earlier than before', { first: h(5), last: h(8) }, [h(2)], { first: h(2), last: h(8) }],
    ['seen later than before', { first: h(5), last: h(8) }, [h(9)], { first: h(5), last: h(9) }],
    ['seen within', { first: h(5), last: h(8) }, [h(6)], { first: h(5), last: h(8) }],
  ])('bounds of %s', (_, before, hours, after) => {
    expect(boundsAfter(before, hours)).toEqual(after);
  });

  it.each([
    [
      'a new visitor: one first, one last',
      [{ scope: 'all', before: null, after: { first: h(1), last: h(3) } }],
      [
        { scope: 'all', hour: h(1), firsts: 1, lasts: 0 },
        { scope: 'all', hour: h(3), firsts: 0, lasts: 1 },
      ],
    ],
    [
      'a new visitor seen once: both in one hour',
      [{ scope: 'all', before: null, after: { first: h(1), last: h(1) } }],
      [{ scope: 'all', hour: h(1), firsts: 1, lasts: 1 }],
    ],
    [
      'a visitor moving its last',
      [{ scope: 'all', before: { first: h(1), last: h(2) }, after: { first: h(1), last: h(5) } }],
      [
        { scope: 'all', hour: h(2), firsts: 0, lasts: -1 },
        { scope: 'all', hour: h(5), firsts: 0, lasts: 1 },
      ],
    ],
    ['a visitor seen within its bounds: nothing', [{ scope: 'all', before: { first: h(1), last: h(5) }, after: { first: h(1), last: h(5) } }], []],
    [
      'moves that cancel out in one hour leave nothing there',
      [
        { scope: 'all', before: { first: h(1), last: h(2) }, after: { first: h(1), last: h(3) } },
        { scope: 'all', before: null, after: { first: h(2), last: h(2) } },
      ],
      [
        { scope: 'all', hour: h(2), firsts: 1, lasts: 0 },
        { scope: 'all', hour: h(3), firsts: 0, lasts: 1 },
      ],
    ],
  ])('%s', (_, changes, deltas) => {
    expect(boundsDeltas(changes)).toEqual(deltas);
  });

  it('reads distinct visitors per scope as all and per channel', () => {
    const v = distinctVisitorsOf(
      new Map([
        ['all', 7],
        ['channel:sem', 4],
        ['channel:seo', 3],
        ['channel:social', 0],
      ]),
    );
    expect(v).toEqual({
      all: 7,
      byChannel: new Map([
        ['sem', 4],
        ['seo', 3],
      ]),
    });
  });
});
