import { createTestDatabase, eventually, testNamespace, TestDatabase } from '@o2o/testing';
import Redis from 'ioredis';
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { DataSource } from 'typeorm';
import { loadConfig, ServiceConfig } from '../../config/config';
import { createDataSource } from '../../database/data-source';
import { PlatformTables1763856000000 } from '../../database/platform-tables.migration';
import { RequestLedger1764000000000 } from '../../database/request-ledger.migration';
import { DomainError } from '../../errors/domain-error';
import { httpStatusFor } from '../../errors/http-status';
import { ServiceLiveness } from '../../health/liveness';
import { redisOptionsFromUrl } from '../redis-url';
import { ServiceClient } from '../service-client';
import { createTransportClient, TransportClient } from '../transport';
import { FixtureEffects1764000000001 } from './testing/effects-table';
import { RecordReply } from './testing/fixture-keys';
import { compileFixture, ReplicaProcess, startReplica } from './testing/replicas';

const meta = { correlationId: 'restart-test', actor: { kind: 'anonymous' as const } };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A Redis of this test's own (the shared one must keep running for other tests). */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const probe = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  await eventually(
    async () =>
      (await probe.connect().then(
        () => probe.ping(),
        () => undefined,
      )) === 'PONG',
    5000,
    50,
  );
  probe.disconnect();
  return child;
}

async function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

interface Call {
  startedAt: number;
  settledAt?: number;
  status?: number; // 200, or the HTTP status the gateway would answer
}

describe('Streams transport through a Redis restart (own redis-server)', () => {
  let fixture: ReturnType<typeof compileFixture>;
  let redisServer: ChildProcess | undefined;
  let replica: ReplicaProcess | undefined;
  let gatewayRedis: Redis | undefined;
  let liveness: ServiceLiveness | undefined;
  let transport: TransportClient | undefined;

  beforeAll(() => {
    fixture = compileFixture();
  }, 30_000);
  afterAll(async () => {
    liveness?.stop();
    await transport?.close();
    gatewayRedis?.disconnect();
    await replica?.stop();
    if (redisServer) await stopRedis(redisServer);
    fixture.remove();
  }, 30_000);

  /** This test's own Redis, one catalog replica on it, and the gateway's side wired as apps/gateway wires it. */
  async function startWorld(port: number, url: string, timeoutMs: number, replicaEnv: Record<string, string> = {}): Promise<ServiceClient> {
    const namespace = testNamespace();
    redisServer = await startRedis(port);
    replica = await startReplica(fixture.script, 'catalog-1', {
      REDIS_URL: url,
      O2O_NAMESPACE: namespace,
      FIXTURE_SERVICE: 'catalog',
      FIXTURE_HEARTBEAT: 'true',
      ...replicaEnv,
    });
    const config = loadConfig(ServiceConfig, { REDIS_URL: url, O2O_NAMESPACE: namespace });
    gatewayRedis = new Redis({ ...redisOptionsFromUrl(url), enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    liveness = new ServiceLiveness(gatewayRedis, namespace, 200);
    await liveness.start();
    transport = createTransportClient(config);
    await eventually(async () => liveness!.isUp('catalog'), 5000, 50);
    return new ServiceClient('catalog', transport, liveness, timeoutMs);
  }

  it('reconnects on its own; calls during the outage get 503 or 504 within their timeout, then resume', async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const timeoutMs = 1000;
    const catalog = await startWorld(port, url, timeoutMs);

    const calls: Call[] = [];
    const callOnce = () => {
      const call: Call = { startedAt: Date.now() };
      calls.push(call);
      catalog.send('catalog.work', { key: randomUUID() }, meta).then(
        () => Object.assign(call, { settledAt: Date.now(), status: 200 }),
        (e: unknown) => Object.assign(call, { settledAt: Date.now(), status: e instanceof DomainError ? httpStatusFor(e.code) : 0 }),
      );
    };
    const traffic = setInterval(callOnce, 20);
    try {
      await sleep(1000);
      const outageStart = Date.now();
      await stopRedis(redisServer!);
      await sleep(2000);
      redisServer = await startRedis(port);
      const outageEnd = Date.now();
      // Back on their own: heartbeat, consumer group (gone with the data), reply subscription.
      const recoveredAt = await eventually(async () => calls.find((c) => c.startedAt > outageEnd && c.status === 200)?.startedAt, 15_000, 50);
      await sleep(1000);
      clearInterval(traffic);
      await eventually(async () => calls.every((c) => c.settledAt !== undefined), timeoutMs + 2000, 50);

      const before = calls.filter((c) => c.settledAt! < outageStart);
      const during = calls.filter((c) => c.startedAt >= outageStart && c.startedAt < outageEnd);
      const after = calls.filter((c) => c.startedAt > recoveredAt);
      expect(before.length).toBeGreaterThan(20);
      expect(before.every((c) => c.status === 200)).toBe(true);
      expect(during.length).toBeGreaterThan(50);
      expect(during.filter((c) => c.status !== 503 && c.status !== 504)).toEqual([]);
      expect(after.length).toBeGreaterThan(20);
      expect(after.filter((c) => c.status !== 200)).toEqual([]);
      // No hangs: every call settled within its timeout (plus scheduling slack).
      expect(Math.max(...calls.map((c) => c.settledAt! - c.startedAt))).toBeLessThan(timeoutMs + 300);
      expect(recoveredAt - outageEnd).toBeLessThan(10_000);
    } finally {
      clearInterval(traffic);
    }
  }, 40_000);

  it('ends commands started during the restart and the recovery with their answer or a clean 503/504; a retry under the same request id answers what was committed', async () => {
    await replica?.stop();
    liveness?.stop();
    await transport?.close();
    gatewayRedis?.disconnect();
    if (redisServer) await stopRedis(redisServer);
    const db: TestDatabase = await createTestDatabase([
      { schema: 'fixture', migrations: [PlatformTables1763856000000, RequestLedger1764000000000, FixtureEffects1764000000001] },
    ]);
    const ds: DataSource = await createDataSource({ url: db.url, schema: 'fixture', migrations: [] }).initialize();
    try {
      const port = await freePort();
      const url = `redis://127.0.0.1:${port}`;
      const timeoutMs = 1000;
      const catalog = await startWorld(port, url, timeoutMs, { FIXTURE_DATABASE_URL: db.url, FIXTURE_SCHEMA: 'fixture' });

      type Command = Call & { key: string; effectId?: string };
      const calls: Command[] = [];
      const record = (key: string) => catalog.send<RecordReply>('catalog.record', { key, workMs: 20 }, { ...meta, requestId: key });
      const callOnce = () => {
        const call: Command = { startedAt: Date.now(), key: randomUUID() };
        calls.push(call);
        record(call.key).then(
          (reply) => Object.assign(call, { settledAt: Date.now(), status: 200, effectId: reply.effectId }),
          (e: unknown) => Object.assign(call, { settledAt: Date.now(), status: e instanceof DomainError ? httpStatusFor(e.code) : 0 }),
        );
      };
      const traffic = setInterval(callOnce, 15);
      let outageStart = 0;
      let outageEnd = 0;
      let recoveredAt = 0;
      try {
        await sleep(800);
        outageStart = Date.now();
        await stopRedis(redisServer!);
        await sleep(1500);
        redisServer = await startRedis(port);
        outageEnd = Date.now();
        recoveredAt = await eventually(async () => calls.find((c) => c.startedAt > outageEnd && c.status === 200)?.startedAt, 15_000, 50);
        await sleep(800);
      } finally {
        clearInterval(traffic);
      }
      await eventually(async () => calls.every((c) => c.settledAt !== undefined), timeoutMs + 2000, 50);

      const inWindow = calls.filter((c) => c.startedAt >= outageStart && c.startedAt <= recoveredAt);
      expect(inWindow.length).toBeGreaterThan(50);
      expect(inWindow.filter((c) => ![200, 503, 504].includes(c.status!))).toEqual([]);
      expect(calls.filter((c) => c.startedAt > recoveredAt && c.status !== 200)).toEqual([]);

      // Every caller retries under its request id: an answered one gets its own effect back, an
      // unanswered one what was committed, or the work done now; never a second effect.
      for (const call of calls) {
        const retried = await record(call.key);
        if (call.status === 200) expect(retried.effectId).toBe(call.effectId);
        call.effectId = retried.effectId;
      }
      const rows: { request_key: string; ids: string[] }[] = await ds.query('SELECT request_key, array_agg(id::text) AS ids FROM effects GROUP BY request_key');
      const effects = new Map(rows.map((r) => [r.request_key, r.ids]));
      expect(calls.filter((c) => effects.get(c.key)?.length !== 1 || effects.get(c.key)?.[0] !== c.effectId)).toEqual([]);
      expect(rows).toHaveLength(calls.length);
    } finally {
      await replica?.stop();
      await ds.destroy();
      await db.drop();
    }
  }, 60_000);
});
