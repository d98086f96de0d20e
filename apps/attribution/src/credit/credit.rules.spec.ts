import { Actor, Channel, Role } from '@o2o/contracts';
import { LeadOwnerFact } from '../sources/lead-owners.repository';
import { BookingFact } from '../sources/source-bookings.repository';
import { PhoneFacts } from '../sources/sources.service';
import { CardFact } from '../sources/sources.rules';
import { attribute, attributionReader, ClosedDeal, closedDealOf, flyingOrder } from './credit.rules';

const CLOSED = new Date('2031-06-01T04:00:00.000Z');
const daysBefore = (n: number) => new Date(CLOSED.getTime() - n * 86_400_000);
const PHONE = '13912345678';

const deal = (change: Partial<ClosedDeal> = {}): ClosedDeal => ({
  dealId: 'd1',
  storeId: 'store-1',
  brandId: 'brand-1',
  staffId: 'closer-1',
  phone: PHONE,
  cardNo: null,
  bookingId: null,
  consultationId: null,
  source: null,
  closedAt: CLOSED,
  ...change,
});

const card = (change: Partial<CardFact> = {}): CardFact => ({
  cardNo: '2011111111111111',
  cardId: 'c1',
  phone: PHONE,
  brandIds: [],
  channel: Channel.Sem,
  campaign: 'spring',
  agentId: 'agent-card',
  visitorId: null,
  validFrom: daysBefore(10),
  validTo: daysBefore(-80),
  activatedAt: daysBefore(10),
  status: 'active',
  dealId: null,
  asOf: daysBefore(10),
  ...change,
});

const booking = (change: Partial<BookingFact> = {}): BookingFact => ({
  bookingId: 'b1',
  phone: PHONE,
  consultationId: null,
  storeId: 'store-1',
  channel: Channel.Seo,
  campaign: 'organic',
  agentId: 'agent-booking',
  visitorId: null,
  budgetFen: null,
  at: daysBefore(5),
  ...change,
});

const lead = (change: Partial<LeadOwnerFact> = {}): LeadOwnerFact => ({
  leadId: 'l1',
  phone: PHONE,
  storeId: 'store-2',
  ownerId: 'owner-2',
  protectedUntil: daysBefore(-10),
  since: daysBefore(20),
  asOf: daysBefore(20),
  rank: 1,
  ...change,
});

const facts = (change: Partial<PhoneFacts> = {}): PhoneFacts => ({ cards: [], bookings: [], consultations: [], leads: [], ...change });
const sem = { channel: Channel.Sem, campaign: 'kw', agentId: 'agent-sem', visitorId: null };

describe('attribution lookup order', () => {
  it.each([
    [
      'the card redeemed in the deal, with its source from deal.closed',
      deal({ cardNo: '2099999999999999', bookingId: 'b1', source: sem }),
      facts({ bookings: [booking()] }),
      { via: 'card', channel: 'sem', agentId: 'agent-sem', ref: 'card:2099999999999999' },
    ],
    [
      'the card redeemed, its source from attribution’s copy',
      deal({ cardNo: card().cardNo }),
      facts({ card: card() }),
      { via: 'card', channel: 'sem', agentId: 'agent-card' },
    ],
    ['the card redeemed, known by nothing but its number', deal({ cardNo: '3099999999999999' }), facts(), { via: 'card', channel: 'social', agentId: null }],
    [
      'the deal’s booking when no card',
      deal({ bookingId: 'b1', source: { ...sem, channel: Channel.Seo, agentId: 'agent-b' } }),
      facts({ cards: [card()] }),
      { via: 'booking', channel: 'seo', agentId: 'agent-b', ref: 'booking:b1' },
    ],
    [
      'the deal’s booking, its agent from its consultation',
      deal({ bookingId: 'b1', source: { ...sem, agentId: null } }),
      facts({
        booking: booking({ consultationId: 'k1' }),
        consultations: [{ consultationId: 'k1', phone: PHONE, channel: Channel.Sem, campaign: null, agentId: 'agent-k', recordedAt: daysBefore(6) }],
      }),
      { via: 'booking', channel: 'sem', agentId: 'agent-k' },
    ],
    [
      'the newest of a card and a booking of the phone: the booking',
      deal(),
      facts({ cards: [card()], bookings: [booking()] }),
      { via: 'phone_match', channel: 'seo', agentId: 'agent-booking', ref: 'booking:b1' },
    ],
    [
      'the newest of a card and a booking of the phone: the card',
      deal(),
      facts({ cards: [card({ activatedAt: daysBefore(1) })], bookings: [booking()] }),
      { via: 'phone_match', channel: 'sem', agentId: 'agent-card' },
    ],
    ['a card bought on the window’s first day', deal(), facts({ cards: [card({ activatedAt: daysBefore(90) })] }), { via: 'phone_match', channel: 'sem' }],
    ['a card bought a day before the window', deal(), facts({ cards: [card({ activatedAt: daysBefore(91) })] }), { via: 'none', channel: null, agentId: null }],
    ['a booking made after the close', deal(), facts({ bookings: [booking({ at: daysBefore(-1) })] }), { via: 'none' }],
    [
      'a voided card, then an older booking',
      deal(),
      facts({ cards: [card({ status: 'void', activatedAt: daysBefore(1) })], bookings: [booking()] }),
      { via: 'phone_match', ref: 'booking:b1' },
    ],
    ['a card redeemed in another deal', deal(), facts({ cards: [card({ status: 'redeemed', dealId: 'd0' })] }), { via: 'none' }],
    ['an expired card still counts', deal(), facts({ cards: [card({ status: 'expired' })] }), { via: 'phone_match', channel: 'sem' }],
    ['nothing known of the phone', deal(), facts(), { via: 'none', channel: null, campaign: null, agentId: null, ref: null }],
  ])('%s', (_, d, f, expected) => {
    expect(attribute(d, f, 90).online).toMatchObject(expected);
  });

  it('explains each candidate in order: why taken, why passed over', () => {
    const decision = attribute(
      deal(),
      facts({
        cards: [card({ activatedAt: daysBefore(100), cardNo: '2000000000000001' }), card({ status: 'void', activatedAt: daysBefore(2) })],
        bookings: [booking()],
      }),
      90,
    );
    expect(decision.explain.map((s) => [s.step, s.candidate, s.taken])).toEqual([
      ['card', undefined, false],
      ['booking', undefined, false],
      ['phone_match', 'card:2011111111111111', false],
      ['phone_match', 'booking:b1', true],
      ['phone_match', 'card:2000000000000001', false],
    ]);
    expect(decision.explain[2].why).toBe('the card was voided');
    expect(decision.explain[3].why).toMatch(/^the newest card or booking of the phone inside the 90-day window \(made 5 days before the close\)/);
    expect(decision.explain[4].why).toBe('older than the one taken');
  });

  it('ends in none, saying so', () => {
    const steps = attribute(deal(), facts({ bookings: [booking({ at: daysBefore(120) })] }), 90).explain;
    expect(steps.at(-2)).toMatchObject({ step: 'phone_match', taken: false, why: 'made 120 days before the close, outside the 90-day window' });
    expect(steps.at(-1)).toMatchObject({ step: 'none', taken: true });
  });
});

describe('flying-order suspects', () => {
  it.each([
    ['no card while the phone holds an active card', ['active_card_not_used'], deal(), [card()], []],
    ['the card was used', [], deal({ cardNo: '2099999999999999' }), [card()], []],
    ['the phone’s card is for other brands', [], deal(), [card({ brandIds: ['brand-9'] })], []],
    ['the phone’s card is for this brand', ['active_card_not_used'], deal(), [card({ brandIds: ['brand-1'] })], []],
    ['the phone’s card expired before the close', [], deal(), [card({ validTo: daysBefore(1) })], []],
    ['the phone’s card is redeemed', [], deal(), [card({ status: 'redeemed' })], []],
    ['another store’s lead, protected', ['closed_outside_owner_store'], deal(), [], [lead()]],
    ['the owner’s own store', [], deal(), [], [lead({ storeId: 'store-1' })]],
    ['protection over', [], deal(), [], [lead({ protectedUntil: daysBefore(1) })]],
    ['a lead without an owner', [], deal(), [], [lead({ ownerId: null })]],
    ['a lead made after the close', [], deal(), [], [lead({ since: daysBefore(-1) })]],
    ['both', ['active_card_not_used', 'closed_outside_owner_store'], deal(), [card()], [lead()]],
  ])('%s → %j', (_, reasons, d, cards, leads) => {
    const check = flyingOrder(d, { cards, leads });
    expect(check.reasons).toEqual(reasons);
    expect(check.flags).toEqual(reasons.length ? ['flying_order_suspect'] : []);
    expect(check.explain).toHaveLength(reasons.length);
  });
});

describe('who reads a deal’s attribution', () => {
  const staff = (roles: Role[], staffId?: string, storeId?: string): Actor => ({ kind: 'staff', userId: 'u', roles, staffId, storeId });
  const a = { storeId: 'store-1', staffId: 'closer-1', agentId: 'agent-1' };
  it.each([
    ['admin', 'all', staff([Role.Admin])],
    ['ops', 'all', staff([Role.Ops])],
    ["the store's manager", 'all', staff([Role.StoreManager], 'm1', 'store-1')],
    ["another store's manager", undefined, staff([Role.StoreManager], 'm2', 'store-2')],
    ['the closer', 'own', staff([Role.StoreStaff], 'closer-1', 'store-1')],
    ['a colleague of the closer', undefined, staff([Role.StoreStaff], 'closer-2', 'store-1')],
    ['the credited agent', 'own', staff([Role.Agent], 'agent-1')],
    ['another agent', undefined, staff([Role.Agent], 'agent-2')],
    ['a partner', undefined, { kind: 'partner', keyId: 'k', brandId: 'b' } as Actor],
    ['anonymous', undefined, { kind: 'anonymous' } as Actor],
  ])('%s: %s', (_, access, actor) => {
    expect(attributionReader(actor, a)).toBe(access);
  });
});

describe('deal.closed as attribution reads it', () => {
  const e = { dealId: 'D1', storeId: 's', brandId: 'b', staffId: 'c', phone: PHONE, amountFen: 100, budgetFen: null, closedAt: CLOSED.toISOString() };
  it.each([
    [e, true],
    [{ ...e, amountFen: 0 }, false],
    [{ ...e, amountFen: 1.5 }, false],
    [{ ...e, budgetFen: -1 }, false],
    [{ ...e, closedAt: 'yesterday' }, false],
  ])('%j usable: %s', (event, usable) => {
    expect(closedDealOf(event) !== undefined).toBe(usable);
  });
});
