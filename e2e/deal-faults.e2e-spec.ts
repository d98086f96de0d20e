import { randomUUID } from 'node:crypto';
import { Client, QueryResultRow } from 'pg';
import { signIn } from './support/logins';
import { http, HttpAnswer, RunningStack, startStack } from './support/stack';

jest.setTimeout(300_000);

/**
 * The deal saga (booking writes a pending deal, coupons redeems the card under `deal:<id>:redeem`,
 * booking closes the deal; an unknown outcome is compensated at once or by the recovery sweep)
 * while coupons or booking is SIGKILLed or SIGSTOPped mid-deal. Every test ends by checking, in
 * the stack's own database, that cards, redemptions and deals agree once recovery has run.
 *
 * No timing assertions: the machine is small and shared. Waits are polls with generous limits.
 */

interface Purchase {
  cardNo: string;
  status: string;
  payment: { orderId: string };
}
interface DealAnswer {
  id?: string;
  status?: string | number;
  amountFen?: number;
  discountFen?: number;
  payableFen?: number;
  cardNo?: string;
  reason?: string;
  detail?: string;
}
interface Health {
  status: string;
  services?: Record<string, string>;
}
type DealRow = {
  id: string;
  status: string;
  discount_fen: number;
  card_no: string | null;
};

const DAY = 86_400_000;
const AMOUNT_FEN = 500_000;
const DISCOUNT_FEN = 30_000;
/** The gateway's deadline for each call (REQUEST_TIMEOUT_MS below): a deal's deadline. */
const REQUEST_TIMEOUT_MS = 3000;
const LOOP_DEALS = 25;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const RUN = Date.now().toString(36).slice(-5);
let phoneSeq = Math.floor(Math.random() * 1_000_000);
const nextPhone = () => `137${String(10_000_000 + (phoneSeq++ % 90_000_000)).slice(-8)}`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls until `probe` answers something truthy, or the limit passes: then undefined. */
async function poll<T>(probe: () => Promise<T | undefined | null | false>, limitMs: number, everyMs = 200): Promise<T | undefined> {
  const until = Date.now() + limitMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) return undefined;
    await sleep(everyMs);
  }
}

describe('the deal saga when coupons or booking dies or stalls mid-deal', () => {
  let stack: RunningStack;
  let db: Client;
  let admin: string;
  let sales: string;
  let staffId: string;
  let storeId: string;
  let brandId: string;
  let campaignId: string;
  /** The replica of each app currently serving; replaced ones are SIGKILLed. */
  const current = { coupons: 0, booking: 0 };
  /** Processes this file SIGSTOPped and has not resumed yet: resumed whatever happens. */
  const stopped = new Set<number>();

  const stop = (pid: number) => {
    process.kill(pid, 'SIGSTOP');
    stopped.add(pid);
  };
  const resume = (pid: number) => {
    if (alive(pid)) process.kill(pid, 'SIGCONT');
    stopped.delete(pid);
  };
  const kill = (pid: number) => {
    process.kill(pid, 'SIGKILL');
    stopped.delete(pid);
  };
  /** Replaces one app: the old replica is SIGKILLed, a new one started; answers when it was killed. */
  const replace = (app: 'coupons' | 'booking'): number => {
    kill(current[app]);
    const killedAt = Date.now();
    const child = stack.startApp(app);
    if (!child.pid) throw new Error(`${app} did not start`);
    current[app] = child.pid;
    return killedAt;
  };

  const rows = async <T extends QueryResultRow = QueryResultRow>(sql: string, params: unknown[] = []) => (await db.query<T>(sql, params)).rows;
  const dealsOfCard = (cardNo: string) =>
    rows<DealRow>('SELECT id, status, discount_fen, card_no FROM booking.deals WHERE card_no = $1 ORDER BY created_at', [cardNo]);
  const cardStatus = async (cardNo: string) => (await rows<{ status: string }>('SELECT status FROM coupons.cards WHERE card_no = $1', [cardNo]))[0]?.status;
  const standingOfCard = (cardNo: string) =>
    rows<{ deal_id: string; discount_fen: number }>(
      `SELECT r.deal_id, r.discount_fen FROM coupons.redemptions r JOIN coupons.cards c ON c.id = r.card_id
        WHERE c.card_no = $1 AND r.reversed_at IS NULL`,
      [cardNo],
    );
  const recordOfDeal = async (dealId: string) =>
    (await rows<{ card_id: string | null; reversed_at: Date | null }>('SELECT card_id, reversed_at FROM coupons.redemptions WHERE deal_id = $1', [dealId]))[0];

  /** Until GET /health says the app is up, on a status taken after `notBefore` (it may be ~1 s old). */
  const waitHealthy = async (app: string, notBefore = 0) => {
    const up = await poll(
      async () => {
        if (Date.now() < notBefore + 1500) return false;
        const res = await http<Health>(stack.url, 'GET', '/health').catch(() => undefined);
        return res?.body?.services?.[app] === 'up';
      },
      90_000,
      250,
    );
    if (!up) throw new Error(`${app} did not come back up`);
  };

  const buyCard = async (): Promise<string> => {
    const bought = await http<Purchase>(stack.url, 'POST', '/v1/cards', {
      headers: { 'idempotency-key': randomUUID() },
      body: { campaignId, phone: nextPhone(), source: { channel: 'sem', campaign: `kw-${RUN}` } },
    });
    expect(bought.status).toBe(201);
    const paid = await http(stack.url, 'POST', `/v1/payments/sandbox/${bought.body.payment.orderId}/complete`);
    expect(paid.status).toBeLessThan(300);
    expect(await poll(async () => (await cardStatus(bought.body.cardNo)) === 'active', 10_000)).toBe(true);
    return bought.body.cardNo;
  };

  const dealBody = (cardNo: string) => ({ storeId, brandId, staffId, customer: { phone: nextPhone(), name: 'Ms Li' }, cardNo, amountFen: AMOUNT_FEN });

  const postDeal = (key: string, body: object): Promise<HttpAnswer<DealAnswer>> =>
    http<DealAnswer>(stack.url, 'POST', '/v1/deals', { token: sales, body, headers: { 'idempotency-key': key } }).catch(() => ({
      status: 0,
      type: '',
      body: {},
      ms: 0,
    }));

  /** A client's retries: the same key and body until 201 or a 4xx (409, a try still in flight, is retried). */
  const retryUntilSettled = async (key: string, body: object, limitMs = 120_000) => {
    const statuses: number[] = [];
    const until = Date.now() + limitMs;
    for (;;) {
      const answer = await postDeal(key, body);
      statuses.push(answer.status);
      const retry = answer.status === 0 || answer.status >= 500 || answer.status === 409;
      if (!retry || Date.now() > until) return { answer, statuses };
      await sleep(300);
    }
  };

  /** Waits until recovery has left no deal pending or compensating; answers those still left. */
  const waitSettled = async (limitMs = 60_000) => {
    const unsettled = () => rows<DealRow>(`SELECT id, status, discount_fen, card_no FROM booking.deals WHERE status IN ('pending', 'compensating')`);
    await poll(async () => (await unsettled()).length === 0, limitMs, 250);
    return unsettled();
  };

  /**
   * (a) every redeemed card has exactly one standing redemption, for a closed deal with that card;
   * (b) every closed deal with a discount has a standing redemption of that discount;
   * (c) once recovery has run, nothing is unsettled: no deal pending or compensating, and no
   *     standing redemption for a deal that is not closed or for a card that is not redeemed, and
   *     every abandoned deal was undone on coupons' side (its redemption reversed, or a tombstone).
   */
  const checkInvariants = async () => {
    expect(await waitSettled()).toEqual([]);
    const redeemedCards = await rows<{ card_no: string; standing: number; backed: number }>(
      `SELECT c.card_no,
              (SELECT count(*)::int FROM coupons.redemptions r WHERE r.card_id = c.id AND r.reversed_at IS NULL) AS standing,
              (SELECT count(*)::int FROM coupons.redemptions r JOIN booking.deals d ON d.id = r.deal_id
                WHERE r.card_id = c.id AND r.reversed_at IS NULL AND d.status = 'closed' AND d.card_no = c.card_no) AS backed
         FROM coupons.cards c WHERE c.status = 'redeemed'`,
    );
    expect(redeemedCards.filter((c) => c.standing !== 1 || c.backed !== 1)).toEqual([]);
    const unbacked = await rows(
      `SELECT d.id, d.card_no, d.discount_fen FROM booking.deals d
        WHERE d.status = 'closed' AND d.discount_fen > 0 AND NOT EXISTS (
          SELECT 1 FROM coupons.redemptions r
           WHERE r.deal_id = d.id AND r.card_id IS NOT NULL AND r.reversed_at IS NULL AND r.discount_fen = d.discount_fen)`,
    );
    expect(unbacked).toEqual([]);
    const stray = await rows(
      `SELECT r.deal_id, d.status AS deal_status, c.card_no, c.status AS card_status
         FROM coupons.redemptions r JOIN coupons.cards c ON c.id = r.card_id LEFT JOIN booking.deals d ON d.id = r.deal_id
        WHERE r.reversed_at IS NULL AND (d.status IS DISTINCT FROM 'closed' OR c.status <> 'redeemed' OR d.card_no IS DISTINCT FROM c.card_no)`,
    );
    expect(stray).toEqual([]);
    // An abandoned deal was undone through coupons: its redemption reversed, or a tombstone.
    const undoneUnseen = await rows(
      `SELECT d.id FROM booking.deals d
        WHERE d.status = 'abandoned' AND NOT EXISTS (SELECT 1 FROM coupons.redemptions r WHERE r.deal_id = d.id AND r.reversed_at IS NOT NULL)`,
    );
    expect(undoneUnseen).toEqual([]);
  };

  beforeAll(async () => {
    stack = await startStack({
      RATE_LIMIT_PER_MINUTE: '1000000',
      LOG_LEVEL: 'error',
      REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      DEAL_RECOVERY_SECONDS: '1',
      DEAL_RECOVERY_GRACE_MS: '500',
    });
    current.coupons = stack.pids.get('coupons')!;
    current.booking = stack.pids.get('booking')!;
    db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
    admin = await signIn(stack, 'admin', 'admin');

    const city = `Hangzhou-${RUN}`;
    const store = await http<{ id: string }>(stack.url, 'POST', '/v1/stores', {
      token: admin,
      body: { name: `Faults store ${RUN}`, city, address: '8 Wensan Road' },
    });
    expect(store.status).toBe(201);
    storeId = store.body.id;
    const brand = await http<{ id: string }>(stack.url, 'POST', '/v1/brands', { token: admin, body: { name: `Faults brand ${RUN}`, categories: ['tiles'] } });
    expect(brand.status).toBe(201);
    brandId = brand.body.id;
    const tenancy = await http(stack.url, 'PUT', `/v1/stores/${storeId}/brands/${brandId}`, { token: admin, body: { booth: 'F1-01' } });
    expect(tenancy.status).toBeLessThan(300);

    const person = await http<{ id: string }>(stack.url, 'POST', '/v1/staff', {
      token: admin,
      body: { name: `Sales ${RUN}`, team: 'offline', storeId, brandIds: [brandId], username: `faults-sales-${RUN}`, password: 'secret-pass-1' },
    });
    expect(person.status).toBe(201);
    staffId = person.body.id;
    sales = await signIn(stack, `faults-sales-${RUN}`, 'secret-pass-1');

    const campaign = await http<{ id: string }>(stack.url, 'POST', '/v1/card-campaigns', {
      token: admin,
      body: {
        name: `Faults card ${RUN}`,
        priceFen: 100,
        benefit: { type: 'amount_off', value: DISCOUNT_FEN },
        brandIds: [brandId],
        cities: [city],
        validFrom: new Date(Date.now() - DAY).toISOString(),
        validTo: new Date(Date.now() + 90 * DAY).toISOString(),
        perPhoneLimit: 1,
      },
    });
    expect(campaign.status).toBe(201);
    campaignId = campaign.body.id;

    // Booking and coupons learn the store and its tenant from the catalog's events, booking the salesperson from leads'.
    const known = await poll(async () => {
      const [b] = await rows('SELECT 1 FROM booking.store_brands WHERE store_id = $1 AND brand_id = $2', [storeId, brandId]);
      const [p] = await rows('SELECT 1 FROM booking.staff_facts WHERE staff_id = $1', [staffId]);
      const [s] = await rows('SELECT 1 FROM coupons.known_stores WHERE id = $1', [storeId]);
      const [k] = await rows('SELECT 1 FROM coupons.known_brands WHERE id = $1', [brandId]);
      return Boolean(b && p && s && k);
    }, 30_000);
    expect(known).toBe(true);

    // The happy path first: a deal with a fresh card closes with its discount.
    const cardNo = await buyCard();
    const deal = await postDeal(randomUUID(), dealBody(cardNo));
    expect([deal.status, deal.body.discountFen, deal.body.payableFen]).toEqual([201, DISCOUNT_FEN, AMOUNT_FEN - DISCOUNT_FEN]);
  });

  afterAll(async () => {
    for (const pid of [...stopped]) resume(pid);
    await db?.end();
    if (stack) await stack.stop();
  });

  afterEach(() => {
    // A failed test must not leave a stopped process behind for the next one.
    for (const pid of [...stopped]) resume(pid);
  });

  it(`keeps cards and deals consistent when coupons is SIGKILLed mid-saga, ${LOOP_DEALS} deals in a row`, async () => {
    const cards: string[] = [];
    for (let i = 0; i < LOOP_DEALS; i++) cards.push(await buyCard());

    const results: { cardNo: string; first: number; final: number; tries: number; retries: number[]; answer: DealAnswer }[] = [];
    for (const [i, cardNo] of cards.entries()) {
      const key = randomUUID();
      const body = dealBody(cardNo);
      const first = postDeal(key, body);
      // The POST reaches coupons only some tens of ms later on a busy machine, so the kill is timed
      // three ways in turn: 0-30 ms after the POST; 0-30 ms after its pending deal shows (inside
      // the redeem); or as soon as coupons' redemption shows (committed, most likely unanswered).
      if (i % 3 === 0) await sleep(Math.floor(Math.random() * 31));
      if (i % 3 === 1) {
        await poll(async () => (await dealsOfCard(cardNo)).length > 0, 5000, 2);
        await sleep(Math.floor(Math.random() * 31));
      }
      if (i % 3 === 2) {
        const pending = await poll(async () => (await dealsOfCard(cardNo))[0], 5000, 2);
        if (pending) await poll(async () => (await recordOfDeal(pending.id))?.card_id, 5000, 2);
      }
      const killedAt = replace('coupons');
      await waitHealthy('coupons', killedAt);
      const firstAnswer = await first;
      const settledAtOnce = firstAnswer.status === 201 || (firstAnswer.status >= 400 && firstAnswer.status < 500 && firstAnswer.status !== 409);
      const { answer, statuses } = settledAtOnce ? { answer: firstAnswer, statuses: [] } : await retryUntilSettled(key, body);
      results.push({ cardNo, first: firstAnswer.status, final: answer.status, tries: 1 + statuses.length, retries: statuses, answer: answer.body });
    }

    const tally = (values: (string | number)[]) => values.reduce<Record<string, number>>((acc, v) => ({ ...acc, [v]: (acc[v] ?? 0) + 1 }), {});
    // How the interrupted attempts ended on coupons' side: redeemed then reversed, or barred unseen.
    const undone = await rows<{ kind: string }>(
      `SELECT CASE WHEN r.deal_id IS NULL THEN 'no record' WHEN r.card_id IS NULL THEN 'tombstone' ELSE 'redemption reversed' END AS kind
         FROM booking.deals d LEFT JOIN coupons.redemptions r ON r.deal_id = d.id
        WHERE d.status = 'abandoned' AND d.card_no = ANY($1)`,
      [cards],
    );
    const summary = {
      firstAnswers: tally(results.map((r) => r.first)),
      finalAnswers: tally(results.map((r) => r.final)),
      retried: results.filter((r) => r.tries > 1).length,
      retryAnswers: tally(results.flatMap((r) => r.retries)),
      maxTries: Math.max(...results.map((r) => r.tries)),
      abandonedAttempts: tally(undone.map((u) => u.kind)),
    };
    console.log(`deal-faults: coupons SIGKILL loop outcomes ${JSON.stringify(summary)}`);

    // Every card was fresh and valid: each deal must end closed, whatever the kill interrupted.
    expect(results.filter((r) => r.final !== 201)).toEqual([]);
    expect(results.some((r) => r.tries > 1)).toBe(true); // the kills did interrupt deals

    for (const r of results) {
      const [row] = await rows<DealRow>('SELECT id, status, discount_fen, card_no FROM booking.deals WHERE id = $1', [r.answer.id]);
      expect(row).toEqual({ id: r.answer.id, status: 'closed', discount_fen: DISCOUNT_FEN, card_no: r.cardNo });
      expect(r.answer).toMatchObject({ discountFen: DISCOUNT_FEN, payableFen: AMOUNT_FEN - DISCOUNT_FEN, cardNo: r.cardNo });
      expect(await cardStatus(r.cardNo)).toBe('redeemed');
      expect(await standingOfCard(r.cardNo)).toEqual([{ deal_id: r.answer.id, discount_fen: DISCOUNT_FEN }]);
    }
    await checkInvariants();
  });

  it('does not let a redeem that coupons resumes after the deadline win: the deal is abandoned, the card stays active, a retry closes anew', async () => {
    // Coupons is stopped first and the deal sent at once: its heartbeat still says up for a few
    // seconds, so booking writes the deal pending and sends the redeem, which coupons cannot run.
    let cardNo = '';
    let key = '';
    let body: object = {};
    let deal: DealRow | undefined;
    let attempts = 0;
    for (; attempts < 4 && !deal; attempts++) {
      cardNo = await buyCard();
      key = randomUUID();
      body = dealBody(cardNo);
      const pid = current.coupons;
      stop(pid);
      const answer = await postDeal(key, body);
      expect([503, 504]).toContain(answer.status);
      [deal] = await dealsOfCard(cardNo);
      if (deal) {
        console.log(`deal-faults: coupons SIGSTOP before the deal: attempt ${attempts + 1} answered ${answer.status}, deal ${deal.status}`);
        break;
      }
      // Booking already knew coupons was down and wrote nothing: try again once it is back.
      const resumedAt = Date.now();
      resume(pid);
      await waitHealthy('coupons', resumedAt);
    }
    expect(deal).toBeDefined();
    const dealId = deal!.id;

    // Past the deadline and its grace, coupons still stopped: nothing can settle the deal yet.
    await sleep(REQUEST_TIMEOUT_MS);
    const [stuck] = await dealsOfCard(cardNo);
    expect(['pending', 'compensating']).toContain(stuck.status);
    expect(await recordOfDeal(dealId)).toBeUndefined();

    const resumedAt = Date.now();
    resume(current.coupons);
    await waitHealthy('coupons', resumedAt);
    expect(await waitSettled()).toEqual([]);

    // The late redeem lost: coupons holds a tombstone for the deal, and the card is still active.
    expect((await dealsOfCard(cardNo)).map((d) => [d.id, d.status])).toEqual([[dealId, 'abandoned']]);
    const record = await recordOfDeal(dealId);
    expect(record).toMatchObject({ card_id: null, reversed_at: expect.any(Date) });
    expect(await cardStatus(cardNo)).toBe('active');
    expect(await standingOfCard(cardNo)).toEqual([]);
    await checkInvariants();

    // The client's retry with the same key runs afresh as a new deal, and redeems the card once.
    const { answer } = await retryUntilSettled(key, body);
    expect([answer.status, answer.body.discountFen, answer.body.cardNo]).toEqual([201, DISCOUNT_FEN, cardNo]);
    expect(answer.body.id).not.toBe(dealId);
    expect(await cardStatus(cardNo)).toBe('redeemed');
    expect(await standingOfCard(cardNo)).toEqual([{ deal_id: answer.body.id, discount_fen: DISCOUNT_FEN }]);
    await checkInvariants();
  });

  it('does not let a redeem caught mid-flight by SIGSTOP win once coupons resumes past the deadline', async () => {
    // Coupons is stopped the moment booking's pending deal shows: its redeem may be unread, half
    // done in an open transaction, or committed but unanswered. Whichever, it must not stand.
    // Tries a few times to stop coupons inside the redeem's transaction, the case that matters most.
    const catches: { cardNo: string; key: string; body: object; dealId: string; openTx: string | undefined }[] = [];
    let misses = 0;
    for (let attempt = 0; attempt < 6 && !catches.some((c) => c.openTx); attempt++) {
      const cardNo = await buyCard();
      const key = randomUUID();
      const body = dealBody(cardNo);
      const pid = current.coupons;
      const answerP = postDeal(key, body);
      const pending = await poll(async () => (await dealsOfCard(cardNo))[0], 5000, 2);
      if (pending) stop(pid);
      // Is the redeem's ledger transaction open (it holds its handled_requests row) while coupons is stopped?
      const [open] = pending
        ? await rows<{ state: string; query: string }>(
            `SELECT a.state, left(a.query, 60) AS query FROM pg_stat_activity a
              WHERE a.datname = current_database() AND a.application_name = 'coupons' AND a.backend_xid IS NOT NULL
                AND EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.relation = 'coupons.handled_requests'::regclass)`,
          )
        : [];
      const answer = await answerP;
      if (answer.status === 201 || !pending) {
        // Too late (the deal closed) or too early: resume, and try again with another card.
        misses++;
        if (pending) resume(pid);
        await waitHealthy('coupons');
        continue;
      }
      expect([503, 504]).toContain(answer.status);
      catches.push({ cardNo, key, body, dealId: pending.id, openTx: open ? `${open.state}: ${open.query}` : undefined });
      // The caller has had its answer: the deadline has passed. Coupons resumes only after recovery had a go.
      await sleep(1500);
      const resumedAt = Date.now();
      resume(pid);
      await waitHealthy('coupons', resumedAt);
    }
    expect(catches.length).toBeGreaterThan(0);
    expect(await waitSettled()).toEqual([]);

    const kinds: string[] = [];
    for (const { cardNo, dealId } of catches) {
      expect((await dealsOfCard(cardNo)).map((d) => [d.id, d.status])).toEqual([[dealId, 'abandoned']]);
      const record = await recordOfDeal(dealId);
      expect(record?.reversed_at).toEqual(expect.any(Date)); // a tombstone, or a redemption reversed
      kinds.push(record?.card_id ? 'redemption reversed' : 'tombstone');
      expect(await cardStatus(cardNo)).toBe('active');
      expect(await standingOfCard(cardNo)).toEqual([]);
    }
    console.log(
      `deal-faults: coupons SIGSTOP mid-redeem ${JSON.stringify({ misses, catches: catches.map((c, i) => ({ openTx: c.openTx ?? null, record: kinds[i] })) })}`,
    );
    await checkInvariants();

    for (const { cardNo, key, body, dealId } of catches) {
      const { answer } = await retryUntilSettled(key, body);
      expect([answer.status, answer.body.discountFen]).toEqual([201, DISCOUNT_FEN]);
      expect(answer.body.id).not.toBe(dealId);
      expect(await standingOfCard(cardNo)).toEqual([{ deal_id: answer.body.id, discount_fen: DISCOUNT_FEN }]);
    }
    await checkInvariants();
  });

  it('compensates a deal whose booking was SIGKILLed after coupons redeemed its card, and a retry then closes it anew', async () => {
    let caught: { cardNo: string; key: string; body: object; dealId: string; first: Promise<HttpAnswer<DealAnswer>> } | undefined;
    let attempts = 0;
    for (; attempts < 5 && !caught; attempts++) {
      const cardNo = await buyCard();
      const key = randomUUID();
      const body = dealBody(cardNo);
      const pid = current.booking;
      const first = postDeal(key, body);
      const pending = await poll(async () => (await dealsOfCard(cardNo))[0], 5000, 2);
      if (pending) stop(pid);
      const redeemed =
        pending &&
        pending.status === 'pending' &&
        (await poll(async () => (await recordOfDeal(pending.id))?.card_id, 5000, 50)) &&
        (await dealsOfCard(cardNo))[0]?.status === 'pending';
      if (!pending || !redeemed) {
        // Stopped too early (the redeem never left booking) or too late (the deal closed): again.
        if (pending) resume(pid);
        await first;
        await waitHealthy('booking');
        continue;
      }
      caught = { cardNo, key, body, dealId: pending.id, first };
    }
    expect(caught).toBeDefined();
    const { cardNo, key, body, dealId, first } = caught!;
    expect(await cardStatus(cardNo)).toBe('redeemed');

    const killedAt = replace('booking');
    const firstAnswer = await first;
    console.log(`deal-faults: booking SIGSTOP+SIGKILL after the redemption: caught on attempt ${attempts}, first answer ${firstAnswer.status}`);
    expect([503, 504]).toContain(firstAnswer.status);
    await waitHealthy('booking', killedAt);

    // Recovery finds the deal pending past its deadline and compensates it: the redemption is
    // reversed, the card active again, the deal abandoned.
    expect(await waitSettled()).toEqual([]);
    expect((await dealsOfCard(cardNo)).map((d) => [d.id, d.status])).toEqual([[dealId, 'abandoned']]);
    expect(await recordOfDeal(dealId)).toMatchObject({ card_id: expect.any(String), reversed_at: expect.any(Date) });
    expect(await cardStatus(cardNo)).toBe('active');
    await checkInvariants();

    const { answer } = await retryUntilSettled(key, body);
    expect([answer.status, answer.body.discountFen, answer.body.cardNo]).toEqual([201, DISCOUNT_FEN, cardNo]);
    expect(answer.body.id).not.toBe(dealId);
    expect(await cardStatus(cardNo)).toBe('redeemed');
    expect(await standingOfCard(cardNo)).toEqual([{ deal_id: answer.body.id, discount_fen: DISCOUNT_FEN }]);
    const closed = (await dealsOfCard(cardNo)).filter((d) => d.status === 'closed');
    expect(closed.map((d) => d.id)).toEqual([answer.body.id]);
    await checkInvariants();
  });
});
