import { randomUUID } from 'node:crypto';
import { ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { http, RunningStack, startStack } from './support/stack';

jest.setTimeout(240_000);

const CUSTOMERS = 600;
const CONCURRENCY = 16;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Customers buying privilege cards through the gateway while coupons replicas are SIGKILLed about
 * once a second. A customer retries every failed answer (5xx, or 409 while a try is in flight)
 * with the same Idempotency-Key and body, as a client would: each must end with 201 and one card.
 */
describe('card purchases through the gateway while coupons replicas are killed', () => {
  let stack: RunningStack;
  let admin: string;

  beforeAll(async () => {
    // A request timeout below the claim idle time: a killed replica's requests answer 504 before
    // another replica may claim them, so retries meet outcomes that are truly unknown.
    stack = await startStack({ RATE_LIMIT_PER_MINUTE: '1000000', LOG_LEVEL: 'error', REQUEST_TIMEOUT_MS: '2000' });
    admin = (await http<{ accessToken: string }>(stack.url, 'POST', '/v1/auth/login', { body: { username: 'admin', password: 'admin' } })).body.accessToken;
  });
  afterAll(async () => {
    if (stack) await stack.stop();
  });

  it(`ends every one of ${CUSTOMERS} customers with 201 and their card, and none with 422 for a first purchase`, async () => {
    const campaign = await http<{ id: string }>(stack.url, 'POST', '/v1/card-campaigns', {
      token: admin,
      body: {
        name: '1-yuan card',
        priceFen: 100,
        benefit: { type: 'amount_off', value: 50000 },
        validFrom: new Date(Date.now() - 3600_000).toISOString(),
        validTo: new Date(Date.now() + 30 * 86400_000).toISOString(),
        perPhoneLimit: 1,
      },
    });
    expect(campaign.status).toBe(201);

    // Three coupons replicas: the launcher's and two more; each killed one is replaced.
    const replicas: { pid: number; child?: ChildProcess }[] = [{ pid: stack.pids.get('coupons')! }];
    for (let i = 0; i < 2; i++) {
      const child = stack.startApp('coupons');
      replicas.push({ pid: child.pid!, child });
    }
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    await sleep(3000); // the new replicas boot and join the group

    const outcomes = new Map<string, { status: number; cardNo?: string; phone: string; tries: number }>();
    let next = 0;
    let done = false;
    let kills = 0;
    const customer = async (n: number) => {
      const phone = `139${String(10_000_000 + n).slice(-8)}`;
      const key = randomUUID();
      const body = { campaignId: campaign.body.id, phone, source: { channel: 'sem' } };
      for (let tries = 1; ; tries++) {
        const answer = await http<{ cardNo?: string; reason?: string }>(stack.url, 'POST', '/v1/cards', { body, headers: { 'idempotency-key': key } }).catch(
          () => ({ status: 0, body: {} as { cardNo?: string } }),
        );
        const retry = answer.status === 0 || answer.status >= 500 || answer.status === 409;
        if (!retry || tries >= 80) {
          outcomes.set(phone, { status: answer.status, cardNo: answer.body.cardNo, phone, tries });
          return;
        }
        await sleep(250);
      }
    };
    const customers = Array.from({ length: CONCURRENCY }, async () => {
      while (next < CUSTOMERS) await customer(next++);
    });
    const killer = (async () => {
      while (!done) {
        await sleep(700 + Math.random() * 600);
        const living = replicas.filter((r) => alive(r.pid));
        if (done || living.length < 2) continue;
        const victim = living[Math.floor(Math.random() * living.length)];
        process.kill(victim.pid, 'SIGKILL');
        kills++;
        const child = stack.startApp('coupons');
        replicas.push({ pid: child.pid!, child });
      }
    })();
    await Promise.all(customers);
    done = true;
    await killer;

    const answers = [...outcomes.values()];
    expect(kills).toBeGreaterThanOrEqual(5);
    expect(answers.filter((a) => a.status === 422)).toEqual([]);
    expect(answers.filter((a) => a.status !== 201)).toEqual([]);
    expect(answers.some((a) => a.tries > 1)).toBe(true); // the kills did interrupt purchases

    const db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query<{ phone: string; cards: string[] }>(
        'SELECT phone, array_agg(card_no) AS cards FROM coupons.cards WHERE campaign_id = $1 GROUP BY phone',
        [campaign.body.id],
      );
      expect(rows).toHaveLength(CUSTOMERS);
      const mismatched = rows.filter((r) => r.cards.length !== 1 || r.cards[0] !== outcomes.get(r.phone)?.cardNo);
      expect(mismatched).toEqual([]);
    } finally {
      await db.end();
    }
  });
});
