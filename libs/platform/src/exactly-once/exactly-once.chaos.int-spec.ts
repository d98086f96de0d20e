import { clearNamespace, createTestDatabase, TEST_REDIS_URL, testNamespace, TestDatabase } from '@o2o/testing';
import { lastValueFrom } from 'rxjs';
import { DataSource } from 'typeorm';
import { loadConfig, ServiceConfig } from '../config/config';
import { createDataSource } from '../database/data-source';
import { PlatformTables1763856000000 } from '../database/platform-tables.migration';
import { RequestLedger1764000000000 } from '../database/request-ledger.migration';
import { createTransportClient, TransportClient } from '../transport/transport';
import { FixtureEffects1764000000001 } from '../transport/streams/testing/effects-table';
import { fixtureRunsKey, RecordReply, WorkReply } from '../transport/streams/testing/fixture-keys';
import { compileFixture, ReplicaProcess, startReplica } from '../transport/streams/testing/replicas';
import Redis from 'ioredis';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const REQUESTS = 2000;
const KILLS = 10;
const CONCURRENCY = 24;

/**
 * Exactly-once effects over an at-least-once transport, with the replicas at their default
 * settings: replicas SIGKILLed at random moments, callers retrying failed calls under the same
 * request id, and a handler that writes to Postgres through the request ledger.
 */
describe('exactly-once commands across replicas that are killed (real Postgres and Redis)', () => {
  let fixture: ReturnType<typeof compileFixture>;
  let db: TestDatabase;
  let ds: DataSource;
  let namespace: string;
  let client: TransportClient;
  const replicas = new Set<ReplicaProcess>();
  let serial = 0;

  const env = () => ({
    REDIS_URL: TEST_REDIS_URL,
    O2O_NAMESPACE: namespace,
    FIXTURE_DATABASE_URL: db.url,
    FIXTURE_SCHEMA: 'fixture',
    FIXTURE_RECORD_RUNS: 'true',
  });
  const addReplica = async () => {
    const replica = await startReplica(fixture.script, `replica-${++serial}`, env());
    replicas.add(replica);
    return replica;
  };
  const meta = (requestId: string) => ({ correlationId: requestId, actor: { kind: 'anonymous' as const }, requestId });

  beforeAll(async () => {
    fixture = compileFixture();
    db = await createTestDatabase([{ schema: 'fixture', migrations: [PlatformTables1763856000000, RequestLedger1764000000000, FixtureEffects1764000000001] }]);
    ds = await createDataSource({ url: db.url, schema: 'fixture', migrations: [] }).initialize();
    namespace = testNamespace();
    client = createTransportClient(loadConfig(ServiceConfig, { REDIS_URL: TEST_REDIS_URL, O2O_NAMESPACE: namespace }));
    await client.connect();
  });

  afterAll(async () => {
    await Promise.all([...replicas].map((r) => r.kill()));
    await client?.close();
    await ds?.destroy();
    await db?.drop();
    await clearNamespace(namespace);
    fixture?.remove();
  });

  it(`gives each of ${REQUESTS} requests exactly one effect, and each caller that effect's answer, while replicas are SIGKILLed ${KILLS}+ times`, async () => {
    // Callers give up before another replica may claim a dead one's requests (claim idle 3 s), so a
    // kill leaves outcomes truly unknown to the caller: committed or not, its retry must tell.
    const timeoutMs = 2000;
    await Promise.all([addReplica(), addReplica(), addReplica()]);
    const answers = new Map<string, RecordReply>();
    let sent = 0;
    let retries = 0;
    let kills = 0;
    let done = false;

    /** One customer's request: failures (503, 504, a dead replica) are retried under the same request id. */
    const callUntilAnswered = async (n: number) => {
      const key = `k-${n}`;
      // A retry sends the very same request: same id, same body.
      const data = { key, workMs: Math.floor(Math.random() * 10) };
      for (let attempt = 1; ; attempt++) {
        try {
          const reply = await lastValueFrom(client.sendBefore!<RecordReply>('fixture.record', { meta: meta(`req-${n}`), data }, Date.now() + timeoutMs));
          answers.set(key, reply);
          return;
        } catch (e) {
          if (attempt >= 30) throw new Error(`request ${n} never answered: ${JSON.stringify(e)}`);
          retries++;
          await sleep(100);
        }
      }
    };
    const callers = Array.from({ length: CONCURRENCY }, async () => {
      while (sent < REQUESTS || kills < KILLS) await callUntilAnswered(sent++);
    });
    const killer = (async () => {
      while (!done) {
        await sleep(300 + Math.random() * 500);
        const alive = [...replicas].filter((r) => r.child.exitCode === null && r.child.signalCode === null);
        if (done || alive.length < 2) continue;
        const victim = alive[Math.floor(Math.random() * alive.length)];
        await victim.kill();
        replicas.delete(victim);
        kills++;
        void addReplica();
      }
    })();
    try {
      await Promise.all(callers);
    } finally {
      // Stop killing even when a caller failed, or the killer outlives the test.
      done = true;
      await killer;
    }

    expect(kills).toBeGreaterThanOrEqual(KILLS);
    expect(sent).toBeGreaterThanOrEqual(REQUESTS);
    expect(answers.size).toBe(sent);
    const rows: { request_key: string; ids: string[] }[] = await ds.query('SELECT request_key, array_agg(id::text) AS ids FROM effects GROUP BY request_key');
    const effects = new Map(rows.map((r) => [r.request_key, r.ids]));
    const wrong = [...answers].filter(([key, reply]) => effects.get(key)?.length !== 1 || effects.get(key)?.[0] !== reply.effectId);
    expect(wrong).toEqual([]);
    expect(rows).toHaveLength(sent);
    // The kills did hit work in progress: some calls failed and were answered on retry.
    expect(retries).toBeGreaterThan(0);
  }, 180_000);

  it('runs a handler that stalls 2 s once, at the default claim idle time, whether it awaits or holds the event loop', async () => {
    await Promise.all([...replicas].map((r) => r.stop()));
    replicas.clear();
    await Promise.all([addReplica(), addReplica()]);
    // One request holds its replica's event loop for 2 s (so one at most, or they would queue past the deadline).
    const calls = Array.from({ length: 5 }, (_, i) => {
      const data = i > 0 ? { key: `stall-${i}`, workMs: 2000 } : { key: `stall-${i}`, blockMs: 2000 };
      return lastValueFrom(client.sendBefore!<WorkReply>('fixture.work', { meta: meta(`stall-${i}`), data }, Date.now() + 5000));
    });
    const replies = await Promise.all(calls);
    await sleep(3500); // past the claim idle time: a stolen lease would show as a second run
    const redis = new Redis(TEST_REDIS_URL);
    try {
      for (const reply of replies) expect(await redis.lrange(fixtureRunsKey(namespace, reply.key), 0, -1)).toHaveLength(1);
    } finally {
      redis.disconnect();
    }
    expect(replies.every((r) => !r.reclaimed)).toBe(true);
  }, 60_000);
});
