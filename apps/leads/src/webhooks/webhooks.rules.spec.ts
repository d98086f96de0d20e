import { EVENTS } from '@o2o/contracts';
import { brandsConcerned, occurredAtOf, partnerData, PartnerEventType } from './webhooks.rules';

const A = '0190f1c2-0000-7000-8000-00000000b001';
const B = '0190f1c2-0000-7000-8000-00000000b002';

describe('brandsConcerned', () => {
  it.each<[PartnerEventType, Record<string, unknown>, string[]]>([
    [EVENTS.leadAssigned, { brandIds: [A, B] }, [A, B]],
    [EVENTS.leadReassigned, { brandIds: [A, A.toUpperCase()] }, [A]],
    [EVENTS.bookingConfirmed, { brandIds: [A, 'not-a-brand', 7] }, [A]],
    [EVENTS.bookingConfirmed, { brandIds: 'x' }, []],
    [EVENTS.dealClosed, { brandId: B }, [B]],
    [EVENTS.dealRefunded, { brandId: null }, []],
    [EVENTS.dealRefunded, {}, []],
  ])('%s %j -> %j', (type, data, brands) => {
    expect(brandsConcerned(type, data)).toEqual(brands);
  });
});

describe('partnerData', () => {
  it.each<[PartnerEventType, Record<string, unknown>, Record<string, unknown>]>([
    [EVENTS.leadAssigned, { leadId: 'l', phone: '13812345678', brandIds: [A] }, { leadId: 'l', phoneMasked: '138****5678', brandIds: [A] }],
    [
      EVENTS.bookingConfirmed,
      { bookingId: 'b', phone: '13912345678', source: { channel: 'sem', campaign: 'kw', agentId: 'a7' } },
      { bookingId: 'b', phoneMasked: '139****5678', source: { channel: 'sem' } },
    ],
    [EVENTS.dealClosed, { dealId: 'd', phone: '13912345678', budgetFen: 1, amountFen: 2 }, { dealId: 'd', phoneMasked: '139****5678', amountFen: 2 }],
    [EVENTS.dealRefunded, { dealId: 'd', amountFen: 2 }, { dealId: 'd', amountFen: 2 }],
  ])('%s', (type, data, shown) => {
    expect(partnerData(type, data)).toEqual(shown);
  });
});

describe('occurredAtOf', () => {
  it.each([
    [{ at: '2026-11-23T08:00:00Z' }, '2026-11-23T08:00:00.000Z'],
    [{ at: 'junk' }, '2026-01-01T00:00:00.000Z'],
    [{}, '2026-01-01T00:00:00.000Z'],
  ])('%j -> %s', (data, expected) => {
    expect(occurredAtOf(data, '2026-01-01T00:00:00.000Z')).toBe(expected);
  });
});
