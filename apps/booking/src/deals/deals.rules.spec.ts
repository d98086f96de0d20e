import { Actor, BookingRefusal, Channel, Role } from '@o2o/contracts';
import { closerRefusal, closesAtStore, dealSource, refundOf, showsDealPhone } from './deals.rules';

const store = '0190f1c2-0000-7000-8000-00000000000a';
const other = '0190f1c2-0000-7000-8000-00000000000b';
const brand = '0190f1c2-0000-7000-8000-0000000000b1';
const me = '0190f1c2-0000-7000-8000-0000000000c1';
const colleague = '0190f1c2-0000-7000-8000-0000000000c2';
const staff = (roles: Role[], storeId?: string, staffId?: string): Actor => ({ kind: 'staff', userId: 'u', roles, storeId, staffId });
const deal = { storeId: store, brandId: brand, staffId: me };

describe('deal rules', () => {
  it.each([
    ['admin', staff([Role.Admin]), undefined],
    ['a salesperson of the store, for themself', staff([Role.StoreStaff], store, me), undefined],
    ['a salesperson of the store, for a colleague', staff([Role.StoreStaff], store, colleague), 'forbidden'],
    ['the store manager, for anyone', staff([Role.StoreManager], store, colleague), undefined],
    ['a salesperson of another store', staff([Role.StoreStaff], other, me), 'forbidden'],
    ['ops', staff([Role.Ops]), 'forbidden'],
    ['an online agent', staff([Role.Agent]), 'forbidden'],
    ['the brand partner', { kind: 'partner', brandId: brand } as Actor, undefined],
    ['another brand partner', { kind: 'partner', brandId: other } as Actor, 'not_found'],
    ['anonymous', { kind: 'anonymous' } as Actor, 'forbidden'],
  ])('closing a deal: %s -> %s', (_, actor, expected) => {
    expect(closerRefusal(actor, deal)).toBe(expected);
  });

  const seller = { storeId: store, role: 'store_staff', team: 'offline', active: true } as const;
  it.each([
    ['an active salesperson of the store', seller, true],
    ['the store manager', { ...seller, role: 'store_manager' }, true],
    ['a salesperson no longer active', { ...seller, active: false }, false],
    ['a salesperson of another store', { ...seller, storeId: other }, false],
    ['an online agent', { storeId: null, role: 'agent', team: 'online', active: true }, false],
    ['someone booking never heard of', undefined, false],
  ] as const)('naming as the closer %s -> %s', (_, fact, allowed) => {
    expect(closesAtStore(fact, store)).toBe(allowed);
  });

  it.each([
    [staff([Role.Ops]), true],
    [staff([Role.StoreStaff], store, me), true],
    [staff([Role.StoreStaff], store, colleague), false],
    [staff([Role.StoreManager], store), true],
    [staff([Role.StoreManager], other), false],
    [{ kind: 'partner', brandId: brand } as Actor, false],
  ])('shows the phone to %j: %s', (actor, shown) => {
    expect(showsDealPhone(actor, deal)).toBe(shown);
  });

  it.each([
    [{ amountFen: 1000, refundedFen: 0 }, undefined, { amountFen: 1000, full: true }],
    [{ amountFen: 1000, refundedFen: 0 }, 400, { amountFen: 400, full: false }],
    [{ amountFen: 1000, refundedFen: 400 }, 600, { amountFen: 600, full: true }],
    [{ amountFen: 1000, refundedFen: 400 }, undefined, { amountFen: 600, full: true }],
    [{ amountFen: 1000, refundedFen: 400 }, 601, { refusal: BookingRefusal.RefundOverAmount }],
    [{ amountFen: 1000, refundedFen: 1000 }, undefined, { refusal: BookingRefusal.FullyRefunded }],
  ])('refund of %j asking %s', (d, asked, expected) => {
    expect(refundOf(d, asked)).toEqual(expected);
  });

  it("takes the card's source first, else the booking's", () => {
    const booking = { channel: Channel.Seo, campaign: null, agentId: null, visitorId: 'v1' };
    expect(dealSource({ channel: Channel.Sem, agentId: 'a1' }, booking)).toEqual({ channel: Channel.Sem, campaign: null, agentId: 'a1', visitorId: null });
    expect(dealSource(undefined, booking)).toBe(booking);
    expect(dealSource(undefined, null)).toBeNull();
  });
});
