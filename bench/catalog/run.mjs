#!/usr/bin/env node
// Catalog benchmark: 100,000 products across 50 brands and 200 stores in 20 cities; product list
// (city + category) and product detail measured through the gateway, against a floor: a bare
// Fastify + pg server running the same SQL the same way (the service's statements, one after
// another or together as the service runs them, on a pool of the service's size, mapped to the
// same answer). Prints requests/s, p99 and the ratios to the floor, and checks with EXPLAIN that
// the list query does not scan the products table. Also measures conditional GETs: the same
// detail with If-None-Match naming its current ETag, which the gateway answers 304.
// Exits non-zero when a measured run had errors or unexpected statuses (a 304 counts as success
// only in the conditional run, which asks for it), or when the floor's answer differs from the
// gateway's.
// Usage: npm run bench:catalog   (BENCH_SECONDS, BENCH_CONNECTIONS to change the load)
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { createRequire } from 'node:module';
import pg from 'pg';
import { startStack, freePort } from '../lib/stack.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const CITIES = Array.from({ length: 20 }, (_, i) => `City-${i + 1}`);
const CATEGORIES = ['bathroom', 'kitchen', 'tiles', 'doors', 'lighting', 'flooring', 'furniture', 'cabinets'];

// The very SQL the catalog service runs, and the mapping of its rows to the answer, from its own
// compiled code; and the pool size its data source gets.
const require = createRequire(import.meta.url);
const { productListQuery, PRODUCT_DETAIL_SQL } = require('../../dist/apps/catalog/src/products/list-query.js');
const { toProductView, toProductDetailView } = require('../../dist/apps/catalog/src/products/products.repository.js');
const { createDataSource } = require('../../dist/libs/platform/src/database/data-source.js');
const { toPage } = require('../../dist/libs/platform/src/pagination.js');
const SERVICE_POOL_SIZE = createDataSource({ url: 'postgres://unused', schema: 'catalog', migrations: [] }).options.extra.max;
const PUBLIC = { kind: 'anonymous' };

async function seed(db) {
  const t0 = Date.now();
  await db.query(`SET search_path = catalog, public`);
  await db.query(`INSERT INTO stores (id, name, city, address, time_zone, opens_at, closes_at, slot_minutes, slot_capacity)
    SELECT gen_random_uuid(), 'Store ' || i, 'City-' || (1 + i % 20), i || ' Mall Rd', 'Asia/Shanghai', '10:00', '21:00', 60, 4 FROM generate_series(0, 199) i`);
  await db.query(`INSERT INTO brands (id, name, categories)
    SELECT gen_random_uuid(), 'Brand ' || i, ARRAY[(ARRAY[${CATEGORIES.map((c) => `'${c}'`).join(',')}])[1 + i % 8]] FROM generate_series(0, 49) i`);
  // Each brand is a tenant of 40 stores, spread over every city.
  await db.query(`INSERT INTO booths (store_id, brand_id)
    SELECT s.id, b.id FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM stores) s
    JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM brands) b ON (s.n + b.n) % 5 = 0`);
  await db.query(`INSERT INTO products (id, brand_id, name, category, style, images, status, from_price_fen, created_at, updated_at)
    SELECT gen_random_uuid(), b.id, 'Product ' || i || CASE WHEN i % 7 = 0 THEN ' 智能马桶' ELSE '' END,
           (ARRAY[${CATEGORIES.map((c) => `'${c}'`).join(',')}])[1 + i % 8], 'modern', '{}', 'published', 10000 + (i * 37) % 900000, now(), now()
      FROM generate_series(0, 99999) i JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM brands) b ON b.n = i % 50`);
  await db.query(`INSERT INTO skus (product_id, brand_id, code, price_fen)
    SELECT p.id, p.brand_id, 'SKU-' || p.id || '-' || k, p.from_price_fen + k * 1000 FROM products p, generate_series(0, 1) k`);
  // Each product is on display in three stores where its brand is a tenant.
  await db.query(`INSERT INTO product_stores (product_id, store_id, city)
    SELECT p.id, bt.store_id, s.city FROM products p
      JOIN LATERAL (SELECT store_id FROM booths WHERE brand_id = p.brand_id ORDER BY hashtext(p.id::text || store_id::text) LIMIT 3) bt ON true
      JOIN stores s ON s.id = bt.store_id`);
  await db.query('ANALYZE');
  const counts = (
    await db.query(
      `SELECT (SELECT count(*) FROM products) p, (SELECT count(*) FROM product_stores) d, (SELECT count(*) FROM stores) s, (SELECT count(*) FROM brands) b`,
    )
  ).rows[0];
  console.log(`seeded ${counts.p} products, ${counts.d} displays, ${counts.s} stores, ${counts.b} brands in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

function planNodes(plan, out = []) {
  out.push(plan);
  for (const child of plan.Plans ?? []) planNodes(child, out);
  return out;
}

/**
 * The floor: what the catalog reads cost with no gateway, transport or framework. It runs what the
 * service runs for these calls, in the same order (the list: one statement; the detail: one
 * statement, PRODUCT_DETAIL_SQL), on a pool of the service's size, and maps the rows the same way.
 */
async function floorServer(databaseUrl) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: SERVICE_POOL_SIZE, options: '-c search_path=catalog,public' });
  const app = Fastify();
  app.get('/v1/products', async (req) => {
    const { sql, params, size } = productListQuery({ city: req.query.city, category: req.query.category }, PUBLIC);
    const { rows } = await pool.query(sql, params);
    return toPage(rows, size, (r) => [r.id], toProductView);
  });
  app.get('/v1/products/:id', async (req, reply) => {
    const { rows } = await pool.query(PRODUCT_DETAIL_SQL, [req.params.id]);
    if (rows.length === 0 || rows[0].status !== 'published') return reply.code(404).send({ status: 404 });
    return toProductDetailView(rows[0], rows[0]);
  });
  const port = await freePort();
  await app.listen({ port, host: '127.0.0.1' });
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await app.close();
      await pool.end();
    },
  };
}

/**
 * Requests/s, latency and what went wrong in one autocannon run. `expected` are the statuses that
 * count as success: 2xx always, 304 only where the run sends If-None-Match on purpose.
 */
function summarise(result, expected) {
  const byStatus = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => [code, count]));
  const unexpected = Object.entries(byStatus)
    .filter(([code]) => !(code.startsWith('2') || expected.includes(Number(code))))
    .reduce((n, [, count]) => n + count, 0);
  const done = Object.values(byStatus).reduce((n, c) => n + c, 0);
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    p50: result.latency.p50,
    done,
    byStatus,
    failures: result.errors + result.timeouts + unexpected,
  };
}

/** Loads the url with the paths round-robin; `etags`, when given, sends each path's If-None-Match. */
function load(url, paths, { etags, expected = [] } = {}) {
  let i = 0;
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        setupRequest: (req) => {
          const path = paths[i++ % paths.length];
          return etags ? { ...req, path, headers: { ...req.headers, 'if-none-match': etags.get(path) } } : { ...req, path };
        },
      },
    ],
  }).then((r) => summarise(r, expected));
}

/** The answer of each path, as JSON, and its ETag. */
async function answers(url, paths) {
  const out = new Map();
  for (const path of paths) {
    const res = await fetch(url + path);
    out.set(path, { status: res.status, etag: res.headers.get('etag'), cacheControl: res.headers.get('cache-control'), body: await res.json() });
  }
  return out;
}

const stack = await startStack('catalog');
const db = new pg.Client({ connectionString: stack.databaseUrl });
await db.connect();
try {
  await seed(db);
  // Every filter of the listing, alone and with the city, must use an index on products.
  const someStore = (await db.query('SELECT store_id FROM product_stores LIMIT 1')).rows[0].store_id;
  const someBrand = (await db.query('SELECT id FROM brands LIMIT 1')).rows[0].id;
  const filters = {
    'city + category': { city: 'City-3', category: 'bathroom' },
    'no filter': {},
    category: { category: 'tiles' },
    style: { style: 'modern' },
    brand: { brandId: someBrand },
    store: { storeId: someStore },
    'price range': { minPriceFen: 100000, maxPriceFen: 120000 },
    'text q=智能马桶': { q: '智能马桶' },
    'city + text q=Product 12': { city: 'City-5', q: 'Product 12' },
  };
  let scans = 0;
  for (const [name, filter] of Object.entries(filters)) {
    const { sql, params } = productListQuery(filter, PUBLIC);
    const plan = (await db.query(`EXPLAIN (FORMAT JSON) ${sql}`, params)).rows[0]['QUERY PLAN'][0].Plan;
    const nodes = planNodes(plan);
    const seq = nodes.some((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === 'products');
    scans += seq ? 1 : 0;
    console.log(
      `EXPLAIN ${name.padEnd(26)} ${seq ? 'SEQUENTIAL SCAN of products' : 'no sequential scan of products'}: ${nodes.map((n) => `${n['Node Type']}${n['Index Name'] ? `(${n['Index Name']})` : ''}`).join(' > ')}`,
    );
  }
  if (scans) process.exitCode = 1;

  const ids = (await db.query('SELECT id FROM products ORDER BY random() LIMIT 2000')).rows.map((r) => r.id);
  const listPaths = CITIES.flatMap((city) => CATEGORIES.map((category) => `/v1/products?city=${city}&category=${category}`));
  const detailPaths = ids.map((id) => `/v1/products/${id}`);
  const floor = await floorServer(stack.databaseUrl);
  try {
    // The floor must answer what the gateway answers, or it measures something else.
    const sample = [...listPaths.slice(0, 5), ...detailPaths.slice(0, 20)];
    const [viaGateway, viaFloor] = [await answers(stack.url, sample), await answers(floor.url, sample)];
    const differing = sample.filter((p) => JSON.stringify(viaGateway.get(p)?.body) !== JSON.stringify(viaFloor.get(p)?.body));
    const notOk = sample.filter((p) => viaGateway.get(p)?.status !== 200 || !viaGateway.get(p)?.etag);
    console.log(
      `\nsame answers from the gateway and the floor: ${sample.length - differing.length}/${sample.length}; gateway 200 with an ETag: ${sample.length - notOk.length}/${sample.length}`,
    );
    for (const p of differing.slice(0, 3))
      console.log(
        `  differs: ${p}\n    gateway ${JSON.stringify(viaGateway.get(p)?.body).slice(0, 300)}\n    floor   ${JSON.stringify(viaFloor.get(p)?.body).slice(0, 300)}`,
      );
    if (differing.length || notOk.length) process.exitCode = 1;

    const rows = [];
    for (const [name, paths] of [
      ['list (city + category)', listPaths],
      ['detail', detailPaths],
    ]) {
      await load(stack.url, paths.slice(0, 50)); // warm-up pass, not reported
      const gateway = await load(stack.url, paths);
      const bare = await load(floor.url, paths);
      rows.push({ call: name, target: 'gateway', ...gateway, floor: bare });
      rows.push({ call: name, target: 'floor (Fastify + pg)', ...bare, floor: bare });
      if (name === 'detail') {
        // Conditional GETs: each request names its path's current ETag, so every answer is a 304.
        const conditionalPaths = paths.slice(0, 500);
        const etags = new Map([...(await answers(stack.url, conditionalPaths))].map(([p, a]) => [p, a.etag]));
        const conditional = await load(stack.url, conditionalPaths, { etags, expected: [304] });
        const all304 = conditional.byStatus['304'] === conditional.done;
        if (!all304) process.exitCode = 1;
        rows.push({ call: 'detail, If-None-Match (304)', target: `gateway${all304 ? '' : ' (NOT ALL 304)'}`, ...conditional, floor: bare });
      }
    }
    console.log(`\n${CONNECTIONS} connections, ${SECONDS} s each, floor pool ${SERVICE_POOL_SIZE} (the service's); ratios relative to the floor of the call`);
    console.table(
      rows.map((r) => ({
        call: r.call,
        target: r.target,
        'req/s': Math.round(r.rps),
        'p50 ms': r.p50,
        'p99 ms': r.p99,
        statuses: Object.entries(r.byStatus)
          .map(([code, n]) => `${code}:${n}`)
          .join(' '),
        failures: r.failures,
        'req/s ratio': (r.rps / r.floor.rps).toFixed(2),
        'p99 ratio': (r.p99 / r.floor.p99).toFixed(2),
      })),
    );
    const failed = rows.filter((r) => r.failures > 0);
    if (failed.length) {
      console.error(`FAILED: errors or unexpected statuses in ${failed.map((r) => `${r.call} via ${r.target} (${r.failures})`).join(', ')}`);
      process.exitCode = 1;
    }
  } finally {
    await floor.close();
  }
} finally {
  await db.end();
  await stack.stop();
}
