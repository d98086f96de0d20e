#!/usr/bin/env node
// The funnel report through the gateway, against the same figures counted straight from the raw rows.
//   npm run bench:funnel            (builds dist/ first)
// Env: BENCH_REQUESTS (gateway requests per grouping, default 200), BENCH_RAW_RUNS (raw runs per
//      grouping, default 10), TEST_DATABASE_URL.
// Setup, not measured: over the 90 days to today's UTC midnight, 1,000,000 touchpoints (250,000
// visitors, each coming back over a few days), 100,000 consultations, 100,000 bookings, 60,000
// store visits and 50,000 deals, written straight into the attribution schema with set-based SQL,
// and the rollups built from them as the service builds them (hourly and daily buckets per dimension and key;
// per scope and visitor its hours, first and last, and the per-hour counts of firsts and lasts).
// Measured, one request at a time, over the last 30 days:
//   gateway  GET /v1/funnel by channel and by store, as ops, through the gateway and the transport.
//   raw      the same figures by plain GROUP BYs over the raw tables (count(DISTINCT visitor_id) for
//            visits), run one after another on one connection, straight on Postgres.
// The gateway's figures are checked against the raw ones before anything is measured.
import { createRequire } from 'node:module';
import path from 'node:path';
import pg from 'pg';
import { writeResults } from '../lib/results.mjs';
import { load } from '../lib/load.mjs';
import { startStack } from '../lib/stack.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const { newId } = require(path.join(ROOT, 'dist/libs/platform/src/index.js'));

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const RAW_RUNS = Number(process.env.BENCH_RAW_RUNS ?? 10);
const SIZES = { touchpoints: 1_000_000, visitors: 250_000, consultations: 100_000, bookings: 100_000, storeVisits: 60_000, deals: 50_000 };
const SHAPE = { cities: 40, stores: 300, brands: 60, agents: 120, days: 90 };
const DAY_MS = 86_400_000;
const say = (m) => process.stdout.write(`[bench] ${m}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function http(base, method, url, { token, body } = {}) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(base + url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

// A weighted channel from a hash: sem and seo bring most of the traffic.
const CHANNEL = (h) => `CASE WHEN ${h} % 100 < 30 THEN 'sem' WHEN ${h} % 100 < 55 THEN 'seo' WHEN ${h} % 100 < 75 THEN 'social'
                              WHEN ${h} % 100 < 85 THEN 'partner' WHEN ${h} % 100 < 95 THEN 'direct' ELSE 'offline' END`;
const H = (expr) => `(hashint4(${expr}) & 2147483647)`;

/** The raw rows, set-based. $1 = start of the 90 days, $2 = stores, $3 = brands. */
async function seedRaw(db, start) {
  const stores = Array.from({ length: SHAPE.stores }, () => newId());
  const brands = Array.from({ length: SHAPE.brands }, () => newId());
  const span = `${SHAPE.days * 86_400 - 1}`;
  const at = (h) => `$1::timestamptz + (${h} % ${span}) * interval '1 second'`;
  const agent = (h) => `CASE WHEN ${h} % 10 = 0 THEN NULL ELSE 'agent-' || (${h} % ${SHAPE.agents}) END`;
  const city = (h) => `'city-' || (${h} % ${SHAPE.cities})`;
  const store = (h) => `($2::uuid[])[1 + ${h} % ${SHAPE.stores}]`;
  const brandIds = (
    h,
  ) => `CASE ${h} % 4 WHEN 0 THEN '{}'::uuid[] WHEN 3 THEN ARRAY[($3::uuid[])[1 + ${h} % ${SHAPE.brands}], ($3::uuid[])[1 + (${h} / 7) % ${SHAPE.brands}]]
                            ELSE ARRAY[($3::uuid[])[1 + ${h} % ${SHAPE.brands}]] END`;

  say(`seeding ${SIZES.touchpoints} touchpoints of ${SIZES.visitors} visitors`);
  // A visitor comes back over up to five days, from a first visit spread over the first 85.
  await db.query(
    `INSERT INTO touchpoints (id, visitor_id, type, channel, campaign, keyword, landing_page, at, received_at)
     SELECT gen_random_uuid(), 'bv-' || v, 'visit', ${CHANNEL('h')}, 'campaign-' || (h % 40), NULL, '/landing/' || (h % 200), t, t
       FROM (SELECT g % $2 AS v, ${H('g')} AS h,
                    $1::timestamptz + ((g % $2)::float8 / $2 * 85 * 86400 + ${H('g * 7 + 1')} % (5 * 86400)) * interval '1 second' AS t
               FROM generate_series(0, $3 - 1) g) s`,
    [start, SIZES.visitors, SIZES.touchpoints],
  );
  say(`seeding ${SIZES.consultations} consultations, ${SIZES.bookings} bookings, ${SIZES.storeVisits} store visits, ${SIZES.deals} deals`);
  await db.query(
    `INSERT INTO funnel_consultations (consultation_id, at, channel, city, agent_id)
     SELECT gen_random_uuid(), ${at('h')}, ${CHANNEL('h')}, ${city('h')}, ${agent('h')}
       FROM (SELECT ${H('g + 11')} AS h FROM generate_series(1, $2) g) s`,
    [start, SIZES.consultations],
  );
  await db.query(
    `INSERT INTO funnel_bookings (booking_id, at, channel, city, store_id, agent_id, brand_ids)
     SELECT gen_random_uuid(), ${at('h')}, ${CHANNEL('h')}, ${city('h')}, CASE WHEN h % 10 = 0 THEN NULL ELSE ${store('h')} END, ${agent('h')}, ${brandIds('h')}
       FROM (SELECT ${H('g + 23')} AS h FROM generate_series(1, $4) g) s`,
    [start, stores, brands, SIZES.bookings],
  );
  // A check-in a few days after its booking, at its store (the booking's, or one chosen then), under its channel.
  await db.query(
    `INSERT INTO funnel_store_visits (booking_id, at, channel, city, store_id, agent_id, brand_ids)
     SELECT booking_id, least(at + (${H('hashtext(booking_id::text)')} % (4 * 86400)) * interval '1 second', $2::timestamptz - interval '1 second'),
            channel, city, coalesce(store_id, ($3::uuid[])[1 + ${H('hashtext(booking_id::text)')} % ${SHAPE.stores}]), agent_id, brand_ids
       FROM funnel_bookings ORDER BY booking_id LIMIT $1`,
    [SIZES.storeVisits, new Date(start.getTime() + SHAPE.days * DAY_MS), stores],
  );
  await db.query(
    `INSERT INTO funnel_deals (deal_id, at, channel, city, store_id, brand_id, agent_id, amount_fen, budget_fen)
     SELECT gen_random_uuid(), ${at('h')}, CASE WHEN h % 4 = 0 THEN 'none' ELSE ${CHANNEL('(h / 4)')} END, ${city('h')}, ${store('h')},
            ($3::uuid[])[1 + h % ${SHAPE.brands}], CASE WHEN h % 4 = 0 THEN NULL ELSE ${agent('h')} END,
            100000 + (h % 200) * 5000, CASE WHEN h % 3 = 0 THEN NULL ELSE 100000 + (h / 3 % 150) * 5000 END
       FROM (SELECT ${H('g + 37')} AS h FROM generate_series(1, $4) g) s`,
    [start, stores, brands, SIZES.deals],
  );
}

/** The rollups, from the raw rows, as the service keeps them. */
async function buildRollups(db) {
  say('building the hourly and daily rollups');
  const hour = `date_trunc('hour', x.at, 'UTC')`;
  await db.query(
    `INSERT INTO funnel_hours (dim, key, hour, consultations, bookings, store_visits, deals, deal_amount_fen, budget_fen, premium_fen)
     SELECT dim, key, hour, sum(c), sum(b), sum(v), sum(d), sum(amount), sum(budget), sum(premium) FROM (
       SELECT k.dim, k.key, ${hour} AS hour, 1 AS c, 0 AS b, 0 AS v, 0 AS d, 0::bigint AS amount, 0::bigint AS budget, 0::bigint AS premium
         FROM funnel_consultations x
        CROSS JOIN LATERAL (VALUES ('channel', x.channel), ('city', x.city), ('store', 'none'), ('agent', coalesce(x.agent_id, 'none')), ('brand', 'none')) AS k(dim, key)
       UNION ALL
       SELECT k.dim, k.key, ${hour}, 0, 1, 0, 0, 0, 0, 0
         FROM funnel_bookings x
        CROSS JOIN LATERAL (SELECT 'channel' AS dim, x.channel AS key UNION ALL SELECT 'city', x.city UNION ALL SELECT 'store', coalesce(x.store_id::text, 'none')
                            UNION ALL SELECT 'agent', coalesce(x.agent_id, 'none')
                            UNION ALL SELECT 'brand', b FROM unnest(CASE WHEN cardinality(x.brand_ids) = 0 THEN ARRAY['none'] ELSE x.brand_ids::text[] END) AS b) AS k
       UNION ALL
       SELECT k.dim, k.key, ${hour}, 0, 0, 1, 0, 0, 0, 0
         FROM funnel_store_visits x
        CROSS JOIN LATERAL (SELECT 'channel' AS dim, x.channel AS key UNION ALL SELECT 'city', x.city UNION ALL SELECT 'store', coalesce(x.store_id::text, 'none')
                            UNION ALL SELECT 'agent', coalesce(x.agent_id, 'none')
                            UNION ALL SELECT 'brand', b FROM unnest(CASE WHEN cardinality(x.brand_ids) = 0 THEN ARRAY['none'] ELSE x.brand_ids::text[] END) AS b) AS k
       UNION ALL
       SELECT k.dim, k.key, ${hour}, 0, 0, 0, 1, x.amount_fen, coalesce(x.budget_fen, 0),
              CASE WHEN x.budget_fen IS NULL THEN 0 ELSE greatest(0, x.amount_fen - x.budget_fen) END
         FROM funnel_deals x
        CROSS JOIN LATERAL (VALUES ('channel', x.channel), ('city', coalesce(x.city, 'none')), ('store', x.store_id::text), ('agent', coalesce(x.agent_id, 'none')),
                                   ('brand', x.brand_id::text)) AS k(dim, key)
     ) u GROUP BY dim, key, hour`,
  );
  await db.query(
    `INSERT INTO funnel_days (dim, key, day, consultations, bookings, store_visits, deals, deal_amount_fen, budget_fen, premium_fen)
     SELECT dim, key, date_trunc('day', hour, 'UTC'), sum(consultations), sum(bookings), sum(store_visits), sum(deals),
            sum(deal_amount_fen), sum(budget_fen), sum(premium_fen)
       FROM funnel_hours GROUP BY dim, key, date_trunc('day', hour, 'UTC')`,
  );
  say('building the distinct-visitor rollups');
  await db.query(
    `INSERT INTO funnel_visitor_hours (scope, visitor_id, hour, next_hour)
     SELECT scope, visitor_id, hour, lead(hour) OVER (PARTITION BY scope, visitor_id ORDER BY hour)
       FROM (SELECT 'all' AS scope, visitor_id, date_trunc('hour', at, 'UTC') AS hour FROM touchpoints
             UNION SELECT 'channel:' || channel, visitor_id, date_trunc('hour', at, 'UTC') FROM touchpoints) seen`,
  );
  await db.query(
    `INSERT INTO funnel_visitors (scope, visitor_id, first_hour, last_hour)
     SELECT scope, visitor_id, min(hour), max(hour) FROM funnel_visitor_hours GROUP BY scope, visitor_id`,
  );
  await db.query(
    `INSERT INTO funnel_visitor_bounds (scope, hour, firsts, lasts)
     SELECT scope, hour, sum(f), sum(l) FROM (
       SELECT scope, first_hour AS hour, 1 AS f, 0 AS l FROM funnel_visitors
       UNION ALL SELECT scope, last_hour, 0, 1 FROM funnel_visitors) x
      GROUP BY scope, hour`,
  );
  await db.query('VACUUM ANALYZE');
}

const RAW_KEY = {
  channel: { consultation: 'channel', booking: 'channel', deal: 'channel', visit: 'channel' },
  store: {
    consultation: `'none'`,
    booking: `coalesce(store_id::text, 'none')`,
    deal: 'store_id::text',
    visit: `'none'`,
  },
};

/** The report's figures by plain GROUP BYs over the raw tables, one query after another on one connection. */
async function rawFunnel(db, from, to, groupBy) {
  const k = RAW_KEY[groupBy];
  const range = 'at >= $1 AND at < $2';
  const run = async (sql) => (await db.query(sql, [from, to])).rows;
  const visits = await run(`SELECT ${k.visit} AS key, count(DISTINCT visitor_id)::int AS n FROM touchpoints WHERE ${range} GROUP BY 1`);
  const visitsTotal = await run(`SELECT count(DISTINCT visitor_id)::int AS n FROM touchpoints WHERE ${range}`);
  const consultations = await run(`SELECT ${k.consultation} AS key, count(*)::int AS n FROM funnel_consultations WHERE ${range} GROUP BY 1`);
  const bookings = await run(`SELECT ${k.booking} AS key, count(*)::int AS n FROM funnel_bookings WHERE ${range} GROUP BY 1`);
  const storeVisits = await run(`SELECT ${k.booking} AS key, count(*)::int AS n FROM funnel_store_visits WHERE ${range} GROUP BY 1`);
  const deals = await run(
    `SELECT ${k.deal} AS key, count(*)::int AS n, sum(amount_fen)::bigint AS amount, coalesce(sum(budget_fen), 0)::bigint AS budget,
            sum(CASE WHEN budget_fen IS NULL THEN 0 ELSE greatest(0, amount_fen - budget_fen) END)::bigint AS premium
       FROM funnel_deals WHERE ${range} GROUP BY 1`,
  );
  const rows = new Map();
  const row = (key) => {
    if (!rows.has(key))
      rows.set(key, { key, visits: 0, consultations: 0, bookings: 0, storeVisits: 0, deals: 0, dealAmountFen: 0, budgetFen: 0, premiumFen: 0 });
    return rows.get(key);
  };
  for (const r of visits) row(r.key).visits = r.n;
  for (const r of consultations) row(r.key).consultations = r.n;
  for (const r of bookings) row(r.key).bookings = r.n;
  for (const r of storeVisits) row(r.key).storeVisits = r.n;
  for (const r of deals) Object.assign(row(r.key), { deals: r.n, dealAmountFen: Number(r.amount), budgetFen: Number(r.budget), premiumFen: Number(r.premium) });
  const sum = (f) => [...rows.values()].reduce((n, r) => n + r[f], 0);
  // By channel or by store every record is under exactly one key, so the rows add up to the totals (visits aside).
  const total = {
    visits: visitsTotal[0].n,
    consultations: sum('consultations'),
    bookings: sum('bookings'),
    storeVisits: sum('storeVisits'),
    deals: sum('deals'),
    dealAmountFen: sum('dealAmountFen'),
    budgetFen: sum('budgetFen'),
    premiumFen: sum('premiumFen'),
  };
  return { rows: [...rows.values()], total };
}

const FIGURES = ['visits', 'consultations', 'bookings', 'storeVisits', 'deals', 'dealAmountFen', 'budgetFen', 'premiumFen'];

/** Where the gateway's figures and the raw ones differ (an empty list when they agree). */
function differences(answer, raw) {
  const out = [];
  const byKey = new Map(answer.rows.map((r) => [r.key, r]));
  for (const r of raw.rows) {
    const a = byKey.get(r.key);
    for (const f of FIGURES) if ((a?.[f] ?? 0) !== r[f]) out.push(`${r.key}.${f}: gateway ${a?.[f]}, raw ${r[f]}`);
    byKey.delete(r.key);
  }
  for (const key of byKey.keys()) out.push(`${key}: only in the gateway's answer`);
  for (const f of FIGURES) if (answer.total[f] !== raw.total[f]) out.push(`total.${f}: gateway ${answer.total[f]}, raw ${raw.total[f]}`);
  return out;
}

async function main() {
  say('starting the stack');
  const stack = await startStack('funnel', { REQUEST_TIMEOUT_MS: '10000' });
  const pools = [];
  try {
    const api = (method, url, options) => http(stack.url, method, url, options);
    const token = (await api('POST', '/v1/auth/login', { body: { username: 'admin', password: 'admin' } })).json.accessToken;
    const db = new pg.Pool({ connectionString: stack.databaseUrl, max: 2, options: '-c search_path=attribution,public' });
    pools.push(db);

    const today = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS);
    const start = new Date(today.getTime() - SHAPE.days * DAY_MS);
    const t0 = Date.now();
    const seeder = await db.connect();
    try {
      await seeder.query(`SET synchronous_commit = off; SET maintenance_work_mem = '256MB'; SET work_mem = '64MB'`);
      await seedRaw(seeder, start);
      await buildRollups(seeder);
      await seeder.query('RESET ALL');
    } finally {
      seeder.release();
    }
    const seedSeconds = +((Date.now() - t0) / 1000).toFixed(1);
    const { rows: sizes } = await db.query(
      `SELECT relname AS table, n_live_tup::int AS rows FROM pg_stat_user_tables WHERE schemaname = 'attribution' AND relname LIKE ANY (ARRAY['touchpoints', 'funnel%']) ORDER BY relname`,
    );
    say(`seeded in ${seedSeconds} s: ${sizes.map((s) => `${s.table} ${s.rows}`).join(', ')}`);

    // The last 30 days, as dates in the report time zone (Shanghai midnights: whole UTC hours).
    const shanghaiDay = (ms) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
    const from = shanghaiDay(today.getTime() - 30 * DAY_MS);
    const to = shanghaiDay(today.getTime());
    const funnelUrl = (groupBy, f = from, t = to) => `/v1/funnel?from=${encodeURIComponent(f)}&to=${encodeURIComponent(t)}&groupBy=${groupBy}`;
    const viaGateway = async (url) => {
      const res = await api('GET', url, { token });
      if (res.status !== 200) throw Object.assign(new Error(String(res.status)), { code: `http_${res.status}` });
      return res.json;
    };

    // The same figures both ways first, edges inside hours too: what is measured must be right.
    const cases = [
      ['channel', from, to],
      ['store', from, to],
      ['channel', new Date(today.getTime() - 30 * DAY_MS + 1_234_567).toISOString(), new Date(today.getTime() - 2_345_678).toISOString()],
    ];
    const checks = [];
    for (const [groupBy, f, t] of cases) {
      const answer = await viaGateway(funnelUrl(groupBy, f, t));
      const raw = await rawFunnel(db, new Date(answer.from), new Date(answer.to), groupBy);
      const diff = differences(answer, raw);
      checks.push({ groupBy, from: answer.from, to: answer.to, rows: answer.rows.length, agree: diff.length === 0, differences: diff.slice(0, 10) });
      if (diff.length > 0)
        throw new Error(`the gateway and the raw rows disagree by ${groupBy} over ${answer.from}..${answer.to}:\n${diff.slice(0, 10).join('\n')}`);
    }
    say(`gateway figures equal the raw GROUP BYs (${checks.map((c) => `${c.groupBy}: ${c.rows} rows`).join(', ')})`);

    say('warming up');
    await load(20, 1, () => viaGateway(funnelUrl('channel')));
    await load(20, 1, () => viaGateway(funnelUrl('store')));
    const window = { from: new Date(checks[0].from), to: new Date(checks[0].to) };
    await rawFunnel(db, window.from, window.to, 'channel');

    const results = {};
    for (const groupBy of ['channel', 'store']) {
      say(`gateway by ${groupBy}: ${REQUESTS} requests, one at a time`);
      results[`gateway_${groupBy}`] = await load(REQUESTS, 1, () => viaGateway(funnelUrl(groupBy)));
      say(`raw by ${groupBy}: ${RAW_RUNS} runs, one at a time`);
      results[`raw_${groupBy}`] = await load(RAW_RUNS, 1, () => rawFunnel(db, window.from, window.to, groupBy));
      await sleep(200);
    }
    const ratio = (a, b) => +(a / b).toFixed(1);
    const ratios = {
      channelP50: ratio(results.raw_channel.p50, results.gateway_channel.p50),
      channelP99: ratio(results.raw_channel.p99, results.gateway_channel.p99),
      storeP50: ratio(results.raw_store.p50, results.gateway_store.p50),
      storeP99: ratio(results.raw_store.p99, results.gateway_store.p99),
    };
    const goals = {
      gatewayP50Under100ms: results.gateway_channel.p50 < 100 && results.gateway_store.p50 < 100,
      atLeast10xFasterThanRaw: ratios.channelP50 >= 10 && ratios.storeP50 >= 10,
    };
    const summary = {
      at: new Date().toISOString(),
      node: process.version,
      settings: { requests: REQUESTS, rawRuns: RAW_RUNS, ...SIZES, ...SHAPE, range: { from, to, tz: 'Asia/Shanghai' } },
      seedSeconds,
      tables: Object.fromEntries(sizes.map((s) => [s.table, s.rows])),
      checks,
      results,
      ratios,
      goals,
    };
    const line = (k, r) =>
      `${k.padEnd(16)} p50 ${String(r.p50).padStart(9)} ms  p95 ${String(r.p95).padStart(9)} ms  p99 ${String(r.p99).padStart(9)} ms  (${r.total} runs) ${JSON.stringify(r.outcomes)}`;
    process.stdout.write(
      `\nGET /v1/funnel over 30 days (${from} to ${to}, Asia/Shanghai)\n` +
        `${Object.entries(results)
          .map(([k, r]) => line(k, r))
          .join('\n')}\n\n` +
        `raw / gateway: by channel p50 ${ratios.channelP50}x, p99 ${ratios.channelP99}x; by store p50 ${ratios.storeP50}x, p99 ${ratios.storeP99}x\n` +
        `goals: p50 under 100 ms through the gateway ${goals.gatewayP50Under100ms ? 'met' : 'MISSED'}; at least 10x faster than raw ${goals.atLeast10xFasterThanRaw ? 'met' : 'MISSED'}\n`,
    );
    say(`written to ${writeResults('funnel', Date.now().toString(36), summary)}`);
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
