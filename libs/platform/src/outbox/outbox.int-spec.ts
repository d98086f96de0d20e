import { EventEnvelope, EVENTS } from '@o2o/contracts';
import { clearNamespace, createTestDatabase, eventually, TEST_REDIS_URL, testNamespace, TestDatabase } from '@o2o/testing';
import pino from 'pino';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { createDataSource } from '../database/data-source';
import { createPlatformTables } from '../database/platform-tables';
import { EventConsumer } from './event-consumer';
import { writeEvent } from './outbox';
import { OutboxRelay } from './outbox-relay';
import { bullConnection } from './queues';

class OutboxTestTables1700000000002 implements MigrationInterface {
  name = 'OutboxTestTables1700000000002';
  async up(q: QueryRunner) {
    await createPlatformTables(q);
    // The consumer's visible effect: one row per application of an event.
    await q.query('CREATE TABLE effects (event_id uuid NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
  }
  async down() {}
}

// Any event name will do: these tests route every event to a probe consumer of their own.
const TYPE = EVENTS.storeCreated;
const logger = pino({ level: 'silent' });

describe('outbox relay and idempotent consumer (real Postgres and Redis)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let namespace: string;
  const stoppers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    db = await createTestDatabase([{ schema: 'outbox_test', migrations: [OutboxTestTables1700000000002] }]);
    ds = await createDataSource({ url: db.url, schema: 'outbox_test', migrations: [] }).initialize();
  });
  beforeEach(() => {
    namespace = testNamespace();
  });
  afterEach(async () => {
    while (stoppers.length) await stoppers.pop()!();
    await clearNamespace(namespace);
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  const relay = () => {
    const r = new OutboxRelay({ dataSource: ds, connection: bullConnection(TEST_REDIS_URL), namespace, source: 'catalog', logger, consumersOf: () => ['probe'], pollMs: 50 });
    stoppers.push(() => r.stop());
    return r;
  };
  const consumer = (onEvent?: (e: EventEnvelope) => void) => {
    const c = new EventConsumer({ dataSource: ds, connection: bullConnection(TEST_REDIS_URL), namespace, consumer: 'probe', logger });
    c.on(TYPE, async (event, m) => {
      onEvent?.(event);
      await m.query('INSERT INTO effects (event_id) VALUES ($1)', [event.id]);
    });
    stoppers.push(() => c.stop());
    return c;
  };
  const effectsOf = async (id: string) => Number((await ds.query('SELECT count(*)::int AS n FROM effects WHERE event_id = $1', [id]))[0].n);

  it('writes the event only when the transaction commits', async () => {
    const committed = await ds.transaction((m) => writeEvent(m, TYPE, { n: 1 }));
    const rolledBack = await ds
      .transaction(async (m) => {
        await writeEvent(m, TYPE, { n: 2 });
        throw new Error('business step failed');
      })
      .catch(() => 'rolled back');
    expect(rolledBack).toBe('rolled back');
    const rows = await ds.query('SELECT id FROM outbox');
    expect(rows.map((r: { id: string }) => r.id)).toEqual([committed]);
  });

  it('delivers an event published while its consumer is down exactly once when it comes back', async () => {
    const id = await ds.transaction((m) => writeEvent(m, TYPE, { brand: 'nine-mu' }));
    expect(await relay().drain()).toBeGreaterThanOrEqual(1);
    expect(await effectsOf(id)).toBe(0); // nobody is consuming yet

    const seen: EventEnvelope[] = [];
    consumer((e) => seen.push(e)).start();
    await eventually(async () => (await effectsOf(id)) === 1);
    await new Promise((r) => setTimeout(r, 500));
    expect(await effectsOf(id)).toBe(1);
    expect(seen.find((e) => e.id === id)).toMatchObject({ id, type: TYPE, source: 'catalog', data: { brand: 'nine-mu' } });
  });

  it('publishes again harmlessly when the relay dies between publishing and marking', async () => {
    const id = await ds.transaction((m) => writeEvent(m, TYPE, {}));
    await relay().drain();
    // The crash: the row is published but its mark was never committed.
    await ds.query('UPDATE outbox SET published_at = NULL WHERE id = $1', [id]);
    await relay().drain();

    consumer().start();
    await eventually(async () => (await effectsOf(id)) === 1);
    await new Promise((r) => setTimeout(r, 500));
    expect(await effectsOf(id)).toBe(1);
    expect((await ds.query('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL'))[0].n).toBe(0);
  });

  it('applies an event once when the consumer fails midway and a restarted consumer retries it', async () => {
    const id = await ds.transaction((m) => writeEvent(m, TYPE, {}));
    let attempts = 0;
    const failing = new EventConsumer({ dataSource: ds, connection: bullConnection(TEST_REDIS_URL), namespace, consumer: 'probe', logger });
    failing.on(TYPE, async (event, m) => {
      attempts++;
      await m.query('INSERT INTO effects (event_id) VALUES ($1)', [event.id]);
      throw new Error('consumer crashed after its write'); // rolls its write back
    });
    failing.start();
    await relay().drain();
    await eventually(async () => attempts >= 1);
    await failing.stop();
    expect(await effectsOf(id)).toBe(0);

    consumer().start(); // the restarted consumer picks the retry up
    await eventually(async () => (await effectsOf(id)) === 1, 15_000);
    expect(await effectsOf(id)).toBe(1);
  });

  it('skips an event id it has already processed', async () => {
    const c = consumer();
    const event: EventEnvelope = { id: '0190f1c2-0000-7000-8000-000000000001', type: TYPE, source: 'catalog', occurredAt: new Date().toISOString(), data: {} };
    expect(await c.handle(event)).toBe(true);
    expect(await c.handle(event)).toBe(false);
    expect(await effectsOf(event.id)).toBe(1);
  });
});
