#!/usr/bin/env node
// Catalog benchmark: 100,000 products across 50 brands and 200 stores in 20 cities; product list
// (city + category) and product detail measured through the gateway, against a floor: a bare
// Fastify + pg server running the same SQL. Prints requests/s, p99 and the ratio to the floor,
// and checks with EXPLAIN that the list query does not scan the products table.
// Usage: npm run bench:catalog   (BENCH_SECONDS, BENCH_CONNECTIONS to change the load)
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { createRequire } from 'node:module';
import pg from 'pg';
import { startStack, summarise, freePort } from '../lib/stack.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const CITIES = Array.from({ length: 20 }, (_, i) => `City-${i + 1}`);
const CATEGORIES = ['bathroom', 'kitchen', 'tiles', 'doors', 'lighting', 'flooring', 'furniture', 'cabinets'];

// The very SQL the catalog service runs, from its own compiled code.
const require = createRequire(import.meta.url);
const { productListQuery, PRODUCT_DETAIL_SQL } = require('../../dist/apps/catalog/src/products/list-query.js');
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

async function floorServer(databaseUrl) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 20, options: '-c search_path=catalog,public' });
  const app = Fastify();
  app.get('/v1/products', async (req) => {
    const { sql, params, size } = productListQuery({ city: req.query.city, category: req.query.category }, PUBLIC);
    const { rows } = await pool.query(sql, params);
    return { items: rows.slice(0, size), nextCursor: rows.length > size ? rows[size - 1].id : null };
  });
  app.get('/v1/products/:id', async (req) => {
    const [p, skus, stores] = await Promise.all(Object.values(PRODUCT_DETAIL_SQL).map((sql) => pool.query(sql, [req.params.id])));
    return { ...p.rows[0], skus: skus.rows, stores: stores.rows };
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

function load(url, paths) {
  let i = 0;
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length] }) }],
  }).then(summarise);
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
    const rows = [];
    for (const [name, paths] of [
      ['list (city + category)', listPaths],
      ['detail', detailPaths],
    ]) {
      await load(stack.url, paths.slice(0, 50)); // warm-up pass, not reported
      const gateway = await load(stack.url, paths);
      const bare = await load(floor.url, paths);
      rows.push({ call: name, target: 'gateway', ...gateway, ratio: (gateway.rps / bare.rps).toFixed(2) });
      rows.push({ call: name, target: 'floor (Fastify + pg)', ...bare, ratio: '1.00' });
    }
    console.log(`\n${CONNECTIONS} connections, ${SECONDS} s each; ratio = requests/s relative to the floor`);
    console.table(
      rows.map((r) => ({
        call: r.call,
        target: r.target,
        'req/s': Math.round(r.rps),
        'p50 ms': r.p50,
        'p99 ms': r.p99,
        errors: r.errors,
        'ratio to floor': r.ratio,
      })),
    );
  } finally {
    await floor.close();
  }
} finally {
  await db.end();
  await stack.stop();
}
