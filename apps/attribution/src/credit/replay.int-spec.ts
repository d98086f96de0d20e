import { ATTRIBUTION, Channel, DealAttributionView, EventEnvelope } from '@o2o/contracts';
import { newId } from '@o2o/platform';
import {
  at,
  bookingEvent,
  cardEvents,
  dealClosed,
  dealRefunded,
  deliver,
  Harness,
  newPhone,
  ops,
  putRules,
  redelivered,
  startAttribution,
} from '../../test/harness';

/** Every row of attribution's tables, in a fixed order, to compare before and after. */
async function snapshot(h: Harness): Promise<Record<string, unknown[]>> {
  const tables: [string, string][] = [
    ['deal_attributions', 'deal_id'],
    ['commissions', 'id'],
    ['source_cards', 'card_no'],
    ['source_bookings', 'booking_id'],
    ['commission_rules', 'version'],
  ];
  const entries = await Promise.all(tables.map(async ([t, key]) => [t, await h.ds.query(`SELECT * FROM ${t} ORDER BY ${key}`)] as const));
  return Object.fromEntries(entries);
}

/** Delivers events in the order given, as the queues would: one that throws is retried after the others. */
async function deliverAll(h: Harness, events: EventEnvelope[]): Promise<void> {
  let pending = events;
  for (let round = 0; pending.length > 0; round++) {
    if (round > events.length) throw new Error('events still refused after every other was delivered');
    const retry: EventEnvelope[] = [];
    for (const e of pending) await deliver(h, e).catch(() => retry.push(e));
    pending = retry;
  }
}

/** A deal's life: a card bought, a booking, the deal with the card, two refunds, the card's reversal. */
function story() {
  const phone = newPhone();
  const base = new Date(Date.now() + 1000);
  const card = cardEvents({ phone, agentId: 'agent-replay', activatedAt: at(base, -3) });
  const booking = bookingEvent({
    phone,
    at: at(base, -2),
    budgetFen: 400_000,
    source: { channel: Channel.Seo, campaign: null, agentId: 'agent-b', visitorId: null },
  });
  const { data, event: closed } = dealClosed({
    phone,
    cardNo: card.cardNo,
    bookingId: (booking.data as { bookingId: string }).bookingId,
    source: card.source,
    amountFen: 733_333,
    budgetFen: 400_000,
    closedAt: base.toISOString(),
  });
  const events = [
    card.activated(),
    booking,
    card.redeemed(data.dealId, at(base, 0)),
    closed,
    dealRefunded(data, { amountFen: 233_333, refundedTotalFen: 233_333, at: at(base, 1) }),
    dealRefunded(data, { amountFen: 500_000, refundedTotalFen: 733_333, at: at(base, 2) }),
    card.reversed(data.dealId, at(base, 2, 1)),
  ];
  return { dealId: data.dealId, cardNo: card.cardNo, events };
}

/** What a story ended as, without its ids, to compare stories told in different orders. */
async function outcome(h: Harness, s: { dealId: string; cardNo: string }) {
  const v = await h.call<DealAttributionView>(ATTRIBUTION.getDealAttribution, { id: s.dealId }, { actor: ops });
  const [card] = await h.ds.query(
    'SELECT status, deal_id, phone IS NOT NULL AS has_phone, activated_at IS NOT NULL AS activated FROM source_cards WHERE card_no = $1',
    [s.cardNo],
  );
  return {
    online: v.online,
    flags: v.flags,
    ruleVersion: v.ruleVersion,
    lines: v.commissions.map((c) => `${c.party}/${c.kind}/${c.amountFen}/${c.status}`).sort(),
    card,
  };
}

const shuffle = <T>(items: T[], seed: number): T[] => {
  const out = [...items];
  let x = seed;
  for (let i = out.length - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
};

describe('replays and the order of arrival (real Postgres and Redis)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startAttribution();
    await putRules(h);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('changes nothing when deal.closed, deal.refunded and the card events are replayed, under new event ids, in any order', async () => {
    const s = story();
    await deliverAll(h, s.events);
    const before = await snapshot(h);
    const told = await outcome(h, s);
    expect(told.lines.filter((l) => l.includes('/clawback/'))).toHaveLength(8);

    for (const seed of [1, 2, 3]) {
      for (const e of shuffle(s.events, seed)) expect(await deliver(h, redelivered(e))).toBe(true);
    }
    // The same ids again are recognised and not applied at all.
    for (const e of s.events) expect(await deliver(h, e)).toBe(false);
    expect(await snapshot(h)).toEqual(before);
    expect(await outcome(h, s)).toEqual(told);
  });

  it('ends in the same attribution, ledger and card state whatever order the events arrive in, refunds before their deal included', async () => {
    const orders: ((events: EventEnvelope[]) => EventEnvelope[])[] = [
      (e) => e,
      (e) => [...e].reverse(),
      (e) => [e[4], e[5], e[6], ...e.slice(0, 4)],
      (e) => shuffle(e, 7),
      (e) => shuffle(e, 11),
    ];
    const outcomes = [];
    for (const order of orders) {
      const s = story();
      await deliverAll(h, order(s.events));
      outcomes.push(await outcome(h, s));
    }
    for (const o of outcomes.slice(1)) expect(o).toEqual(outcomes[0]);
    expect(outcomes[0]).toMatchObject({
      online: { via: 'card', agentId: 'agent-replay' },
      card: { status: 'active', deal_id: null, has_phone: true, activated: true },
    });
    // Fully refunded before any approval: every line reversed, nothing owed.
    expect(outcomes[0].lines.every((l) => l.endsWith('/reversed'))).toBe(true);
  });

  it('keeps the newest card state whatever order its events arrive in', async () => {
    const phone = newPhone();
    const t = new Date();
    const card = cardEvents({ phone, activatedAt: at(t, -5) });
    const dealId = newId();
    const events = [card.activated(), card.redeemed(dealId, at(t, -4)), card.reversed(dealId, at(t, -3)), card.ended('card.voided', at(t, -2))];
    for (const e of [...events].reverse()) await deliver(h, e);
    const [row] = await h.ds.query('SELECT status, phone, deal_id, activated_at FROM source_cards WHERE card_no = $1', [card.cardNo]);
    expect(row).toMatchObject({ status: 'void', phone, deal_id: null });
    expect(row.activated_at.toISOString()).toBe(at(t, -5));
  });
});
