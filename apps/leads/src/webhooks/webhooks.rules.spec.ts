import { EVENTS } from '@o2o/contracts';
import { brandsConcerned, leadEventBrands, LeadWebhookType, occurredAtOf, partnerData, PartnerEventType, partnerTypeOf } from './webhooks.rules';

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

describe('leadEventBrands and partnerTypeOf', () => {
  const OWNER = '0190f1c2-0000-7000-8000-00000000d001';
  it.each<[LeadWebhookType, Record<string, unknown>, string[], PartnerEventType]>([
    [EVENTS.leadAssigned, { brandIds: [A, B], ownerId: OWNER }, [A, B], EVENTS.leadAssigned],
    [EVENTS.leadReassigned, { brandIds: [A], ownerId: OWNER }, [A], EVENTS.leadReassigned],
    // A booking that brought B to A's owned lead: B is told the lead is assigned, A already knew.
    [EVENTS.leadBookingLinked, { brandIds: [A, B], addedBrandIds: [B], ownerId: OWNER }, [B], EVENTS.leadAssigned],
    // Not yet owned: the assignment to come tells every brand.
    [EVENTS.leadBookingLinked, { brandIds: [A, B], addedBrandIds: [B], ownerId: null }, [], EVENTS.leadAssigned],
    // Written before addedBrandIds existed: nothing to tell.
    [EVENTS.leadBookingLinked, { brandIds: [A], ownerId: OWNER }, [], EVENTS.leadAssigned],
  ])('%s %j -> %j as %s', (type, data, brands, sentAs) => {
    expect([leadEventBrands(type, data), partnerTypeOf(type)]).toEqual([brands, sentAs]);
  });
});

describe('partnerData', () => {
  it.each<[PartnerEventType, Record<string, unknown>, Record<string, unknown>]>([
    [EVENTS.leadAssigned, { leadId: 'l', phone: '13812345678', brandIds: [A] }, { leadId: 'l', phoneMasked: '138****5678', brandIds: [A] }],
    [EVENTS.leadAssigned, { leadId: 'l', bookingId: 'b', brandIds: [A, B], addedBrandIds: [B] }, { leadId: 'l', bookingId: 'b', brandIds: [A, B] }],
    [
      EVENTS.bookingConfirmed,
      { bookingId: 'b', phone: '13912345678', source: { channel: 'sem', campaign: 'kw', agentId: 'a7' } },
      { bookingId: 'b', phoneMasked: '139****5678', source: { channel: 'sem' } },
    ],
    [EVENTS.dealClosed, { dealId: 'd', phone: '13912345678', budgetFen: 1, amountFen: 2 }, { dealId: 'd', phoneMasked: '139****5678', amountFen: 2 }],
    [
      EVENTS.dealClosed,
      { dealId: 'd', amountFen: 2, source: { channel: 'partner', campaign: 'secret-camp', agentId: 'a7', visitorId: 'v1' } },
      { dealId: 'd', amountFen: 2, source: { channel: 'partner' } },
    ],
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
