#!/usr/bin/env node
// Deals closed with privilege cards through the gateway, against a floor measured in the same run.
//   npm run bench:deals            (builds dist/ first)
// Env: BENCH_DEALS (deals per path, default 2000), BENCH_CONCURRENCY (default 16), TEST_DATABASE_URL.
// Paths measured, each on cards of its own:
//   floor    the same SQL the two services run for one deal, straight on their schemas (a pool of 10
//            each): booking's store and tenancy reads and its pending deal; coupons' request record,
//            card read, store fact, conditional redeem, redemption row, outbox event and answer, in
//            one transaction; booking's close and its outbox event, in another.
//   gateway  POST /v1/deals with an Idempotency-Key, as a salesperson, through the whole stack: the
//            gateway, the transport, booking's saga and coupons' exactly-once redeem.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import pg from 'pg';
import { writeResults } from '../lib/results.mjs';
import { seedActiveCards } from '../lib/cards.mjs';
import { load } from '../lib/load.mjs';
import { startStack } from '../lib/stack.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const { newId } = require(path.join(ROOT, 'dist/libs/platform/src/index.js'));

const DEALS = Number(process.env.BENCH_DEALS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const AMOUNT = 700_000;
const say = (m) => process.stdout.write(`[bench] ${m}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function http(base, method, url, { token, body, idem } = {}) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  if (idem) headers['idempotency-key'] = idem;
  const res = await fetch(base + url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

/** One deal's SQL as booking and coupons run it, without the gateway, the transport or the frameworks. */
async function floorDeal(booking, coupons, { storeId, brandId, staffId }, card) {
  const dealId = newId();
  await booking.query('SELECT * FROM stores WHERE id = $1', [storeId]);
  await booking.query('SELECT brand_id FROM store_brands WHERE store_id = $1 AND brand_id = ANY($2::uuid[])', [storeId, [brandId]]);
  await booking.query(
    `INSERT INTO deals (id, request_id, status, store_id, brand_id, staff_id, city, phone, card_no, amount_fen, items, deadline_at, created_by)
     VALUES ($1, $2, 'pending', $3, $4, $5, 'Bench', $6, $7, $8, '[]', now() + interval '10 seconds', 'bench') RETURNING *`,
    [dealId, randomUUID(), storeId, brandId, staffId, card.phone, card.no, AMOUNT],
  );
  const c = await coupons.connect();
  try {
    await c.query('BEGIN');
    await c.query('INSERT INTO handled_requests (request_id, pattern, request_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING request_id', [
      `deal:${dealId}:redeem`,
      'coupons.cards.redeem',
      'h',
    ]);
    const { rows } = await c.query('SELECT k.*, c.benefit_type, c.benefit_value FROM cards k JOIN campaigns c ON c.id = k.campaign_id WHERE k.card_no = $1', [
      card.no,
    ]);
    await c.query('SELECT city FROM known_stores WHERE id = $1', [storeId]);
    const redeemed = await c.query(`UPDATE cards SET status = 'redeemed', redeemed_at = now() WHERE id = $1 AND status = 'active' RETURNING redeemed_at`, [
      rows[0].id,
    ]);
    if (redeemed.rowCount !== 1) throw Object.assign(new Error('card_used'), { code: 'card_used' });
    await c.query(
      `INSERT INTO redemptions (id, card_id, deal_id, store_id, brand_id, amount_fen, discount_fen, redeemed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, now())`,
      [newId(), rows[0].id, dealId, storeId, brandId, AMOUNT, 50_000],
    );
    await c.query('INSERT INTO outbox (id, type, payload, occurred_at) VALUES ($1, $2, $3, clock_timestamp())', [
      newId(),
      'bench.card_redeemed',
      JSON.stringify({ dealId }),
    ]);
    await c.query('UPDATE handled_requests SET answer = $2 WHERE request_id = $1', [`deal:${dealId}:redeem`, JSON.stringify({ value: { dealId } })]);
    await c.query('COMMIT');
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    c.release();
  }
  const b = await booking.connect();
  try {
    await b.query('BEGIN');
    await b.query(`UPDATE deals SET status = 'closed', discount_fen = 50000, closed_at = now() WHERE id = $1 AND status = 'pending' RETURNING *`, [dealId]);
    await b.query('INSERT INTO outbox (id, type, payload, occurred_at) VALUES ($1, $2, $3, clock_timestamp())', [
      newId(),
      'bench.deal_closed',
      JSON.stringify({ dealId }),
    ]);
    await b.query('COMMIT');
  } finally {
    b.release();
  }
  return 'closed';
}

async function main() {
  say('starting the stack');
  const stack = await startStack('deals', { REQUEST_TIMEOUT_MS: '10000' });
  const pools = [];
  try {
    const api = (method, url, options) => http(stack.url, method, url, options);
    const admin = (await api('POST', '/v1/auth/login', { body: { username: 'admin', password: 'admin' } })).json.accessToken;
    const run = Date.now().toString(36);
    const city = `Bench-${run}`;
    const store = await api('POST', '/v1/stores', {
      token: admin,
      body: { name: `Bench ${run}`, city, address: '1 Bench Rd', opensAt: '09:00', closesAt: '21:00' },
    });
    const brand = await api('POST', '/v1/brands', { token: admin, body: { name: `Bench brand ${run}`, categories: ['bathroom'] } });
    const storeId = store.json.id;
    const brandId = brand.json.id;
    await api('PUT', `/v1/stores/${storeId}/brands/${brandId}`, { token: admin, body: { booth: 'B1' } });
    const sales = await api('POST', '/v1/staff', {
      token: admin,
      body: { name: 'Bench sales', team: 'offline', storeId, brandIds: [brandId], dailyCapacity: 1000, username: `bench-${run}`, password: 'secret-pass-1' },
    });
    const staffId = sales.json.id;
    const token = (await api('POST', '/v1/auth/login', { body: { username: `bench-${run}`, password: 'secret-pass-1' } })).json.accessToken;
    const campaign = await api('POST', '/v1/card-campaigns', {
      token: admin,
      body: {
        name: `Bench ${run}`,
        priceFen: 100,
        benefit: { type: 'amount_off', value: 50_000, minSpendFen: 100_000 },
        brandIds: [brandId],
        validFrom: new Date(Date.now() - 86_400_000).toISOString(),
        validTo: new Date(Date.now() + 90 * 86_400_000).toISOString(),
      },
    });

    const pool = (schema) => {
      const p = new pg.Pool({ connectionString: stack.databaseUrl, max: 10, options: `-c search_path=${schema},public` });
      pools.push(p);
      return p;
    };
    const booking = pool('booking');
    const coupons = pool('coupons');
    // The catalog's events (and leads' for the salesperson) reach booking and coupons asynchronously.
    for (let i = 0; ; i++) {
      const b = await booking.query('SELECT 1 FROM store_brands WHERE store_id = $1 AND brand_id = $2', [storeId, brandId]);
      const s = await booking.query('SELECT 1 FROM staff_facts WHERE staff_id = $1', [staffId]);
      const c = await coupons.query('SELECT 1 FROM known_stores WHERE id = $1', [storeId]);
      if (b.rowCount && s.rowCount && c.rowCount) break;
      if (i > 200) throw new Error('the store never reached booking and coupons');
      await sleep(100);
    }

    say(`seeding ${DEALS * 2 + 200} active cards`);
    const [warm, floorCards, gatewayCards] = await Promise.all([
      seedActiveCards(coupons, campaign.json.id, 200, '137'),
      seedActiveCards(coupons, campaign.json.id, DEALS, '138'),
      seedActiveCards(coupons, campaign.json.id, DEALS, '136'),
    ]);
    const ids = { storeId, brandId, staffId };
    const viaGateway = async (card) => {
      const res = await api('POST', '/v1/deals', {
        token,
        idem: randomUUID(),
        body: { storeId, brandId, staffId, customer: { phone: card.phone }, cardNo: card.no, amountFen: AMOUNT },
      });
      if (res.status !== 201 || res.json.discountFen !== 50_000) throw Object.assign(new Error(String(res.status)), { code: `http_${res.status}` });
      return 'closed';
    };

    say('warming up');
    await load(100, CONCURRENCY, (i) => floorDeal(booking, coupons, ids, warm[i]));
    await load(100, CONCURRENCY, (i) => viaGateway(warm[100 + i]));

    say(`${DEALS} deals per path, ${CONCURRENCY} in flight`);
    const results = {};
    results.gateway = await load(DEALS, CONCURRENCY, (i) => viaGateway(gatewayCards[i]));
    results.floor = await load(DEALS, CONCURRENCY, (i) => floorDeal(booking, coupons, ids, floorCards[i]));

    const { rows } = await booking.query(`SELECT count(*)::int AS n FROM deals WHERE status = 'closed' AND card_no = ANY($1)`, [gatewayCards.map((c) => c.no)]);
    const ratio = (a, b) => +(a / b).toFixed(3);
    const summary = {
      at: new Date().toISOString(),
      node: process.version,
      settings: { deals: DEALS, concurrency: CONCURRENCY },
      results,
      ratios: {
        gatewayVsFloorThroughput: ratio(results.gateway.perSecond, results.floor.perSecond),
        gatewayVsFloorP50: ratio(results.gateway.p50, results.floor.p50),
        gatewayVsFloorP99: ratio(results.gateway.p99, results.floor.p99),
      },
      gatewayDealsClosed: rows[0].n,
    };
    const table = Object.entries(results).map(
      ([k, r]) =>
        `${k.padEnd(8)} ${String(r.perSecond).padStart(6)}/s  p50 ${String(r.p50).padStart(8)} ms  p95 ${String(r.p95).padStart(8)} ms  p99 ${String(r.p99).padStart(8)} ms  ${JSON.stringify(r.outcomes)}`,
    );
    process.stdout.write(`\n${table.join('\n')}\n\nratios ${JSON.stringify(summary.ratios)}\ndeals closed through the gateway: ${rows[0].n} of ${DEALS}\n`);
    say(`written to ${writeResults('deals', run, summary)}`);
  } finally {
    for (const p of pools) await p.end().catch(() => undefined);
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${e?.stack ?? e}\n`);
    process.exit(1);
  },
);
