#!/usr/bin/env node
// Lead intake and assignment under a burst: how fast leads turns booking events into assigned leads.
//   npm run bench:leads            (builds dist/ first)
// Env: DATABASE_URL (an admin URL; a scratch database is created and dropped), REDIS_URL,
//      BENCH_EVENTS (booking.created events in the burst, default 10000), BENCH_SALES (salespeople, 2 to 20, default 10),
//      BENCH_CAPACITY (each one's daily capacity, at most 1000 by the staff contract, default 1000),
//      BENCH_STALL_SECONDS (no progress for this long ends the wait, default 60).
// One city, one store, one brand, round_robin. The burst is added to leads' event queue the way the
// outbox relay does it (one job per event, the event id as job id), then the leads service from dist/
// takes it. Assignment is read from leads' own outbox (lead.created, lead.assigned), never its tables.
// Capacity bounds the leads that can be assigned today: at most BENCH_SALES x BENCH_CAPACITY; the rest
// wait in the store's queue (status unassigned) and are counted as decided once intaken.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import pg from 'pg';
import { writeResults } from '../lib/results.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const dist = (p) => require(path.join(ROOT, 'dist', p));
const { LEADS, EVENTS, healthPattern, Role } = dist('libs/contracts/src/index.js');
const platform = dist('libs/platform/src/index.js');
const { leadsMigrations } = dist('apps/leads/src/migrations/index.js');
const { Queue } = require('bullmq');

const N = Number(process.env.BENCH_EVENTS ?? 10_000);
const SALES = Math.min(20, Math.max(2, Number(process.env.BENCH_SALES ?? 10)));
const CAPACITY = Number(process.env.BENCH_CAPACITY ?? 1000);
const STALL_MS = Number(process.env.BENCH_STALL_SECONDS ?? 60) * 1000;
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const suffix = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const dbName = `o2o_bench_leads_${suffix}`;
const dbUrl = Object.assign(new URL(ADMIN_URL), { pathname: `/${dbName}` }).toString();
const namespace = `bench-leads-${suffix}`;
const env = { ...process.env, DATABASE_URL: dbUrl, REDIS_URL, O2O_NAMESPACE: namespace, LOG_LEVEL: 'warn' };
const admin = { kind: 'staff', userId: randomUUID(), roles: [Role.Admin] };
const CITY = 'Hangzhou';
const STORE = platform.newId();
const BRAND = platform.newId();
// The relay's job options: retried, kept, never dropped.
const JOB_OPTIONS = { attempts: 25, backoff: { type: 'exponential', delay: 500 }, removeOnComplete: { age: 7 * 24 * 3600 }, removeOnFail: false };
const say = (m) => process.stdout.write(`[bench] ${m}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function withAdmin(fn) {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const envelope = (type, data, source = 'booking') => ({ id: platform.newId(), type, source, occurredAt: new Date().toISOString(), data });

async function main() {
  await withAdmin((c) => c.query(`CREATE DATABASE ${dbName}`));
  const stops = [];
  try {
    await platform.migrate({ url: dbUrl, schema: 'leads', migrations: leadsMigrations });
    const service = spawn(process.execPath, [path.join(ROOT, 'dist/apps/leads/src/main.js')], { env, stdio: ['ignore', 'inherit', 'inherit'] });
    stops.push(
      () =>
        new Promise((r) => {
          if (service.exitCode !== null) return r();
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
        await send(healthPattern('leads'), {});
        break;
      } catch (e) {
        if (i > 100) throw e;
        await sleep(200);
      }
    }

    const pool = new pg.Pool({ connectionString: dbUrl, max: 4, options: '-c search_path=leads,public' });
    stops.push(() => pool.end());
    const redis = platform.sharedBullRedis(platform.bullConnection(REDIS_URL));
    stops.push(() => redis.quit());
    const queues = new Map();
    const queueOf = (type) => {
      if (!queues.has(type)) queues.set(type, new Queue(platform.eventQueueName('leads', type), { connection: redis, prefix: platform.bullPrefix(namespace) }));
      return queues.get(type);
    };
    stops.push(() => Promise.all([...queues.values()].map((q) => q.close())));
    const publish = (events) => {
      const byType = new Map();
      for (const e of events) byType.set(e.type, [...(byType.get(e.type) ?? []), e]);
      return Promise.all(
        [...byType].map(([type, list]) => queueOf(type).addBulk(list.map((e) => ({ name: type, data: e, opts: { jobId: e.id, ...JOB_OPTIONS } })))),
      );
    };
    const processed = async (ids) => (await pool.query('SELECT count(*)::int AS n FROM processed_events WHERE event_id = ANY($1)', [ids])).rows[0].n;

    say(`routing facts: store ${STORE} in ${CITY}, brand ${BRAND} its tenant; ${SALES} salespeople at capacity ${CAPACITY}; round_robin`);
    const facts = [
      envelope(
        EVENTS.storeCreated,
        { id: STORE, name: 'Bench store', city: CITY, address: '1 Bench Road', district: null, timeZone: 'Asia/Shanghai' },
        'catalog',
      ),
      envelope(EVENTS.brandCreated, { id: BRAND, name: 'Bench brand', categories: ['cabinets'] }, 'catalog'),
    ];
    await publish(facts);
    const tenancy = envelope(EVENTS.brandJoinedStore, { storeId: STORE, brandId: BRAND, booth: 'A1', city: CITY }, 'catalog');
    await publish([tenancy]);
    const factIds = [...facts, tenancy].map((e) => e.id);
    for (let i = 0; (await processed(factIds)) < factIds.length; i++) {
      if (i > 150) throw new Error('leads did not take the routing facts within 30 s');
      await sleep(200);
    }
    const sales = [];
    for (let i = 0; i < SALES; i++) {
      sales.push(await send(LEADS.createStaff, { name: `Sales ${i + 1}`, team: 'offline', storeId: STORE, brandIds: [BRAND], dailyCapacity: CAPACITY }));
    }
    await send(LEADS.putPolicy, { strategy: 'round_robin', contactSlaMinutes: 10080, protectionDays: 30 });

    const expectedAssigned = Math.min(N, SALES * CAPACITY);
    say(`burst: ${N} booking.created events for distinct phones (at most ${expectedAssigned} can be assigned today)`);
    const sentAt = new Map();
    const bookings = Array.from({ length: N }, (_, i) => {
      const phone = `13${String(100_000_000 + i).slice(-9)}`;
      return envelope(EVENTS.bookingCreated, {
        bookingId: platform.newId(),
        consultationId: null,
        leadId: null,
        phone,
        city: CITY,
        storeId: STORE,
        brandIds: [BRAND],
        kind: 'store_visit',
        source: { channel: 'sem', campaign: 'bench', agentId: null, visitorId: null },
        at: new Date().toISOString(),
      });
    });
    const t0 = Date.now();
    for (let i = 0; i < N; i += 1000) {
      const chunk = bookings.slice(i, i + 1000);
      const at = Date.now();
      for (const b of chunk) sentAt.set(b.data.phone, at);
      await publish(chunk);
    }
    const enqueuedMs = Date.now() - t0;

    const counts = async () =>
      (
        await pool.query(
          `SELECT count(*) FILTER (WHERE type = $1)::int AS created, count(*) FILTER (WHERE type = $2)::int AS assigned FROM outbox WHERE type IN ($1, $2)`,
          [EVENTS.leadCreated, EVENTS.leadAssigned],
        )
      ).rows[0];
    let last = { created: 0, assigned: 0 };
    let lastProgress = Date.now();
    let decidedMs = null;
    for (;;) {
      const now = await counts();
      if (now.created !== last.created || now.assigned !== last.assigned) lastProgress = Date.now();
      if (decidedMs === null && now.created >= N) decidedMs = Date.now() - t0;
      last = now;
      if (now.created >= N && now.assigned >= expectedAssigned) break;
      if (Date.now() - lastProgress > STALL_MS) {
        say(`no progress for ${STALL_MS / 1000} s: ${now.created} leads, ${now.assigned} assigned; stopping the wait`);
        break;
      }
      await sleep(100);
    }

    const { rows } = await pool.query(
      `SELECT payload->>'phone' AS phone, payload->>'ownerId' AS owner, occurred_at FROM outbox WHERE type = $1 ORDER BY occurred_at`,
      [EVENTS.leadAssigned],
    );
    const latencies = rows.map((r) => new Date(r.occurred_at).getTime() - (sentAt.get(r.phone) ?? t0)).sort((a, b) => a - b);
    const q = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)] : null);
    const perSales = Object.fromEntries(sales.map((s) => [s.id, 0]));
    for (const r of rows) perSales[r.owner] = (perSales[r.owner] ?? 0) + 1;
    const loads = Object.values(perSales);
    const lastAssignedMs = rows.length ? new Date(rows[rows.length - 1].occurred_at).getTime() - t0 : null;
    const summary = {
      at: new Date().toISOString(),
      node: process.version,
      transport: config.O2O_TRANSPORT,
      settings: { events: N, salespeople: SALES, dailyCapacity: CAPACITY, strategy: 'round_robin' },
      enqueuedMs,
      leadsCreated: last.created,
      assigned: rows.length,
      expectedAssigned,
      waiting: last.created - rows.length,
      allDecidedMs: decidedMs,
      allAssignedMs: rows.length >= expectedAssigned ? lastAssignedMs : null,
      eventToAssignedMs: { p50: q(0.5), p95: q(0.95), p99: q(0.99), max: latencies.at(-1) ?? null },
      assignedPerSecond: lastAssignedMs ? Math.round((rows.length / lastAssignedMs) * 1000) : null,
      perSalesperson: perSales,
      spread: loads.length ? Math.max(...loads) - Math.min(...loads) : null,
    };
    process.stdout.write(`\n${JSON.stringify(summary, null, 2)}\n`);
    say(`written to ${writeResults('leads', suffix, summary)}`);
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
