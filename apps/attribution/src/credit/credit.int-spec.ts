import { ATTRIBUTION, Channel, ConflictView, DealAttributionView, ErrorCode, EVENTS, Page } from '@o2o/contracts';
import { newId } from '@o2o/platform';
import {
  agentOf,
  anonymous,
  at,
  bookingEvent,
  cardEvents,
  consultationEvent,
  count,
  counts,
  dealClosed,
  dealRefunded,
  deliver,
  Harness,
  leadEvent,
  managerOf,
  newPhone,
  ops,
  partnerOf,
  putRules,
  refusal,
  staffOf,
  startAttribution,
} from '../../test/harness';
import { CreditService } from './credit.service';

const sum = (v: DealAttributionView, party?: string, kind?: string) =>
  v.commissions.filter((c) => (!party || c.party === party) && (!kind || c.kind === kind)).reduce((a, c) => a + c.amountFen, 0);

describe('deal attribution from the events (real Postgres and Redis)', () => {
  let h: Harness;
  // Rules are in force from the moment they are set: every deal here closes after that.
  let now: Date;

  beforeAll(async () => {
    h = await startAttribution();
    await putRules(h);
    now = new Date(Date.now() + 1000);
  });
  afterAll(async () => {
    await h?.close();
  });

  const read = (dealId: string, actor = ops) => h.call<DealAttributionView>(ATTRIBUTION.getDealAttribution, { id: dealId }, { actor });

  describe('in lookup order', () => {
    it('credits the card redeemed in the deal first, whatever booking it names, and splits the commission', async () => {
      const phone = newPhone();
      const agent = agentOf();
      const card = cardEvents({ phone, agentId: agent.staffId, activatedAt: at(now, -3) });
      const booking = bookingEvent({ phone, at: at(now, -2), source: { channel: Channel.Seo, campaign: null, agentId: 'someone-else', visitorId: null } });
      await deliver(h, card.activated());
      await deliver(h, booking);
      const { data, event } = dealClosed({
        phone,
        cardNo: card.cardNo,
        bookingId: (booking.data as { bookingId: string }).bookingId,
        source: card.source,
        budgetFen: 400_000,
        closedAt: now.toISOString(),
      });
      await deliver(h, card.redeemed(data.dealId, data.closedAt));
      await deliver(h, event);

      const v = await read(data.dealId);
      expect(v).toMatchObject({
        dealId: data.dealId,
        online: { via: 'card', channel: 'sem', campaign: 'spring', agentId: agent.staffId },
        offline: { storeId: data.storeId, staffId: data.staffId },
        flags: [],
        ruleVersion: 1,
        amountFen: 700_000,
        budgetFen: 400_000,
      });
      expect(sum(v, 'online_agent')).toBe(7000);
      expect(sum(v, 'offline_closer', 'base')).toBe(14_000);
      expect(sum(v, 'offline_closer', 'premium')).toBe(15_000);
      expect(sum(v, 'platform')).toBe(21_000);
      expect(v.commissions.every((c) => c.status === 'pending')).toBe(true);
      expect(v.commissions.find((c) => c.party === 'online_agent')?.staffId).toBe(agent.staffId);
      expect(v.commissions.find((c) => c.party === 'platform')?.staffId).toBeNull();
      expect(v.explain.map((s) => s.step)).toEqual(['card', 'rules', 'entry', 'entry', 'entry', 'entry']);
      expect(v.explain.find((s) => s.step === 'entry' && s.candidate === 'offline_closer premium')?.why).toBe(
        '300000 fen × 500 bp / 10000 = 15000 fen; running floor 36000 − 21000 = 15000 fen',
      );
    });

    it("credits the deal's booking when no card was redeemed, with the agent of the consultation it came from", async () => {
      const phone = newPhone();
      const consultation = consultationEvent({
        phone,
        recordedAt: at(now, -6),
        source: { channel: Channel.Social, campaign: 'wx', agentId: 'agent-k', visitorId: null },
      });
      const consultationId = (consultation.data as { consultationId: string }).consultationId;
      const booking = bookingEvent({
        phone,
        at: at(now, -5),
        consultationId,
        source: { channel: Channel.Social, campaign: 'wx', agentId: null, visitorId: null },
      });
      const bookingId = (booking.data as { bookingId: string }).bookingId;
      await deliver(h, consultation);
      await deliver(h, booking);
      const { data, event } = dealClosed({
        phone,
        bookingId,
        consultationId,
        source: { channel: Channel.Social, campaign: 'wx', agentId: null, visitorId: null },
        closedAt: now.toISOString(),
      });
      await deliver(h, event);
      const v = await read(data.dealId);
      expect(v.online).toEqual({ via: 'booking', channel: 'social', campaign: 'wx', agentId: 'agent-k' });
      expect(v.explain[0]).toMatchObject({ step: 'card', taken: false });
      expect(v.explain[1]).toMatchObject({ step: 'booking', candidate: `booking:${bookingId}`, taken: true });
      expect(sum(v, 'online_agent')).toBe(7000);
      // No budget: no premium, and the explanation says so.
      expect(v.explain).toContainEqual({ step: 'entry', candidate: 'offline_closer premium', taken: false, why: 'no budget is known: no premium' });
    });

    it('matches the newest card or booking of the phone inside the window', async () => {
      const phone = newPhone();
      const old = bookingEvent({ phone, at: at(now, -40), source: { channel: Channel.Seo, campaign: null, agentId: 'agent-old', visitorId: null } });
      const newer = cardEvents({ phone, agentId: 'agent-new', channel: Channel.Partner, activatedAt: at(now, -10) });
      await deliver(h, old);
      await deliver(h, newer.activated());
      const { data, event } = dealClosed({ phone, closedAt: now.toISOString() });
      await deliver(h, event);
      const v = await read(data.dealId);
      expect(v.online).toEqual({ via: 'phone_match', channel: 'partner', campaign: 'spring', agentId: 'agent-new' });
      expect(v.explain.filter((s) => s.step === 'phone_match').map((s) => [s.candidate, s.taken])).toEqual([
        [`card:${newer.cardNo}`, true],
        [`booking:${(old.data as { bookingId: string }).bookingId}`, false],
      ]);
    });

    it('passes over what lies outside the window and credits none', async () => {
      const phone = newPhone();
      const stale = bookingEvent({ phone, at: at(now, -91), source: { channel: Channel.Sem, campaign: null, agentId: 'agent-stale', visitorId: null } });
      await deliver(h, stale);
      const { data, event } = dealClosed({ phone, closedAt: now.toISOString() });
      await deliver(h, event);
      const v = await read(data.dealId);
      expect(v.online).toEqual({ via: 'none' });
      expect(v.explain.find((s) => s.step === 'phone_match')).toMatchObject({ taken: false, why: 'made 91 days before the close, outside the 90-day window' });
      expect(v.explain.find((s) => s.step === 'none')).toMatchObject({ taken: true });
      // No agent: the closer and the platform only.
      expect(v.commissions.map((c) => c.party).sort()).toEqual(['offline_closer', 'platform']);
    });

    it('credits none when nothing is known of the phone', async () => {
      const { data, event } = dealClosed({ phone: newPhone(), closedAt: now.toISOString() });
      await deliver(h, event);
      expect((await read(data.dealId)).online).toEqual({ via: 'none' });
    });
  });

  describe('flying orders', () => {
    it('flags a deal closed without a card while the phone holds an active card, and one closed by another store inside the protection', async () => {
      const phone = newPhone();
      const card = cardEvents({ phone, activatedAt: at(now, -3) });
      await deliver(h, card.activated());
      const dodged = dealClosed({ phone, closedAt: now.toISOString() });
      await deliver(h, dodged.event);

      const leadPhone = newPhone();
      const ownerStore = newId();
      await deliver(h, leadEvent(EVENTS.leadAssigned, { phone: leadPhone, storeId: ownerStore, ownerId: newId(), at: at(now, -2) }));
      const poached = dealClosed({ phone: leadPhone, closedAt: now.toISOString() });
      const own = dealClosed({ phone: leadPhone, storeId: ownerStore, closedAt: now.toISOString() });
      await deliver(h, poached.event);
      await deliver(h, own.event);

      expect((await read(dodged.data.dealId)).flags).toEqual(['flying_order_suspect']);
      expect((await read(dodged.data.dealId)).explain).toContainEqual(expect.objectContaining({ step: 'flag', candidate: `card:${card.cardNo}`, taken: true }));
      expect((await read(poached.data.dealId)).flags).toEqual(['flying_order_suspect']);
      expect((await read(own.data.dealId)).flags).toEqual([]);

      const conflicts = await h.call<Page<ConflictView>>(ATTRIBUTION.listConflicts, { limit: 100 }, { actor: ops });
      const byDeal = new Map(conflicts.items.map((c) => [c.dealId, c]));
      expect(byDeal.get(dodged.data.dealId)).toMatchObject({
        reasons: ['active_card_not_used'],
        flags: ['flying_order_suspect'],
        phoneMasked: `${phone.slice(0, 3)}****${phone.slice(7)}`,
      });
      expect(byDeal.get(poached.data.dealId)).toMatchObject({ reasons: ['closed_outside_owner_store'] });
      expect(byDeal.has(own.data.dealId)).toBe(false);
      expect((await refusal(h.call(ATTRIBUTION.listConflicts, {}, { actor: agentOf() }))).code).toBe(ErrorCode.Forbidden);
    });

    it('pages the conflicts', async () => {
      const first = await h.call<Page<ConflictView>>(ATTRIBUTION.listConflicts, { limit: 1 }, { actor: ops });
      expect(first.items).toHaveLength(1);
      const second = await h.call<Page<ConflictView>>(ATTRIBUTION.listConflicts, { limit: 1, cursor: first.nextCursor }, { actor: ops });
      expect(second.items[0].dealId).not.toBe(first.items[0].dealId);
      expect((await refusal(h.call(ATTRIBUTION.listConflicts, { cursor: 'nope' }, { actor: ops }))).code).toBe(ErrorCode.BadInput);
    });
  });

  describe('refunds', () => {
    it('throws a refund that arrives before its deal, so that it is retried; once the deal is credited the retry claws back', async () => {
      const phone = newPhone();
      const { data, event } = dealClosed({
        phone,
        budgetFen: 400_000,
        source: { channel: Channel.Sem, campaign: null, agentId: 'agent-r', visitorId: null },
        bookingId: newId(),
        closedAt: now.toISOString(),
      });
      const refund = dealRefunded(data, { amountFen: 700_000, refundedTotalFen: 700_000, at: at(now, 1) });
      await expect(deliver(h, refund)).rejects.toThrow(/before deal.closed/);
      expect(await count(h, 'processed_events', 'event_id = $1', [refund.id])).toBe(0);
      expect(await count(h, 'commissions', 'deal_id = $1', [data.dealId])).toBe(0);

      await deliver(h, event);
      expect(await deliver(h, refund)).toBe(true);
      const v = await read(data.dealId);
      const clawbacks = v.commissions.filter((c) => c.kind === 'clawback');
      expect(clawbacks).toHaveLength(4);
      expect(clawbacks.every((c) => c.amountFen < 0 && c.refundId === (refund.data as { refundId: string }).refundId)).toBe(true);
      expect(sum(v)).toBe(0);
      // Never paid: reversed, entries and clawbacks alike.
      expect(v.commissions.every((c) => c.status === 'reversed')).toBe(true);
      expect(v.explain.filter((s) => s.step === 'clawback')).toHaveLength(4);
    });

    it('claws back partial refunds in proportion, and every party nets to 0 once the whole amount is refunded', async () => {
      const { data, event } = dealClosed({
        phone: newPhone(),
        amountFen: 999_999,
        budgetFen: 333_333,
        source: { channel: Channel.Sem, campaign: null, agentId: 'agent-p', visitorId: null },
        bookingId: newId(),
        closedAt: now.toISOString(),
      });
      await deliver(h, event);
      const slices = [
        [333_333, 333_333],
        [1, 333_334],
        [666_665, 999_999],
      ];
      await deliver(h, dealRefunded(data, { amountFen: slices[0][0], refundedTotalFen: slices[0][1], at: at(now, 1) }));
      const partial = await read(data.dealId);
      for (const party of ['online_agent', 'offline_closer', 'platform']) expect(sum(partial, party)).toBeGreaterThan(0);
      expect(partial.commissions.filter((c) => c.kind !== 'clawback').every((c) => c.status === 'pending')).toBe(true);
      for (const [amount, total] of slices.slice(1)) await deliver(h, dealRefunded(data, { amountFen: amount, refundedTotalFen: total, at: at(now, 2) }));
      const full = await read(data.dealId);
      for (const party of ['online_agent', 'offline_closer', 'platform']) expect(sum(full, party)).toBe(0);
    });

    it('skips a refund that does not fit its deal, writing nothing', async () => {
      const { data, event } = dealClosed({ phone: newPhone(), closedAt: now.toISOString() });
      await deliver(h, event);
      const before = await counts(h);
      expect(await deliver(h, dealRefunded(data, { amountFen: 100, refundedTotalFen: 800_000, at: at(now, 1) }))).toBe(true);
      expect(await counts(h)).toEqual(before);
    });
  });

  describe('who reads it', () => {
    let dealId: string;
    let storeId: string;
    let closer: ReturnType<typeof staffOf>;
    let agent: ReturnType<typeof agentOf>;

    beforeAll(async () => {
      storeId = newId();
      closer = staffOf(storeId);
      agent = agentOf();
      const { data, event } = dealClosed({
        phone: newPhone(),
        storeId,
        staffId: closer.staffId,
        bookingId: newId(),
        source: { channel: Channel.Sem, campaign: null, agentId: agent.staffId, visitorId: null },
        closedAt: now.toISOString(),
      });
      dealId = data.dealId;
      await deliver(h, event);
    });

    it('shows ops and the manager of the store every entry, the closer and the credited agent their own', async () => {
      expect((await read(dealId, ops)).commissions).toHaveLength(3);
      expect((await read(dealId, managerOf(storeId))).commissions).toHaveLength(3);
      const mine = await read(dealId, closer);
      expect(mine.commissions.map((c) => c.party)).toEqual(['offline_closer']);
      expect(mine.explain.filter((s) => s.step === 'entry' && s.taken).map((s) => s.candidate)).toEqual(['offline_closer base']);
      expect((await read(dealId, agent)).commissions.map((c) => c.party)).toEqual(['online_agent']);
    });

    it('answers 404 to other staff and for an unknown deal, refuses anonymous callers and partners, and 400 for a bad id', async () => {
      for (const other of [staffOf(storeId), managerOf(newId()), agentOf()]) expect((await refusal(read(dealId, other))).code).toBe(ErrorCode.NotFound);
      expect((await refusal(read(newId()))).code).toBe(ErrorCode.NotFound);
      expect((await refusal(read(dealId, anonymous))).code).toBe(ErrorCode.Forbidden);
      expect((await refusal(read(dealId, partnerOf(newId())))).code).toBe(ErrorCode.Forbidden);
      expect(await refusal(read('not-a-uuid'))).toMatchObject({ code: ErrorCode.BadInput, fields: ['id'] });
    });
  });

  it('skips a deal.closed whose amount is not usable, crediting nothing', async () => {
    const before = await counts(h);
    const { data } = dealClosed({ phone: newPhone(), amountFen: -5, closedAt: now.toISOString() });
    expect(await h.get(CreditService).dealClosed(data)).toEqual({ channel: 'none', agentId: null });
    expect(await counts(h)).toEqual(before);
  });
});
