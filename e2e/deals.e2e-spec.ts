import { eventually } from '@o2o/testing';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createLogin, signIn } from './support/logins';
import { dayFromNow, newPhone, O2OSetup, Person, unissuedCardNo } from './support/o2o-setup';
import { http, HttpAnswer, RunningStack, startStack } from './support/stack';

jest.setTimeout(300_000);

interface Problem {
  status: number;
  reason?: string;
  detail?: string;
  errors?: { field: string; message: string }[];
}
interface Booking {
  id: string;
  status: string;
  storeId: string | null;
  appointmentAt: string | null;
}
interface Slot {
  start: string;
  end: string;
  capacity: number;
  booked: number;
}
interface Refund {
  id: string;
  dealId: string;
  amountFen: number;
  full: boolean;
  refundedTotalFen: number;
  cardReversal: string;
}
interface Deal {
  id: string;
  status: string;
  storeId: string;
  brandId: string;
  staffId: string;
  customerPhone: string;
  bookingId: string | null;
  cardNo?: string;
  amountFen: number;
  discountFen: number;
  payableFen: number;
  refundedFen: number;
  refunds?: Refund[];
  source: { channel: string; campaign: string | null; agentId: string | null; visitorId: string | null } | null;
}

const MISSING = '0190f1c2-0000-7000-8000-0000000000ee';
const fieldsOf = (res: HttpAnswer) => ((res.body as Problem | null)?.errors ?? []).map((e) => e.field);
const names = (res: HttpAnswer, field: string) => fieldsOf(res).some((f) => f === field || f.startsWith(`${field}.`));
const reasonOf = (res: HttpAnswer) => (res.body as Problem | null)?.reason;
const isProblem = (res: HttpAnswer) => res.type.includes('application/problem+json');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Booking orders, deals with privilege cards, refunds and who may do what, through the gateway
 * over HTTP (shared/API.md, "Consultations, booking orders, deals" and "Privilege cards").
 */
describe('bookings, deals and refunds through the gateway', () => {
  let stack: RunningStack;
  let db: Client;
  let redis: Redis;
  let setup: O2OSetup;
  let admin: string;
  let ops: string;
  let brandA: string;
  let brandB: string;
  let storeA: string;
  let storeB: string;
  let sales1: Person;
  let sales2: Person;
  let managerA: Person;
  let salesB: Person;
  let keyA: string;
  let keyB: string;
  /** brand A, 500 yuan off from 3,000 yuan. */
  let amountOff: string;
  /** brand A, 10 % off, at most 300 yuan. */
  let percentOff: string;
  /** brand B only. */
  let otherBrandCampaign: string;
  /** The deal with a percent-off card, refunded in the refunds tests. */
  let cardDeal: Deal;
  let cardDealPhone: string;
  /** A slot of store A filled by the parallel confirmations. */
  let fullSlot: string;

  const as = (token: string, headers: Record<string, string> = {}) => ({ token, headers });
  const withKey = (key: string) => ({ headers: { 'x-api-key': key } });
  const idem = (key: string) => ({ 'idempotency-key': key });
  const count = async (from: string, params: unknown[] = []) => Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${from}`, params)).rows[0].n);
  const dealRows = () => count('booking.deals');

  /** Everything the booking and deal routes could change, in one comparable value. */
  const snapshot = async () => {
    const counts: Record<string, number> = {};
    for (const t of ['consultations', 'bookings', 'booking_changes', 'deals', 'refunds', 'slot_loads']) counts[t] = await count(`booking.${t}`);
    const { rows } = await db.query<{ booked: string; bookings: string | null; refunded: string; deals: string | null; cards: string | null }>(`
      SELECT (SELECT coalesce(sum(booked), 0) FROM booking.slot_loads) AS booked,
             (SELECT string_agg(id || ':' || status || ':' || coalesce(appointment_at::text, '-'), ',' ORDER BY id) FROM booking.bookings) AS bookings,
             (SELECT coalesce(sum(refunded_fen), 0) FROM booking.deals) AS refunded,
             (SELECT string_agg(id || ':' || status, ',' ORDER BY id) FROM booking.deals) AS deals,
             (SELECT string_agg(card_no || ':' || status, ',' ORDER BY card_no) FROM coupons.cards) AS cards`);
    return { counts, ...rows[0] };
  };

  const booking = (body: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    http<Booking & Problem>(stack.url, 'POST', '/v1/bookings', {
      headers,
      body: {
        customer: { name: 'Ms Wang', phone: newPhone() },
        city: 'Shanghai',
        storeId: storeA,
        brandIds: [brandA],
        kind: 'store_visit',
        preferredAt: `${dayFromNow(2)}T04:00:00.000Z`,
        source: { channel: 'sem', campaign: 'kw-deals' },
        ...body,
      },
    });
  const newBooking = async (body: Record<string, unknown> = {}) => {
    const res = await booking(body);
    expect(res.status).toBe(201);
    return res.body;
  };
  const slotsOf = async (storeId: string, date: string) => {
    const res = await http<Slot[]>(stack.url, 'GET', `/v1/stores/${storeId}/slots?date=${date}`);
    expect(res.status).toBe(200);
    return res.body;
  };
  const act = (token: string, id: string, action: string, body?: unknown, headers: Record<string, string> = {}) =>
    http<Booking & Problem>(stack.url, 'POST', `/v1/bookings/${id}/${action}`, { ...as(token, headers), body });

  const dealBody = (over: Record<string, unknown> = {}) => ({
    storeId: storeA,
    brandId: brandA,
    staffId: sales1.id,
    customer: { phone: newPhone(), name: 'Mr Li' },
    amountFen: 500_000,
    items: [{ skuCode: 'T2', qty: 1, priceFen: 500_000 }],
    ...over,
  });
  const postDeal = (caller: { token?: string; headers?: Record<string, string> }, body: unknown, key?: string) =>
    http<Deal & Problem>(stack.url, 'POST', '/v1/deals', { ...caller, headers: { ...caller.headers, ...(key ? idem(key) : {}) }, body });
  const getDeal = (caller: { token?: string; headers?: Record<string, string> }, id: string) =>
    http<Deal & Problem>(stack.url, 'GET', `/v1/deals/${id}`, caller);
  const refund = (token: string, id: string, body: unknown, key?: string) =>
    http<Refund & Problem>(stack.url, 'POST', `/v1/deals/${id}/refund`, { ...as(token, key ? idem(key) : {}), body });
  const cardView = async (cardNo: string) => (await http<{ status: string }>(stack.url, 'GET', `/v1/cards/${cardNo}`)).body;
  /** Every deal GET /v1/deals shows the caller, page after page. */
  const listDeals = async (caller: { token?: string; headers?: Record<string, string> }, query = '') => {
    const all: Deal[] = [];
    for (let cursor: string | null = null; ;) {
      const path = `/v1/deals?limit=100${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res: HttpAnswer<{ items: Deal[]; nextCursor: string | null }> = await http(stack.url, 'GET', path, caller);
      expect(res.status).toBe(200);
      all.push(...res.body.items);
      if (!res.body.nextCursor) return all;
      cursor = res.body.nextCursor;
    }
  };

  beforeAll(async () => {
    stack = await startStack({ RATE_LIMIT_PER_MINUTE: '1000000', REQUEST_TIMEOUT_MS: '20000' });
    db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
    redis = new Redis(stack.env.REDIS_URL!, { lazyConnect: true, maxRetriesPerRequest: 1 });
    admin = await signIn(stack, 'admin', 'admin');
    await createLogin(stack, { username: 'olga-ops', password: 'ops-pass-1', roles: ['ops'] });
    ops = await signIn(stack, 'olga-ops', 'ops-pass-1');
    setup = new O2OSetup(stack, admin, db);

    [brandA, brandB] = [await setup.brand('Nine Mu'), await setup.brand('Other Tiles', ['tiles'])];
    storeA = await setup.storeWithBrands({ name: 'Zhenbei', city: 'Shanghai', slotCapacity: 2 }, [brandA]);
    storeB = await setup.storeWithBrands({ name: 'Xujiahui', city: 'Shanghai', slotCapacity: 2 }, [brandA]);
    sales1 = await setup.salesperson('Sales One', storeA, [brandA], 'sales-one');
    sales2 = await setup.salesperson('Sales Two', storeA, [brandA], 'sales-two');
    managerA = await setup.salesperson('Manager A', storeA, [brandA], 'manager-a', 'store_manager');
    salesB = await setup.salesperson('Sales B', storeB, [brandA], 'sales-b');
    [keyA, keyB] = [await setup.apiKey(brandA), await setup.apiKey(brandB)];

    amountOff = await setup.campaign('500 off', { type: 'amount_off', value: 50_000, minSpendFen: 300_000 }, { brandIds: [brandA] });
    percentOff = await setup.campaign('10 % off', { type: 'percent_off', value: 10, maxDiscountFen: 30_000 }, { brandIds: [brandA] });
    otherBrandCampaign = await setup.campaign('Other brand', { type: 'amount_off', value: 20_000 }, { brandIds: [brandB] });
  });
  afterAll(async () => {
    redis?.disconnect();
    await db?.end();
    if (stack) await stack.stop();
  });

  describe('booking orders', () => {
    it('refuses a bad phone, a home measurement without address and an unknown store, naming the field, and makes nothing', async () => {
      const before = await count('booking.bookings');
      const badPhone = await booking({ customer: { name: 'x', phone: '123' } });
      expect([badPhone.status, isProblem(badPhone), fieldsOf(badPhone)]).toEqual([400, true, expect.arrayContaining(['customer.phone'])]);
      const noAddress = await booking({ kind: 'home_measure' });
      expect([noAddress.status, isProblem(noAddress), fieldsOf(noAddress)]).toEqual([400, true, expect.arrayContaining(['address'])]);
      const unknownStore = await booking({ storeId: MISSING });
      expect([unknownStore.status, isProblem(unknownStore), fieldsOf(unknownStore)]).toEqual([422, true, ['storeId']]);
      expect(reasonOf(unknownStore)).toBe('unknown_store');
      expect(await count('booking.bookings')).toBe(before);

      const measured = await booking({ kind: 'home_measure', address: '88 Lane 5, Putuo' });
      expect([measured.status, measured.body.status]).toEqual([201, 'created']);
    });

    it('gives 10 parallel confirmations into one slot of capacity 2 exactly two places, and the other 8 a 409', async () => {
      const bookings = [];
      for (let i = 0; i < 10; i++) bookings.push(await newBooking());
      const slots = await slotsOf(storeA, dayFromNow(2));
      expect(slots.length).toBe(12); // 09:00 to 21:00, 60 minutes each
      fullSlot = slots[3].start;
      expect(slots[3]).toMatchObject({ capacity: 2, booked: 0 });

      const tokens = [ops, sales1.token, sales2.token, managerA.token];
      const answers = await Promise.all(bookings.map((b, i) => act(tokens[i % tokens.length], b.id, 'confirm', { appointmentAt: fullSlot })));
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).toEqual([200, 200, ...Array(8).fill(409)]);
      for (const a of answers.filter((x) => x.status === 409)) {
        expect([isProblem(a), reasonOf(a)]).toEqual([true, 'slot_full']);
      }
      const winners = answers.filter((a) => a.status === 200);
      expect(winners.map((w) => [w.body.status, w.body.appointmentAt])).toEqual([
        ['confirmed', fullSlot],
        ['confirmed', fullSlot],
      ]);

      const after = (await slotsOf(storeA, dayFromNow(2))).find((s) => s.start === fullSlot);
      expect(after).toMatchObject({ capacity: 2, booked: 2 });
      // The losers are left as they were: created, with no appointment and no second history entry.
      const { rows } = await db.query<{ status: string; n: string }>(
        `SELECT b.status, count(c.id) AS n FROM booking.bookings b JOIN booking.booking_changes c ON c.booking_id = b.id
         WHERE b.id = ANY($1::uuid[]) GROUP BY b.id, b.status ORDER BY b.status`,
        [bookings.map((b) => b.id)],
      );
      expect(rows.map((r) => [r.status, Number(r.n)])).toEqual([...Array(2).fill(['confirmed', 2]), ...Array(8).fill(['created', 1])]);
      const load = await db.query<{ booked: number }>('SELECT booked FROM booking.slot_loads WHERE store_id = $1 AND slot_start = $2', [storeA, fullSlot]);
      expect(load.rows).toEqual([{ booked: 2 }]);
    });
  });

  describe('deals', () => {
    it('closes a walk-in deal without card or booking, with no discount', async () => {
      const before = await dealRows();
      const phone = newPhone();
      const res = await postDeal(as(sales1.token), dealBody({ customer: { phone }, amountFen: 120_000, items: undefined }));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ status: 'closed', amountFen: 120_000, discountFen: 0, payableFen: 120_000, refundedFen: 0, bookingId: null });
      expect(res.body.cardNo).toBeUndefined();
      expect(res.body.customerPhone).toBe(phone); // the salesperson who closed it
      expect(await dealRows()).toBe(before + 1);
    });

    it("closes a deal with a card at the campaign's discount, redeeming the card", async () => {
      const percentCard = await setup.activeCard(percentOff);
      const booked = await newBooking();
      cardDealPhone = newPhone();
      const res = await postDeal(
        as(sales1.token),
        dealBody({ cardNo: percentCard, bookingId: booked.id, customer: { phone: cardDealPhone, name: 'Ms Zhao' }, amountFen: 500_000 }),
        'card-deal',
      );
      expect(res.status).toBe(201);
      // 10 % of 5,000 yuan is 500 yuan, capped at 300 yuan.
      expect(res.body).toMatchObject({
        status: 'closed',
        cardNo: percentCard,
        amountFen: 500_000,
        discountFen: 30_000,
        payableFen: 470_000,
        bookingId: booked.id,
      });
      cardDeal = res.body;
      expect((await cardView(percentCard)).status).toBe('redeemed');

      const small = await setup.activeCard(percentOff);
      const smaller = await postDeal(as(sales2.token), dealBody({ staffId: sales2.id, cardNo: small, amountFen: 123_456 }));
      expect(smaller.body).toMatchObject({ discountFen: 12_345, payableFen: 111_111 }); // 10 %, rounded down
    });

    it('lets exactly one of 25 parallel deals with the same card close; the others are refused, never 5xx', async () => {
      const cardNo = await setup.activeCard(amountOff);
      const body = dealBody({ cardNo, amountFen: 300_000 });
      const answers = await Promise.all(Array.from({ length: 25 }, () => postDeal(as(sales1.token), body, randomUUID())));
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s >= 500)).toEqual([]);
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s !== 201 && s !== 422 && s !== 409)).toEqual([]);
      for (const a of answers.filter((x) => x.status === 422)) expect(reasonOf(a)).toBe('card_used');
      const winner = answers.find((a) => a.status === 201)!.body;
      expect(winner).toMatchObject({ cardNo, amountFen: 300_000, discountFen: 50_000, payableFen: 250_000 });

      const deals = await db.query<{ id: string; status: string }>('SELECT id, status FROM booking.deals WHERE card_no = $1', [cardNo]);
      expect(deals.rows).toEqual([{ id: winner.id, status: 'closed' }]);
      const card = await db.query<{ status: string; redemptions: string; live: string; deal_id: string }>(
        `SELECT c.status, count(r.id) AS redemptions, count(r.id) FILTER (WHERE r.reversed_at IS NULL) AS live, max(r.deal_id::text) AS deal_id
         FROM coupons.cards c LEFT JOIN coupons.redemptions r ON r.card_id = c.id WHERE c.card_no = $1 GROUP BY c.id`,
        [cardNo],
      );
      expect(card.rows).toEqual([{ status: 'redeemed', redemptions: '1', live: '1', deal_id: winner.id }]);
    });
  });

  describe('refusals that record nothing', () => {
    it('refuses a used card with 422 card_used', async () => {
      const used = cardDeal.cardNo!;
      const before = await snapshot();
      const res = await postDeal(as(sales1.token), dealBody({ cardNo: used }), randomUUID());
      expect([res.status, isProblem(res), reasonOf(res), fieldsOf(res)]).toEqual([422, true, 'card_used', ['cardNo']]);
      expect(await snapshot()).toEqual(before);
    });

    it('refuses an unknown card with a valid check digit with 422 card_not_found', async () => {
      const before = await snapshot();
      const res = await postDeal(as(sales1.token), dealBody({ cardNo: unissuedCardNo() }), randomUUID());
      expect([res.status, isProblem(res), reasonOf(res), fieldsOf(res)]).toEqual([422, true, 'card_not_found', ['cardNo']]);
      expect(await snapshot()).toEqual(before);
    });

    it("refuses the card of another brand's campaign with 422 wrong_brand, leaving the card active", async () => {
      const cardNo = await setup.activeCard(otherBrandCampaign);
      const before = await snapshot();
      const res = await postDeal(as(sales1.token), dealBody({ cardNo }), randomUUID());
      expect([res.status, isProblem(res), reasonOf(res), fieldsOf(res)]).toEqual([422, true, 'wrong_brand', ['cardNo']]);
      expect(await snapshot()).toEqual(before);
      expect((await cardView(cardNo)).status).toBe('active');
    });

    it('answers 503 while coupons is unreachable and records nothing; the card is usable once coupons is back', async () => {
      const cardNo = await setup.activeCard(amountOff);
      process.kill(stack.pids.get('coupons')!, 'SIGKILL');
      try {
        await eventually(
          async () => (await http<{ services?: Record<string, string> }>(stack.url, 'GET', '/health')).body?.services?.coupons === 'down',
          30_000,
          200,
        );
        // /health says down once its 2 s ask times out; booking goes by coupons' heartbeat, which
        // lapses up to 3.5 s after the kill. Wait for that, then for booking's next look (every 0.5 s).
        await eventually(async () => (await redis.zcount(`${stack.env.O2O_NAMESPACE}:alive:coupons`, Date.now(), '+inf')) === 0, 30_000, 200);
        await sleep(2000);
        const before = await snapshot();
        const res = await postDeal(as(sales1.token), dealBody({ cardNo }), randomUUID());
        expect([res.status, isProblem(res)]).toEqual([503, true]);
        expect(await snapshot()).toEqual(before);
        expect(await count('booking.deals WHERE card_no = $1', [cardNo])).toBe(0);
      } finally {
        stack.startApp('coupons');
        await eventually(async () => (await http(stack.url, 'GET', '/health')).status === 200, 60_000, 250);
      }
      expect((await cardView(cardNo)).status).toBe('active');
      const after = await postDeal(as(sales1.token), dealBody({ cardNo, amountFen: 400_000 }), randomUUID());
      expect([after.status, after.body.discountFen]).toEqual([201, 50_000]);
    });
  });

  describe('who a deal may name as its closer', () => {
    it("refuses a made-up staffId and another store's salesperson with 422 naming staffId, from a partner key and from the store's manager, and records nothing", async () => {
      const phone = newPhone();
      const madeUp = randomUUID();
      const cardNo = await setup.activeCard(amountOff);
      const before = await snapshot();
      const tries: [string, { token?: string; headers?: Record<string, string> }, string][] = [
        ['partner key, made-up staffId', withKey(keyA), madeUp],
        ["partner key, another store's salesperson", withKey(keyA), salesB.id],
        ['store manager, made-up staffId', as(managerA.token), madeUp],
        ["store manager, another store's salesperson", as(managerA.token), salesB.id],
      ];
      const seen = [];
      for (const [what, caller, staffId] of tries) {
        const res = await postDeal(caller, dealBody({ staffId, customer: { phone } }), randomUUID());
        seen.push({ what, status: res.status, problem: isProblem(res), reason: reasonOf(res), fields: fieldsOf(res) });
      }
      expect(seen).toEqual(tries.map(([what]) => ({ what, status: 422, problem: true, reason: 'staff_not_at_store', fields: ['staffId'] })));
      // With a card too: refused before the card is touched.
      const withCard = await postDeal(withKey(keyA), dealBody({ staffId: salesB.id, cardNo, amountFen: 400_000 }), randomUUID());
      expect([withCard.status, reasonOf(withCard), fieldsOf(withCard)]).toEqual([422, 'staff_not_at_store', ['staffId']]);
      expect((await cardView(cardNo)).status).toBe('active');

      expect(await snapshot()).toEqual(before);
      const shown = await listDeals(as(ops));
      expect(shown.filter((d) => d.customerPhone === phone || d.staffId === madeUp || d.staffId === salesB.id)).toEqual([]);
      expect(await count('booking.deals WHERE staff_id = ANY($1::uuid[])', [[madeUp, salesB.id]])).toBe(0);
    });

    it('refuses a salesperson made inactive once booking hears of it, and takes them again once active', async () => {
      const person = await setup.salesperson('Sales Leaving', storeA, [brandA], 'sales-leaving');
      const patch = (active: boolean) => http(stack.url, 'PATCH', `/v1/staff/${person.id}`, { ...as(admin), body: { active } });
      expect((await patch(false)).status).toBe(200);
      await setup.bookingKnowsStaff(person.id, false);
      const before = await dealRows();
      const refused = await postDeal(withKey(keyA), dealBody({ staffId: person.id }), randomUUID());
      expect([refused.status, reasonOf(refused), fieldsOf(refused)]).toEqual([422, 'staff_not_at_store', ['staffId']]);
      const own = await postDeal(as(person.token), dealBody({ staffId: person.id }), randomUUID());
      expect([own.status, reasonOf(own)]).toEqual([422, 'staff_not_at_store']);
      expect(await dealRows()).toBe(before);

      expect((await patch(true)).status).toBe(200);
      await setup.bookingKnowsStaff(person.id, true);
      const closed = await postDeal(withKey(keyA), dealBody({ staffId: person.id, amountFen: 30_000 }), randomUUID());
      expect([closed.status, closed.body.staffId]).toEqual([201, person.id]);
    });
  });

  describe('Idempotency-Key on POST /v1/deals', () => {
    it('replays the same deal for the same key and body, and answers 422 for the same key with another body', async () => {
      const cardNo = await setup.activeCard(amountOff);
      const body = dealBody({ cardNo, amountFen: 350_000 });
      const before = await dealRows();
      const first = await postDeal(as(sales1.token), body, 'deal-once');
      const again = await postDeal(as(sales1.token), body, 'deal-once');
      expect([first.status, again.status]).toEqual([201, 201]);
      expect(again.body).toEqual(first.body);
      expect(await dealRows()).toBe(before + 1);

      const other = await postDeal(as(sales1.token), { ...body, amountFen: 360_000 }, 'deal-once');
      expect([other.status, isProblem(other)]).toEqual([422, true]);
      expect(await dealRows()).toBe(before + 1);
      expect(await count('coupons.redemptions r JOIN coupons.cards c ON c.id = r.card_id WHERE c.card_no = $1', [cardNo])).toBe(1);

      const walkIn = dealBody({ amountFen: 99_000 });
      const w1 = await postDeal(as(sales2.token), { ...walkIn, staffId: sales2.id }, 'walk-in-once');
      const w2 = await postDeal(as(sales2.token), { ...walkIn, staffId: sales2.id }, 'walk-in-once');
      expect([w1.status, w2.status, w2.body.id]).toEqual([201, 201, w1.body.id]);
      expect(await dealRows()).toBe(before + 2);
    });
  });

  describe('refunds', () => {
    it('refunds in part, refuses more than is left, refunds the rest, frees the card, then answers 409', async () => {
      const id = cardDeal.id;
      const cardNo = cardDeal.cardNo!;
      const part = await refund(sales1.token, id, { amountFen: 100_000, reason: 'one item returned' }, 'refund-part');
      expect(part.status).toBe(201);
      expect(part.body).toMatchObject({ dealId: id, amountFen: 100_000, full: false, refundedTotalFen: 100_000, cardReversal: 'none' });
      expect((await cardView(cardNo)).status).toBe('redeemed');

      const before = await snapshot();
      const over = await refund(sales1.token, id, { amountFen: 400_001, reason: 'too much' });
      expect([over.status, isProblem(over), reasonOf(over), fieldsOf(over)]).toEqual([422, true, 'refund_over_amount', ['amountFen']]);
      expect(await snapshot()).toEqual(before);
      expect((await getDeal(as(sales1.token), id)).body.refundedFen).toBe(100_000);

      const rest = await refund(managerA.token, id, { reason: 'customer changed mind' }, 'refund-rest');
      expect(rest.status).toBe(201);
      expect(rest.body).toMatchObject({ dealId: id, amountFen: 400_000, full: true, refundedTotalFen: 500_000 });
      await setup.cardStatus(cardNo, 'active');

      const further = await refund(sales1.token, id, { amountFen: 1, reason: 'again' });
      expect([further.status, isProblem(further), reasonOf(further)]).toEqual([409, true, 'fully_refunded']);

      const read = await getDeal(as(sales1.token), id);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ id, amountFen: 500_000, discountFen: 30_000, refundedFen: 500_000 });
      expect(read.body.refunds?.map((r) => [r.amountFen, r.full, r.refundedTotalFen])).toEqual([
        [100_000, false, 100_000],
        [400_000, true, 500_000],
      ]);
      const reversal = await eventually(async () => {
        const r = (await getDeal(as(sales1.token), id)).body.refunds?.[1]?.cardReversal;
        return r === 'done' ? r : undefined;
      }, 30_000);
      expect(reversal).toBe('done');
    });
  });

  describe('parallel refunds', () => {
    it('never refund more than the amount, however many arrive at once', async () => {
      const deal = (await postDeal(as(sales2.token), dealBody({ staffId: sales2.id, amountFen: 100_000 }))).body;
      const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => refund(sales2.token, deal.id, { amountFen: 40_000, reason: `return ${i}` })));
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses.filter((s) => s >= 500)).toEqual([]);
      expect(statuses.filter((s) => s === 201)).toHaveLength(2);
      expect(statuses.filter((s) => s !== 201 && s !== 422 && s !== 409)).toEqual([]);
      const read = await getDeal(as(sales2.token), deal.id);
      expect([read.body.refundedFen, read.body.refunds?.length]).toEqual([80_000, 2]);
      expect(await count('booking.refunds WHERE deal_id = $1', [deal.id])).toBe(2);
    });
  });

  describe('access, as abusers would try it', () => {
    it('refuses an anonymous caller and a made-up API key with 401, recording nothing', async () => {
      const before = await dealRows();
      const anonymous = await postDeal({}, dealBody());
      expect([anonymous.status, isProblem(anonymous)]).toEqual([401, true]);
      const madeUp = await postDeal(withKey(`o2o_made-up-${randomUUID()}`), dealBody());
      expect([madeUp.status, isProblem(madeUp)]).toEqual([401, true]);
      expect((await getDeal({}, cardDeal.id)).status).toBe(401);
      expect((await getDeal(withKey(`o2o_made-up-${randomUUID()}`), cardDeal.id)).status).toBe(401);
      expect(await dealRows()).toBe(before);
    });

    it('keeps a salesperson of another store out: 403 to record, 404 to read', async () => {
      const before = await dealRows();
      const post = await postDeal(as(salesB.token), dealBody({ staffId: salesB.id }));
      expect([post.status, isProblem(post)]).toEqual([403, true]);
      const read = await getDeal(as(salesB.token), cardDeal.id);
      expect([read.status, isProblem(read)]).toEqual([404, true]);
      const refunded = await refund(salesB.token, cardDeal.id, { reason: 'not mine' });
      expect(refunded.status).toBe(404);
      expect(await dealRows()).toBe(before);
    });

    it("refuses a salesperson recording a deal under a colleague's staffId with 403", async () => {
      const before = await dealRows();
      const res = await postDeal(as(sales1.token), dealBody({ staffId: sales2.id }));
      expect([res.status, isProblem(res)]).toEqual([403, true]);
      expect(await dealRows()).toBe(before);
      // Their manager may record it for anyone of the store.
      const byManager = await postDeal(as(managerA.token), dealBody({ staffId: sales2.id, amountFen: 10_000 }));
      expect([byManager.status, byManager.body.staffId]).toEqual([201, sales2.id]);
    });

    it("answers another brand's partner 404, whether reading the deal or recording one for that brand", async () => {
      const before = await dealRows();
      const read = await getDeal(withKey(keyB), cardDeal.id);
      expect([read.status, isProblem(read)]).toEqual([404, true]);
      const post = await postDeal(withKey(keyB), dealBody());
      expect([post.status, isProblem(post)]).toEqual([404, true]);
      const refunded = await http(stack.url, 'POST', `/v1/deals/${cardDeal.id}/refund`, { ...withKey(keyB), body: { reason: 'x' } });
      expect(refunded.status).toBe(404);
      expect(await dealRows()).toBe(before);
    });

    it("lets the brand's partner record a deal for its own brand", async () => {
      const phone = newPhone();
      const res = await postDeal(withKey(keyA), dealBody({ customer: { phone }, amountFen: 20_000 }));
      expect([res.status, res.body.brandId, res.body.customerPhone]).toEqual([201, brandA, `${phone.slice(0, 3)}****${phone.slice(7)}`]);
    });

    it("shows the brand's partner the deal with the phone masked, and the store manager the full phone", async () => {
      const masked = `${cardDealPhone.slice(0, 3)}****${cardDealPhone.slice(7)}`;
      const partner = await getDeal(withKey(keyA), cardDeal.id);
      expect([partner.status, partner.body.customerPhone]).toEqual([200, masked]);
      expect(JSON.stringify(partner.body)).not.toContain(cardDealPhone);
      const asAdmin = await getDeal(as(admin), cardDeal.id);
      expect(asAdmin.body.source).not.toBeNull();
      expect(partner.body.source).toEqual({ channel: asAdmin.body.source!.channel, campaign: null, agentId: null, visitorId: null });
      const colleague = await getDeal(as(sales2.token), cardDeal.id);
      expect([colleague.status, colleague.body.customerPhone]).toEqual([200, masked]);
      const manager = await getDeal(as(managerA.token), cardDeal.id);
      expect([manager.status, manager.body.customerPhone]).toEqual([200, cardDealPhone]);
      const closer = await getDeal(as(sales1.token), cardDeal.id);
      expect(closer.body.customerPhone).toBe(cardDealPhone);
    });
  });

  describe('bad input on every booking and deal route', () => {
    it('answers 400, 409 or 422 and changes nothing', async () => {
      // What the refusals are tried on.
      const created = await newBooking();
      const confirmed = await newBooking();
      const later = (await slotsOf(storeA, dayFromNow(2)))[6].start;
      expect((await act(ops, confirmed.id, 'confirm', { appointmentAt: later })).status).toBe(200);
      const cancelled = await newBooking();
      expect((await act(ops, cancelled.id, 'cancel', { reason: 'travelling' })).status).toBe(200);
      const elsewhere = await newBooking({ storeId: storeB });
      const openDeal = (await postDeal(as(sales1.token), dealBody({ amountFen: 200_000 }))).body;
      const consultation = await http<{ id: string }>(stack.url, 'POST', '/v1/consultations', { body: { channel: 'sem', city: 'Shanghai' } });
      expect(consultation.status).toBe(201);
      const slot = (await slotsOf(storeA, dayFromNow(2)))[2];
      const offBoundary = new Date(Date.parse(slot.start) + 30 * 60_000).toISOString();
      const beforeOpening = new Date(Date.parse(slot.start) - 5 * 3600_000).toISOString();
      const past = (await slotsOf(storeA, dayFromNow(-1)))[2].start;
      const goodConsultation = { channel: 'sem', city: 'Shanghai', phone: newPhone() };
      const goodBooking = {
        customer: { name: 'Ms Wang', phone: newPhone() },
        city: 'Shanghai',
        storeId: storeA,
        brandIds: [brandA],
        kind: 'store_visit',
        preferredAt: slot.start,
        source: { channel: 'sem' },
      };
      const tooLongKey = 'k'.repeat(256);

      const before = await snapshot();
      type Case = [what: string, method: string, path: string, token: string | undefined, body: unknown, status: number, field?: string, reason?: string];
      const cases: Case[] = [
        ['consultation: unknown channel', 'POST', '/v1/consultations', undefined, { ...goodConsultation, channel: 'tv' }, 400, 'channel'],
        ['consultation: no city', 'POST', '/v1/consultations', undefined, { channel: 'sem' }, 400, 'city'],
        ['consultation: bad phone', 'POST', '/v1/consultations', undefined, { ...goodConsultation, phone: '12345' }, 400, 'phone'],
        ['consultation: negative budget', 'POST', '/v1/consultations', undefined, { ...goodConsultation, budgetFen: -1 }, 400, 'budgetFen'],
        ['consultation: no body', 'POST', '/v1/consultations', undefined, undefined, 400],

        ['booking: unknown kind', 'POST', '/v1/bookings', undefined, { ...goodBooking, kind: 'visit' }, 400, 'kind'],
        ['booking: preferredAt not ISO', 'POST', '/v1/bookings', undefined, { ...goodBooking, preferredAt: 'soon' }, 400, 'preferredAt'],
        ['booking: brandIds not UUIDs', 'POST', '/v1/bookings', undefined, { ...goodBooking, brandIds: ['x'] }, 400, 'brandIds'],
        ['booking: store in another city', 'POST', '/v1/bookings', undefined, { ...goodBooking, city: 'Beijing' }, 422, 'storeId', 'store_not_in_city'],
        ['booking: brand not a tenant', 'POST', '/v1/bookings', undefined, { ...goodBooking, brandIds: [brandB] }, 422, 'brandIds', 'brand_not_in_store'],
        [
          'booking: unknown consultation',
          'POST',
          '/v1/bookings',
          undefined,
          { ...goodBooking, consultationId: MISSING },
          422,
          'consultationId',
          'unknown_consultation',
        ],
        ['booking: home measure, blank address', 'POST', '/v1/bookings', undefined, { ...goodBooking, kind: 'home_measure', address: '' }, 400, 'address'],
        ['confirm: id not a UUID', 'POST', '/v1/bookings/not-a-uuid/confirm', ops, { appointmentAt: slot.start }, 400, 'id'],
        ['confirm: appointmentAt not ISO', 'POST', `/v1/bookings/${created.id}/confirm`, ops, { appointmentAt: 'tomorrow 10am' }, 400, 'appointmentAt'],
        ['confirm: no appointmentAt', 'POST', `/v1/bookings/${created.id}/confirm`, ops, {}, 400, 'appointmentAt'],
        [
          'confirm: off a slot boundary',
          'POST',
          `/v1/bookings/${created.id}/confirm`,
          ops,
          { appointmentAt: offBoundary },
          422,
          'appointmentAt',
          'not_on_slot_boundary',
        ],
        [
          'confirm: before opening',
          'POST',
          `/v1/bookings/${created.id}/confirm`,
          ops,
          { appointmentAt: beforeOpening },
          422,
          'appointmentAt',
          'outside_opening_hours',
        ],
        ['confirm: a slot in the past', 'POST', `/v1/bookings/${created.id}/confirm`, ops, { appointmentAt: past }, 422, 'appointmentAt', 'slot_in_past'],
        ['confirm: a full slot', 'POST', `/v1/bookings/${created.id}/confirm`, ops, { appointmentAt: fullSlot }, 409, 'appointmentAt', 'slot_full'],
        ['confirm: already confirmed', 'POST', `/v1/bookings/${confirmed.id}/confirm`, ops, { appointmentAt: slot.start }, 409],
        ['confirm: cancelled', 'POST', `/v1/bookings/${cancelled.id}/confirm`, ops, { appointmentAt: slot.start }, 409],
        ['confirm: Idempotency-Key too long', 'POST', `/v1/bookings/${created.id}/confirm`, ops, { appointmentAt: slot.start }, 400, 'Idempotency-Key'],

        ['reschedule: not confirmed', 'POST', `/v1/bookings/${created.id}/reschedule`, ops, { appointmentAt: slot.start }, 409],
        ['reschedule: to the same slot', 'POST', `/v1/bookings/${confirmed.id}/reschedule`, ops, { appointmentAt: later }, 409],
        [
          'reschedule: into a full slot',
          'POST',
          `/v1/bookings/${confirmed.id}/reschedule`,
          ops,
          { appointmentAt: fullSlot },
          409,
          'appointmentAt',
          'slot_full',
        ],
        ['reschedule: off a slot boundary', 'POST', `/v1/bookings/${confirmed.id}/reschedule`, ops, { appointmentAt: offBoundary }, 422, 'appointmentAt'],
        ['reschedule: appointmentAt not ISO', 'POST', `/v1/bookings/${confirmed.id}/reschedule`, ops, { appointmentAt: 12 }, 400, 'appointmentAt'],

        ['cancel: no reason', 'POST', `/v1/bookings/${created.id}/cancel`, ops, {}, 400, 'reason'],
        ['cancel: empty reason', 'POST', `/v1/bookings/${confirmed.id}/cancel`, ops, { reason: '' }, 400, 'reason'],
        ['cancel: already cancelled', 'POST', `/v1/bookings/${cancelled.id}/cancel`, ops, { reason: 'again' }, 409],
        ['cancel: id not a UUID', 'POST', '/v1/bookings/123/cancel', ops, { reason: 'x' }, 400, 'id'],

        ['check-in: storeId not a UUID', 'POST', `/v1/bookings/${confirmed.id}/check-in`, ops, { storeId: 'store-a' }, 400, 'storeId'],
        ['check-in: not confirmed', 'POST', `/v1/bookings/${created.id}/check-in`, ops, { storeId: storeA }, 409],
        ['check-in: another store', 'POST', `/v1/bookings/${confirmed.id}/check-in`, ops, { storeId: storeB }, 422, 'storeId', 'booking_not_at_store'],

        ['no-show: id not a UUID', 'POST', '/v1/bookings/nope/no-show', ops, undefined, 400, 'id'],
        ['no-show: not confirmed', 'POST', `/v1/bookings/${created.id}/no-show`, ops, undefined, 409],
        ['no-show: cancelled', 'POST', `/v1/bookings/${cancelled.id}/no-show`, ops, undefined, 409],

        ['deal: no staffId', 'POST', '/v1/deals', admin, { ...dealBody(), staffId: undefined }, 400, 'staffId'],
        ['deal: zero amount', 'POST', '/v1/deals', admin, dealBody({ amountFen: 0 }), 400, 'amountFen'],
        ['deal: fractional amount', 'POST', '/v1/deals', admin, dealBody({ amountFen: 10.5 }), 400, 'amountFen'],
        ['deal: bad phone', 'POST', '/v1/deals', admin, dealBody({ customer: { phone: '0211234567' } }), 400, 'customer.phone'],
        ['deal: card with a wrong check digit', 'POST', '/v1/deals', admin, dealBody({ cardNo: '5012345678901234' }), 400, 'cardNo'],
        ['deal: item of quantity 0', 'POST', '/v1/deals', admin, dealBody({ items: [{ qty: 0, priceFen: 1 }] }), 400, 'items.0.qty'],
        ['deal: storeId not a UUID', 'POST', '/v1/deals', admin, dealBody({ storeId: 'zhenbei' }), 400, 'storeId'],
        ['deal: unknown store', 'POST', '/v1/deals', admin, dealBody({ storeId: MISSING }), 422, 'storeId', 'unknown_store'],
        ['deal: brand not a tenant', 'POST', '/v1/deals', admin, dealBody({ brandId: brandB }), 422, 'brandId', 'brand_not_in_store'],
        ['deal: unknown staffId', 'POST', '/v1/deals', admin, dealBody({ staffId: MISSING }), 422, 'staffId', 'staff_not_at_store'],
        ["deal: another store's salesperson", 'POST', '/v1/deals', admin, dealBody({ staffId: salesB.id }), 422, 'staffId', 'staff_not_at_store'],
        ['deal: unknown booking', 'POST', '/v1/deals', admin, dealBody({ bookingId: MISSING }), 422, 'bookingId', 'unknown_booking'],
        ['deal: booking of another store', 'POST', '/v1/deals', admin, dealBody({ bookingId: elsewhere.id }), 422, 'bookingId', 'booking_not_at_store'],
        ['deal: cancelled booking', 'POST', '/v1/deals', admin, dealBody({ bookingId: cancelled.id }), 409, 'bookingId'],

        ['refund: zero amount', 'POST', `/v1/deals/${openDeal.id}/refund`, admin, { amountFen: 0, reason: 'x' }, 400, 'amountFen'],
        ['refund: amount as text', 'POST', `/v1/deals/${openDeal.id}/refund`, admin, { amountFen: 'all', reason: 'x' }, 400, 'amountFen'],
        ['refund: no reason', 'POST', `/v1/deals/${openDeal.id}/refund`, admin, { amountFen: 100 }, 400, 'reason'],
        ['refund: id not a UUID', 'POST', '/v1/deals/deal-1/refund', admin, { reason: 'x' }, 400, 'id'],
        [
          'refund: over the amount',
          'POST',
          `/v1/deals/${openDeal.id}/refund`,
          admin,
          { amountFen: 200_001, reason: 'x' },
          422,
          'amountFen',
          'refund_over_amount',
        ],
        ['refund: fully refunded', 'POST', `/v1/deals/${cardDeal.id}/refund`, admin, { reason: 'x' }, 409, undefined, 'fully_refunded'],

        ['slots: no such day', 'GET', `/v1/stores/${storeA}/slots?date=2026-02-31`, undefined, undefined, 400, 'date'],
        ['slots: month 13', 'GET', `/v1/stores/${storeA}/slots?date=2026-13-01`, undefined, undefined, 400, 'date'],
        ['slots: not a date', 'GET', `/v1/stores/${storeA}/slots?date=tomorrow`, undefined, undefined, 400, 'date'],
        ['slots: no date', 'GET', `/v1/stores/${storeA}/slots`, undefined, undefined, 400, 'date'],
        ['slots: store id not a UUID', 'GET', `/v1/stores/zhenbei/slots?date=${dayFromNow(2)}`, undefined, undefined, 400, 'id'],
      ];
      const seen = [];
      for (const [what, method, path, token, body, , field, reason] of cases) {
        const headers = what.includes('Idempotency-Key') ? idem(tooLongKey) : {};
        const res = await http<Problem>(stack.url, method, path, { token, body, headers });
        seen.push({
          what,
          status: res.status,
          problem: isProblem(res),
          named: field === undefined || names(res, field) || fieldsOf(res),
          reason: reason === undefined ? undefined : reasonOf(res),
        });
      }
      expect(seen).toEqual(cases.map(([what, , , , , status, , reason]) => ({ what, status, problem: true, named: true, reason })));
      expect(await snapshot()).toEqual(before);
    });

    it('answers 400 naming the field when a required nested object is left out', async () => {
      const goodBooking = {
        customer: { name: 'Ms Wang', phone: newPhone() },
        city: 'Shanghai',
        storeId: storeA,
        kind: 'store_visit',
        preferredAt: `${dayFromNow(2)}T04:00:00.000Z`,
        source: { channel: 'sem' },
      };
      const before = await snapshot();
      const cases: [what: string, path: string, token: string | undefined, body: unknown, field: string][] = [
        ['booking: no customer', '/v1/bookings', undefined, { ...goodBooking, customer: undefined }, 'customer'],
        ['booking: no source', '/v1/bookings', undefined, { ...goodBooking, source: undefined }, 'source'],
        ['deal: no customer', '/v1/deals', admin, dealBody({ customer: undefined }), 'customer'],
      ];
      const seen = [];
      for (const [what, path, token, body, field] of cases) {
        const res = await http<Problem>(stack.url, 'POST', path, { token, body });
        seen.push({ what, status: res.status, named: names(res, field) });
      }
      expect(await snapshot()).toEqual(before);
      expect(seen).toEqual(cases.map(([what]) => ({ what, status: 400, named: true })));
    });
  });
});
