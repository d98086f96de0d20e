#!/usr/bin/env node
// Redemption throughput and latency of the coupons service, against floors measured in the same run.
//   npm run bench:coupons            (builds dist/ first)
// Env: DATABASE_URL (an admin URL; a scratch database is created and dropped), REDIS_URL,
//      BENCH_CARDS (cards per distinct-card run, default 3000), BENCH_CONCURRENCY (default 32),
//      BENCH_CONTENDERS (requests on the one contended card, default 1000).
// Paths measured, each on cards of its own:
//   floor       a bare conditional UPDATE ... WHERE status='active' on the same table (pg pool of 10):
//               the physical limit
//   equal-work  the statements one redemption command sends to Postgres (request ledger claim, card
//               read, the redemption statement, ledger answer), in one transaction, by bare pg on a
//               pool of 10 like the service's. Their text is recorded from the service's own code
//               (an in-process command: RequestLedger.run + RedemptionsService.redeem) at start-up,
//               so this floor follows the service's SQL; the run fails if their shape changes.
//   in-process  RedemptionsService.redeem from dist/ (checks, and the same statements minus the ledger)
//   service     the coupons.cards.redeem message to a running coupons process, over the transport
// The run exits non-zero when any measured call had an unexpected outcome (an error, or a refusal
// other than the one winner's rivals get), or when a contended card was not redeemed exactly once.
// The gateway path needs the deal flow (POST /v1/deals), which does not exist yet.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import pg from 'pg';
import { writeResults } from '../lib/results.mjs';
import { seedActiveCards as seedCards } from '../lib/cards.mjs';
import { load } from '../lib/load.mjs';
import { oneLine, recordStatements } from '../lib/statements.mjs';

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
const { EVENTS } = dist('libs/contracts/src/index.js');

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
    // What the service's @Command handler does, in process: the request ledger around the redemption.
    const ledger = new platform.RequestLedger(raw);
    const inProcessCommand = (data) => ledger.run({ requestId: randomUUID(), pattern: COUPONS.redeemCard, data }, () => inProcess.redeem(data));
    // Expected refusals are named code:reason, so that anything else shows up as a failure.
    const refused = (e) => {
      const code = e?.code ?? e?.message ?? 'error';
      throw Object.assign(new Error(String(code)), { code: e?.reason ? `${code}:${e.reason}` : code });
    };

    say(`seeding ${CARDS * 4 + 800} active cards`);
    const [warm, floorCards, equalCards, inProcCards, serviceCards] = await Promise.all([
      seedCards(pool, campaign.id, 800),
      seedCards(pool, campaign.id, CARDS),
      seedCards(pool, campaign.id, CARDS),
      seedCards(pool, campaign.id, CARDS),
      seedCards(pool, campaign.id, CARDS),
    ]);
    const hot = await seedCards(pool, campaign.id, 3);
    const [hot1, hot2, hot3] = hot;
    const floorSql = `UPDATE cards SET status = 'redeemed', redeemed_at = now() WHERE id = $1 AND status = 'active' RETURNING id`;
    const floorCall = async (card) => {
      const r = await pool.query(floorSql, [card.id]);
      if (r.rowCount === 0) throw Object.assign(new Error('conflict'), { code: 'conflict' });
    };

    // The statements of one redemption command, as the service's code sends them, recorded once.
    const probeCard = warm[600];
    const probeDeal = deal(probeCard.no);
    const probeRequestId = randomUUID();
    const probe = await recordStatements(() =>
      ledger.run({ requestId: probeRequestId, pattern: COUPONS.redeemCard, data: probeDeal }, () => inProcess.redeem(probeDeal)),
    );
    const loserProbe = await recordStatements(() => inProcessCommand(deal(probeCard.no)).catch((e) => e.reason ?? e.message));
    const texts = probe.statements.map((st) => oneLine(st.text));
    if (texts[0] !== 'START TRANSACTION' || texts.at(-1) !== 'COMMIT' || !texts.some((t) => /INSERT INTO handled_requests/.test(t))) {
      throw new Error(`A redemption command is not one ledger transaction:\n${texts.join('\n')}`);
    }
    say(`one redemption command: ${texts.length} round trips; a rival that finds the card used: ${loserProbe.statements.length}`);
    for (const t of texts) say(`  ${t.slice(0, 140)}`);

    // Replays them for another card and deal: the probe's card id, number, phone, deal id and
    // request id become the new ones, and every other id it drew (the redemption's, the event's)
    // a fresh one, also inside the JSON of the event and of the answer.
    const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
    const fixed = new Set([STORE, BRAND, campaign.id, ...(campaign.brandIds ?? [])].map((v) => v.toLowerCase()));
    const perCall = [probeCard.id, probeCard.no, probeCard.phone, probeDeal.dealId, probeRequestId];
    const drawn = new Set();
    for (const st of probe.statements) {
      for (const v of st.values ?? []) {
        if (typeof v !== 'string') continue;
        for (const m of v.match(UUID) ?? []) if (!fixed.has(m.toLowerCase()) && !perCall.includes(m)) drawn.add(m);
      }
    }
    const escape = (v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const replaced = new RegExp([...perCall, ...drawn].map(escape).join('|'), 'g');
    /** The command's statements by bare pg, in one transaction, on the bench's pool of 10. */
    const equalWorkCall = async (card) => {
      const to = new Map([
        [probeCard.id, card.id],
        [probeCard.no, card.no],
        [probeCard.phone, card.phone],
        [probeDeal.dealId, platform.newId()],
        [probeRequestId, randomUUID()],
        ...[...drawn].map((id) => [id, platform.newId()]),
      ]);
      const client = await pool.connect();
      try {
        for (const st of probe.statements) {
          await client.query(
            st.text,
            st.values?.map((v) => (typeof v === 'string' ? v.replace(replaced, (m) => to.get(m)) : v)),
          );
        }
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    };

    say('warming up');
    const warmups = {
      floor: await load(200, CONCURRENCY, (i) => floorCall(warm[i])),
      equalWork: await load(200, CONCURRENCY, (i) => equalWorkCall(warm[200 + i])),
      inProcess: await load(200, CONCURRENCY, (i) => inProcess.redeem(deal(warm[400 + i].no))),
      service: await load(195, CONCURRENCY, (i) => send(COUPONS.redeemCard, deal(warm[605 + i].no))),
    };

    const results = {};
    say(`distinct cards: ${CARDS} redemptions each, ${CONCURRENCY} in flight`);
    results.floor = await load(CARDS, CONCURRENCY, (i) => floorCall(floorCards[i]));
    results.equalWork = await load(CARDS, CONCURRENCY, (i) => equalWorkCall(equalCards[i]));
    results.inProcess = await load(CARDS, CONCURRENCY, (i) => inProcess.redeem(deal(inProcCards[i].no)));
    results.service = await load(CARDS, CONCURRENCY, (i) => send(COUPONS.redeemCard, deal(serviceCards[i].no)));

    say(`contention: ${CONTENDERS} redemptions of one card, each for another deal`);
    results.contendedFloor = await load(CONTENDERS, CONCURRENCY, () => floorCall(hot1));
    results.contendedInProcess = await load(CONTENDERS, CONCURRENCY, () => inProcess.redeem(deal(hot2.no)).catch(refused));
    results.contendedService = await load(CONTENDERS, CONCURRENCY, () => send(COUPONS.redeemCard, deal(hot3.no)).catch(refused));

    // Every measured call must have the outcome its path promises.
    const problems = [];
    const sameCounts = (a, b) => Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, n]) => b[k] === n);
    const check = (name, r, expected) => {
      if (!sameCounts(r.outcomes, expected)) problems.push(`${name}: outcomes ${JSON.stringify(r.outcomes)}, expected ${JSON.stringify(expected)}`);
    };
    for (const [name, r] of Object.entries(warmups)) check(`warm-up ${name}`, r, { ok: r.total });
    for (const name of ['floor', 'equalWork', 'inProcess', 'service']) check(name, results[name], { ok: CARDS });
    check('contendedFloor', results.contendedFloor, { ok: 1, conflict: CONTENDERS - 1 });
    check('contendedInProcess', results.contendedInProcess, { ok: 1, 'conflict:card_used': CONTENDERS - 1 });
    check('contendedService', results.contendedService, { ok: 1, 'conflict:card_used': CONTENDERS - 1 });

    // Each contended card on its own: redeemed, and (through the service's code) one redemption and one event.
    const perCard = (
      await pool.query(
        `SELECT k.id, k.status,
                (SELECT count(*)::int FROM redemptions r WHERE r.card_id = k.id) AS redemptions,
                (SELECT count(*)::int FROM outbox o WHERE o.type = $2 AND o.payload->>'cardId' = k.id::text) AS events
           FROM cards k WHERE k.id = ANY ($1::uuid[])`,
        [hot.map((c) => c.id), EVENTS.cardRedeemed],
      )
    ).rows;
    const contended = Object.fromEntries(
      [
        ['floor', hot1, { status: 'redeemed', redemptions: 0, events: 0 }],
        ['inProcess', hot2, { status: 'redeemed', redemptions: 1, events: 1 }],
        ['service', hot3, { status: 'redeemed', redemptions: 1, events: 1 }],
      ].map(([name, card, want]) => {
        const got = perCard.find((r) => r.id === card.id);
        const once = !!got && got.status === want.status && got.redemptions === want.redemptions && got.events === want.events;
        if (!once) problems.push(`contended card of ${name}: ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
        return [name, once];
      }),
    );
    // And the equal-work floor did the service's work: one redemption and one event per card.
    const [equalRows] = (
      await pool.query(
        `SELECT count(*) FILTER (WHERE k.status = 'redeemed')::int AS redeemed,
                (SELECT count(*)::int FROM redemptions r WHERE r.card_id = ANY ($1::uuid[])) AS redemptions,
                (SELECT count(*)::int FROM outbox o WHERE o.type = $2 AND (o.payload->>'cardId')::uuid = ANY ($1::uuid[])) AS events
           FROM cards k WHERE k.id = ANY ($1::uuid[])`,
        [equalCards.map((c) => c.id), EVENTS.cardRedeemed],
      )
    ).rows;
    if (equalRows.redeemed !== CARDS || equalRows.redemptions !== CARDS || equalRows.events !== CARDS) {
      problems.push(`equal-work floor: ${JSON.stringify(equalRows)}, expected ${CARDS} of each`);
    }

    const ratio = (a, b) => +(a / b).toFixed(3);
    const summary = {
      at: new Date().toISOString(),
      transport: config.O2O_TRANSPORT ?? 'redis',
      node: process.version,
      settings: { cards: CARDS, concurrency: CONCURRENCY, contenders: CONTENDERS, servicePool: 10, floorPool: 10, equalWorkPool: 10 },
      roundTrips: {
        command: probe.statements.map((st) => oneLine(st.text).slice(0, 100)),
        rivalFindingCardUsed: loserProbe.statements.map((st) => oneLine(st.text).slice(0, 100)),
      },
      results,
      ratios: {
        equalWorkVsFloorThroughput: ratio(results.equalWork.perSecond, results.floor.perSecond),
        inProcessVsFloorThroughput: ratio(results.inProcess.perSecond, results.floor.perSecond),
        serviceVsFloorThroughput: ratio(results.service.perSecond, results.floor.perSecond),
        serviceVsEqualWorkThroughput: ratio(results.service.perSecond, results.equalWork.perSecond),
        serviceVsInProcessThroughput: ratio(results.service.perSecond, results.inProcess.perSecond),
        serviceVsFloorP99: ratio(results.service.p99, results.floor.p99),
        serviceVsEqualWorkP99: ratio(results.service.p99, results.equalWork.p99),
        contendedServiceVsFloorP99: ratio(results.contendedService.p99, results.contendedFloor.p99),
      },
      contendedCardsRedeemedOnce: contended,
      problems,
    };
    const table = Object.entries(results).map(
      ([k, r]) =>
        `${k.padEnd(20)} ${String(r.perSecond).padStart(7)}/s  p50 ${String(r.p50).padStart(7)} ms  p95 ${String(r.p95).padStart(7)} ms  p99 ${String(r.p99).padStart(7)} ms  ${JSON.stringify(r.outcomes)}`,
    );
    process.stdout.write(
      `\n${table.join('\n')}\n\nratios ${JSON.stringify(summary.ratios, null, 1)}\ncontended cards redeemed exactly once: ${JSON.stringify(contended)}\n`,
    );
    say(`written to ${writeResults('coupons', suffix, summary)}`);
    if (problems.length) throw new Error(`the run is not valid:\n  ${problems.join('\n  ')}`);
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
