import { clearNamespace, TEST_REDIS_URL, testNamespace } from '@o2o/testing';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { lastValueFrom } from 'rxjs';
import { loadConfig, ServiceConfig } from '../../config/config';
import { createTransportClient } from '../transport';
import { StreamsClient } from './streams-client';
import { fixtureRunsByReplicaKey, fixtureRunsKey, WorkReply } from './testing/fixture-keys';
import { compileFixture, ReplicaProcess, startReplica } from './testing/replicas';

const meta = { correlationId: 'replicas-test', actor: { kind: 'anonymous' as const } };

interface Outcome {
  key: string;
  reply?: WorkReply;
  error?: unknown;
  ms: number;
}

/** Runs `total` calls, `concurrency` at a time, and records how each ended and how long it took. */
async function load(total: number, concurrency: number, call: (key: string) => Promise<WorkReply>, onReply?: (done: number) => void): Promise<Outcome[]> {
  const keys = Array.from({ length: total }, () => randomUUID());
  const outcomes: Outcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < keys.length) {
      const key = keys[next++];
      const started = Date.now();
      try {
        const reply = await call(key);
        outcomes.push({ key, reply, ms: Date.now() - started });
      } catch (error) {
        outcomes.push({ key, error, ms: Date.now() - started });
      }
      onReply?.(outcomes.length);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return outcomes;
}

describe('Streams transport across replica processes (real Redis)', () => {
  let fixture: ReturnType<typeof compileFixture>;
  let namespace: string;
  let redis: Redis;
  let client: StreamsClient;
  let replicas: ReplicaProcess[] = [];

  const env = (extra: Record<string, string> = {}) => ({
    REDIS_URL: TEST_REDIS_URL,
    O2O_NAMESPACE: namespace,
    O2O_TRANSPORT: 'streams',
    FIXTURE_RECORD_RUNS: 'true',
    ...extra,
  });
  const work = (key: string, workMs: number, timeoutMs: number) =>
    lastValueFrom(client.sendBefore<WorkReply>('fixture.work', { meta, data: { key, workMs } }, Date.now() + timeoutMs));
  /** For each request, the replicas that ran it. */
  const runsOf = async (outcomes: Outcome[]) => {
    const pipeline = redis.pipeline();
    for (const o of outcomes) pipeline.lrange(fixtureRunsKey(namespace, o.key), 0, -1);
    return ((await pipeline.exec()) ?? []).map(([, runs]) => runs as string[]);
  };

  beforeAll(() => {
    fixture = compileFixture();
  }, 30_000);
  afterAll(() => fixture.remove());
  beforeEach(() => {
    namespace = testNamespace();
    redis = new Redis(TEST_REDIS_URL);
    client = createTransportClient(loadConfig(ServiceConfig, { REDIS_URL: TEST_REDIS_URL, O2O_NAMESPACE: namespace })) as StreamsClient;
  });
  afterEach(async () => {
    await client.close();
    await Promise.all(replicas.map((r) => r.stop()));
    replicas = [];
    redis.disconnect();
    await clearNamespace(namespace);
  });

  it('runs each of 1,000 requests exactly once across three replicas, answers each, and spreads the work', async () => {
    replicas = await Promise.all(['r1', 'r2', 'r3'].map((name) => startReplica(fixture.script, name, env())));

    const outcomes = await load(1000, 48, (key) => work(key, 2, 10_000));

    expect(outcomes.filter((o) => o.error)).toEqual([]);
    expect(outcomes.every((o) => o.reply?.key === o.key)).toBe(true);
    expect(new Set((await runsOf(outcomes)).map((r) => r.length))).toEqual(new Set([1]));
    const executions = await Promise.all(replicas.map((r) => r.executions()));
    expect(executions.reduce((a, b) => a + b, 0)).toBe(1000);
    const byReplica = await redis.hgetall(fixtureRunsByReplicaKey(namespace));
    expect(Object.keys(byReplica).sort()).toEqual(['r1', 'r2', 'r3']);
    // Spread: no replica idles while another does the work.
    for (const n of executions) expect(n).toBeGreaterThan(100);
  }, 40_000);

  it('loses no request when a replica is killed (SIGKILL) under load: its requests are claimed and run once', async () => {
    const tuned = env({ O2O_STREAMS_CLAIM_IDLE_MS: '500', O2O_STREAMS_MAX_IN_FLIGHT: '8' });
    replicas = await Promise.all(['r1', 'r2', 'r3'].map((name) => startReplica(fixture.script, name, tuned)));
    const [, victim] = replicas;
    const timeoutMs = 5000;
    let killed: Promise<void> | undefined;

    const outcomes = await load(
      900,
      36,
      (key) => work(key, 25, timeoutMs),
      (done) => {
        if (done === 200) killed = victim.kill();
      },
    );
    await killed;

    expect(victim.child.signalCode).toBe('SIGKILL');
    // No request lost, none past its timeout.
    expect(outcomes.filter((o) => o.error)).toEqual([]);
    expect(Math.max(...outcomes.map((o) => o.ms))).toBeLessThan(timeoutMs);
    // The killed replica's unanswered requests were claimed by the others, and each ran once there.
    const reclaimed = outcomes.filter((o) => o.reply?.reclaimed);
    expect(reclaimed.length).toBeGreaterThan(0);
    expect(reclaimed.every((o) => o.reply?.replica !== victim.name)).toBe(true);
    const runs = await runsOf(outcomes);
    expect(runs.filter((r) => r.length === 0)).toEqual([]);
    expect(runs.filter((r) => r.filter((replica) => replica !== victim.name).length > 1)).toEqual([]);
    // At-least-once at the instant of death: a handler that finished on the killed replica just
    // before its reply and acknowledgement went out runs again elsewhere. At most one per slot.
    const ranTwice = runs.filter((r) => r.length > 1);
    expect(ranTwice.every((r) => r.length === 2 && r[0] === victim.name)).toBe(true);
    expect(ranTwice.length).toBeLessThanOrEqual(8);
  }, 40_000);
});
