#!/usr/bin/env node
// Transport benchmark: the same handler (fixture.work, no work, no I/O) served by Nest's stock
// Redis pub/sub transport, the Redis Streams transport and Nest's TCP transport, in one run.
//   1. One replica: requests/s and p50/p99 latency from CONCURRENCY callers over SECONDS, with the
//      stock Redis transport as the baseline for the ratios.
//   2. Three replicas: handler executions per request (runs counted in each replica process).
// Usage: npm run bench:transport   (BENCH_SECONDS, BENCH_CONCURRENCY, BENCH_REQUESTS, REDIS_URL)
// Writes nothing but bench/results/transport-<time>.json (gitignored).
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(import.meta.dirname, '../..');
const fromBuild = (file) => {
  try {
    return require(path.join(ROOT, 'dist/libs/platform/src', file));
  } catch (e) {
    throw new Error(`dist/ is missing or stale (${e.message}): run npm run build first`);
  }
};
const { loadConfig, ServiceConfig } = fromBuild('config/config.js');
const { createTransportClient } = fromBuild('transport/transport.js');
const { builtFixtureScript, startReplica } = fromBuild('transport/streams/testing/replicas.js');
const { Logger } = require('@nestjs/common');
const { ClientTCP } = require('@nestjs/microservices');
const { lastValueFrom, timeout } = require('rxjs');

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const WARMUP_SECONDS = 1;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const REQUESTS_AT_THREE = Number(process.env.BENCH_REQUESTS ?? 1000);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const TRANSPORTS = (process.env.BENCH_TRANSPORTS ?? 'redis,streams,tcp').split(',');
const LABEL = { redis: 'stock Redis (pub/sub)', streams: 'Redis Streams', tcp: 'TCP' };
const meta = { correlationId: 'bench', actor: { kind: 'anonymous' } };
const RUN = Date.now().toString(36);

// The stock client logs each reply that lost the race to another replica's; keep the table readable.
Logger.overrideLogger(['error', 'warn']);

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Replicas of the fixture service, and a client for them, for one transport. */
async function deploy(transport, replicaCount) {
  const namespace = `bench-transport-${RUN}-${transport}-${replicaCount}`;
  const script = builtFixtureScript();
  const common = { REDIS_URL, O2O_NAMESPACE: namespace, LOG_LEVEL: 'warn' };
  const replicas = [];
  let client;
  if (transport === 'tcp') {
    // A TCP client talks to one address: each replica listens on its own port, the client on the first.
    const ports = await Promise.all(Array.from({ length: replicaCount }, freePort));
    for (const [i, port] of ports.entries()) {
      replicas.push(await startReplica(script, `tcp-${i + 1}`, { ...common, FIXTURE_TRANSPORT: 'tcp', FIXTURE_TCP_PORT: String(port) }));
    }
    client = new ClientTCP({ host: '127.0.0.1', port: ports[0] });
  } else {
    const env = { ...common, O2O_TRANSPORT: transport };
    for (let i = 0; i < replicaCount; i++) replicas.push(await startReplica(script, `${transport}-${i + 1}`, env));
    client = createTransportClient(loadConfig(ServiceConfig, env));
  }
  await client.connect();
  return {
    client,
    replicas,
    async teardown() {
      await client.close();
      await Promise.all(replicas.map((r) => r.stop()));
      await clearNamespace(namespace);
    },
  };
}

const { clearNamespace: clearTestNamespace } = require(path.join(ROOT, 'dist/libs/testing/src/test-redis.js'));
const clearNamespace = (namespace) => clearTestNamespace(namespace, REDIS_URL);

let sequence = 0;
const call = (client) => lastValueFrom(client.send('fixture.work', { meta, data: { key: `k${sequence++}` } }).pipe(timeout(5000)));

/** CONCURRENCY callers in a closed loop for `seconds`; latencies in ms. */
async function closedLoop(client, seconds) {
  const latencies = [];
  let errors = 0;
  const until = performance.now() + seconds * 1000;
  const caller = async () => {
    while (performance.now() < until) {
      const started = performance.now();
      try {
        await call(client);
        latencies.push(performance.now() - started);
      } catch {
        errors++;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, caller));
  return { latencies, errors, elapsedS: (performance.now() - started) / 1000 };
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function throughputAtOneReplica(transport) {
  const deployment = await deploy(transport, 1);
  try {
    await closedLoop(deployment.client, WARMUP_SECONDS);
    const { latencies, errors, elapsedS } = await closedLoop(deployment.client, SECONDS);
    const sorted = latencies.sort((a, b) => a - b);
    const executions = (await Promise.all(deployment.replicas.map((r) => r.executions()))).reduce((a, b) => a + b, 0);
    return { rps: latencies.length / elapsedS, p50: percentile(sorted, 50), p99: percentile(sorted, 99), errors, requests: latencies.length, executions };
  } finally {
    await deployment.teardown();
  }
}

async function executionsAtThreeReplicas(transport) {
  const deployment = await deploy(transport, 3);
  try {
    const before = await Promise.all(deployment.replicas.map((r) => r.executions()));
    let next = 0;
    let answered = 0;
    let errors = 0;
    const caller = async () => {
      while (next++ < REQUESTS_AT_THREE) {
        try {
          await call(deployment.client);
          answered++;
        } catch {
          errors++;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, 32) }, caller));
    // Late runs (pub/sub: the replicas whose replies lost the race) still count.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = await Promise.all(deployment.replicas.map((r) => r.executions()));
    const perReplica = after.map((n, i) => n - before[i]);
    const total = perReplica.reduce((a, b) => a + b, 0);
    return { requests: REQUESTS_AT_THREE, answered, errors, perReplica, executionsPerRequest: total / REQUESTS_AT_THREE };
  } finally {
    await deployment.teardown();
  }
}

const fixed = (n, digits = 1) => n.toFixed(digits);
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

async function main() {
  console.log(`transport benchmark: ${CONCURRENCY} concurrent callers, ${SECONDS} s per transport (after ${WARMUP_SECONDS} s warm-up), Redis ${REDIS_URL}`);
  const one = {};
  for (const t of TRANSPORTS) {
    one[t] = await throughputAtOneReplica(t);
    console.log(`  one replica, ${LABEL[t]}: ${fixed(one[t].rps, 0)} req/s, p99 ${fixed(one[t].p99, 2)} ms`);
  }
  const three = {};
  for (const t of TRANSPORTS) {
    three[t] = await executionsAtThreeReplicas(t);
    console.log(`  three replicas, ${LABEL[t]}: ${fixed(three[t].executionsPerRequest, 2)} handler runs per request`);
  }

  const base = one.redis ?? Object.values(one)[0];
  console.log('\nOne replica (same handler)      req/s    p50 ms   p99 ms   req/s vs stock   p99 vs stock   errors');
  for (const t of TRANSPORTS) {
    const r = one[t];
    console.log(
      `${pad(LABEL[t], 30)}${lpad(fixed(r.rps, 0), 7)}${lpad(fixed(r.p50, 2), 10)}${lpad(fixed(r.p99, 2), 9)}` +
        `${lpad(`x${fixed(r.rps / base.rps, 2)}`, 17)}${lpad(`x${fixed(r.p99 / base.p99, 2)}`, 15)}${lpad(r.errors, 9)}`,
    );
  }
  console.log(`\nThree replicas, ${REQUESTS_AT_THREE} requests    runs per request   runs per replica       answered   errors`);
  for (const t of TRANSPORTS) {
    const r = three[t];
    const note = t === 'tcp' ? '  (point to point: the client reaches one replica)' : '';
    console.log(
      `${pad(LABEL[t], 35)}${lpad(fixed(r.executionsPerRequest, 2), 16)}   ${pad(r.perReplica.join(' / '), 22)}${lpad(r.answered, 9)}${lpad(r.errors, 9)}${note}`,
    );
  }

  const out = path.join(ROOT, 'bench/results');
  mkdirSync(out, { recursive: true });
  const file = path.join(out, `transport-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const strip = ({ latencies: _latencies, ...rest }) => rest;
  writeFileSync(
    file,
    JSON.stringify(
      { concurrency: CONCURRENCY, seconds: SECONDS, oneReplica: Object.fromEntries(Object.entries(one).map(([k, v]) => [k, strip(v)])), threeReplicas: three },
      null,
      2,
    ),
  );
  console.log(`\nwritten to ${path.relative(ROOT, file)}`);
  // A measured run with errors measured something else than the transport: the figures do not stand.
  const failed = [
    ...TRANSPORTS.filter((t) => one[t].errors > 0).map((t) => `one replica, ${LABEL[t]}`),
    ...TRANSPORTS.filter((t) => three[t].errors > 0).map((t) => `three replicas, ${LABEL[t]}`),
  ];
  if (failed.length) throw new Error(`errors in measured runs: ${failed.join('; ')}`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
