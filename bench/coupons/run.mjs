#!/usr/bin/env node
// Redemption throughput and latency of the coupons service, against floors measured in the same run.
//   npm run bench:coupons            (builds dist/ first)
// Env: DATABASE_URL (an admin URL; a scratch database is created and dropped), REDIS_URL,
//      BENCH_CARDS (cards per distinct-card run, default 3000), BENCH_CONCURRENCY (default 32),
//      BENCH_CONTENDERS (requests on the one contended card, default 1000).
// Paths measured, each on cards of its own:
//   floor       a bare conditional UPDATE ... WHERE status='active' on the same table (pg pool of 10)
//   in-process  RedemptionsService.redeem from dist/ (checks, UPDATE, redemption row, outbox event)
//   service     the coupons.cards.redeem message to a running coupons process, over the transport
// The gateway path needs the deal flow (POST /v1/deals), which does not exist yet.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import pg from 'pg';
import { writeResults } from '../lib/results.mjs';
import { seedActiveCards as seedCards } from '../lib/cards.mjs';
import { load } from '../lib/load.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const dist = (p) => require(path.join(ROOT, 'dist', p));
const { COUPONS, healthPattern, Role } = dist('libs/contracts/src/index.js');
const platform = dist('libs/platform/src/index.js');
const { couponsMigrations } = dist('apps/coupons/src/migrations/index.js');
const { RedemptionsService } = dist('apps/coupons/src/cards/redemptions.service.js');
const { CardsRepository } = dist('apps/coupons/src/cards/cards.repository.js');
const { RedemptionsRepository } = dist('apps/coupons/src/cards/redemptions.repository.js');
const { CatalogFactsService } = dist('apps/coupons/src/catalog-facts/catalog-facts.service.js');
const { KnownStoresRepository } = dist('apps/coupons/src/catalog-facts/known-stores.repository.js');
const { KnownBrandsRepository } = dist('apps/coupons/src/catalog-facts/known-brands.repository.js');

const CARDS = Number(process.env.BENCH_CARDS ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const CONTENDERS = Number(process.env.BENCH_CONTENDERS ?? 1000);
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const suffix = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const dbName = `o2o_bench_coupons_${suffix}`;
const dbUrl = Object.assign(new URL(ADMIN_URL), { pathname: `/${dbName}` }).toString();
const namespace = `bench-cpn-${suffix}`;
const env = { ...process.env, DATABASE_URL: dbUrl, REDIS_URL, O2O_NAMESPACE: namespace, LOG_LEVEL: 'warn' };
const admin = { kind: 'staff', userId: randomUUID(), roles: [Role.Admin] };
const STORE = randomUUID();
const BRAND = randomUUID();
const say = (m) => process.stdout.write(`[bench] ${m}\n`);

async function withAdmin(fn) {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

function run(file, extraEnv = {}) {
  return spawn(process.execPath, [path.join(ROOT, 'dist/apps/coupons/src', file)], { env: { ...env, ...extraEnv }, stdio: ['ignore', 'inherit', 'inherit'] });
}

async function main() {
  await withAdmin((c) => c.query(`CREATE DATABASE ${dbName}`));
  const stops = [];
  try {
    await platform.migrate({ url: dbUrl, schema: 'coupons', migrations: couponsMigrations });
    const service = run('main.js');
    stops.push(
      () =>
        new Promise((r) => {
          service.once('exit', r);
          service.kill('SIGTERM');
        }),
    );

    const config = platform.loadConfig(platform.ServiceConfig, env);
    const client = platform.createTransportClient(config);
    await client.connect();
    stops.push(() => client.close());
    const { lastValueFrom, timeout } = require('rxjs');
    const send = (pattern, data) =>
      lastValueFrom(client.send(pattern, { meta: { correlationId: randomUUID(), actor: admin }, data }).pipe(timeout(10_000))).catch((e) => {
        throw platform.isRpcErrorPayload(e) ? Object.assign(new Error(e.message), e) : e;
      });
    for (let i = 0; ; i++) {
      try {
        await send(healthPattern('coupons'), {});
        break;
      } catch (e) {
        if (i > 100) throw e;
        await new Promise((r) => setTimeout(r, 200));
      }
    }

    const campaign = await send(COUPONS.createCampaign, {
      name: 'bench',
      priceFen: 100,
      benefit: { type: 'amount_off', value: 50_000, minSpendFen: 100_000 },
      brandIds: [BRAND],
      validFrom: new Date(Date.now() - 86_400_000).toISOString(),
      validTo: new Date(Date.now() + 90 * 86_400_000).toISOString(),
    });
    const pool = new pg.Pool({ connectionString: dbUrl, max: 10, options: '-c search_path=coupons,public' });
    stops.push(() => pool.end());
    const raw = await platform.createDataSource({ url: dbUrl, schema: 'coupons', migrations: [] }).initialize();
    stops.push(() => raw.destroy());
    // As the service module provides it: repositories' queries join the open transaction.
    const ds = platform.transactionAwareDataSource(raw);
    const facts = new CatalogFactsService(new KnownStoresRepository(ds), new KnownBrandsRepository(ds));
    const inProcess = new RedemptionsService(ds, new CardsRepository(ds), new RedemptionsRepository(ds), facts);
    const deal = (cardNo) => ({ cardNo, dealId: platform.newId(), storeId: STORE, brandId: BRAND, amountFen: 700_000 });

    say(`seeding ${CARDS * 3 + 600} active cards`);
    const [warm, floorCards, inProcCards, serviceCards] = await Promise.all([
      seedCards(pool, campaign.id, 600),
      seedCards(pool, campaign.id, CARDS),
      seedCards(pool, campaign.id, CARDS),
      seedCards(pool, campaign.id, CARDS),
    ]);
    const [hot1, hot2, hot3] = await seedCards(pool, campaign.id, 3);
    const floorSql = `UPDATE cards SET status = 'redeemed', redeemed_at = now() WHERE id = $1 AND status = 'active' RETURNING id`;
    const floorCall = async (card) => {
      const r = await pool.query(floorSql, [card.id]);
      if (r.rowCount === 0) throw Object.assign(new Error('conflict'), { code: 'conflict' });
    };

    say('warming up');
    await load(200, CONCURRENCY, (i) => floorCall(warm[i]));
    await load(200, CONCURRENCY, (i) => inProcess.redeem(deal(warm[200 + i].no)));
    await load(200, CONCURRENCY, (i) => send(COUPONS.redeemCard, deal(warm[400 + i].no)));

    const results = {};
    say(`distinct cards: ${CARDS} redemptions each, ${CONCURRENCY} in flight`);
    results.floor = await load(CARDS, CONCURRENCY, (i) => floorCall(floorCards[i]));
    results.inProcess = await load(CARDS, CONCURRENCY, (i) => inProcess.redeem(deal(inProcCards[i].no)));
    results.service = await load(CARDS, CONCURRENCY, (i) => send(COUPONS.redeemCard, deal(serviceCards[i].no)));

    say(`contention: ${CONTENDERS} redemptions of one card, each for another deal`);
    results.contendedFloor = await load(CONTENDERS, CONCURRENCY, () => floorCall(hot1));
    results.contendedInProcess = await load(CONTENDERS, CONCURRENCY, () => inProcess.redeem(deal(hot2.no)));
    results.contendedService = await load(CONTENDERS, CONCURRENCY, () => send(COUPONS.redeemCard, deal(hot3.no)));

    const [{ n: redemptions }] = (
      await pool.query(`SELECT count(*)::int AS n FROM redemptions r JOIN cards k ON k.id = r.card_id WHERE k.id = ANY($1)`, [[hot2.id, hot3.id]])
    ).rows;
    const ratio = (a, b) => +(a / b).toFixed(3);
    const summary = {
      at: new Date().toISOString(),
      transport: config.O2O_TRANSPORT ?? 'redis',
      node: process.version,
      settings: { cards: CARDS, concurrency: CONCURRENCY, contenders: CONTENDERS, servicePool: 10, floorPool: 10 },
      results,
      ratios: {
        inProcessVsFloorThroughput: ratio(results.inProcess.perSecond, results.floor.perSecond),
        serviceVsFloorThroughput: ratio(results.service.perSecond, results.floor.perSecond),
        serviceVsInProcessThroughput: ratio(results.service.perSecond, results.inProcess.perSecond),
        serviceVsFloorP99: ratio(results.service.p99, results.floor.p99),
        contendedServiceVsFloorP99: ratio(results.contendedService.p99, results.contendedFloor.p99),
      },
      contendedCardsRedeemedOnce: redemptions === 2,
    };
    const table = Object.entries(results).map(
      ([k, r]) =>
        `${k.padEnd(20)} ${String(r.perSecond).padStart(7)}/s  p50 ${String(r.p50).padStart(7)} ms  p95 ${String(r.p95).padStart(7)} ms  p99 ${String(r.p99).padStart(7)} ms  ${JSON.stringify(r.outcomes)}`,
    );
    process.stdout.write(
      `\n${table.join('\n')}\n\nratios ${JSON.stringify(summary.ratios)}\ncontended cards redeemed exactly once: ${summary.contendedCardsRedeemedOnce}\n`,
    );
    say(`written to ${writeResults('coupons', suffix, summary)}`);
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`)).catch(() => undefined);
    await clearRedis();
  }
}

/** Removes the run's keys (queues, transport streams) from the shared Redis. */
async function clearRedis() {
  const Redis = require('ioredis');
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${namespace}:*`, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = nextCursor;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${e?.stack ?? e}\n`);
    process.exit(1);
  },
);
