import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventEnvelope, EventName, EVENTS } from '@o2o/contracts';
import { clearNamespace, createTestDatabase, eventually, TEST_REDIS_URL, testNamespace, TestDatabase } from '@o2o/testing';
import { Queue } from 'bullmq';
import pino from 'pino';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { createDataSource } from '../database/data-source';
import { createPlatformTables } from '../database/platform-tables';
import { EventConsumer, EventHandler } from './event-consumer';
import { outboxInsert, writeEvent } from './outbox';
import { OutboxRelay, Subscriptions } from './outbox-relay';
import { bullConnection, bullPrefix, eventQueueName } from './queues';

class OutboxTestTables1700000000002 implements MigrationInterface {
  name = 'OutboxTestTables1700000000002';
  async up(q: QueryRunner) {
    await createPlatformTables(q);
    // The consumer's visible effect: one row per application of an event.
    await q.query('CREATE TABLE effects (event_id uuid NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
  }
  async down() {}
}

// The tests declare their own subscriptions for one consumer; the names are only labels here.
const CONSUMER = 'leads';
const TYPE = EVENTS.storeCreated;
/** Declared for the consumer, with no handler in its first version. */
const LATER = EVENTS.brandCreated;
const silent = pino({ level: 'silent' });

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

  const relay = (subscriptions: Subscriptions = { [CONSUMER]: [TYPE, LATER] }) => {
    const r = new OutboxRelay({
      dataSource: ds,
      connection: bullConnection(TEST_REDIS_URL),
      namespace,
      source: 'catalog',
      logger: silent,
      subscriptions,
      pollMs: 50,
    });
    stoppers.push(() => r.stop());
    return r;
  };
  const applyOnce: EventHandler = async (event, m) => {
    await m.query('INSERT INTO effects (event_id) VALUES ($1)', [event.id]);
  };
  const consumer = (
    options: { handles?: EventName[]; declared?: EventName[]; onEvent?: (e: EventEnvelope) => void; logger?: pino.Logger; waitingReportMs?: number } = {},
  ) => {
    const { handles = [TYPE], declared = [TYPE, LATER], onEvent, logger = silent, waitingReportMs } = options;
    const c = new EventConsumer({
      dataSource: ds,
      connection: bullConnection(TEST_REDIS_URL),
      namespace,
      consumer: CONSUMER,
      logger,
      subscriptions: declared,
      waitingReportMs,
    });
    for (const type of handles) {
      c.on(type, async (event, m) => {
        onEvent?.(event);
        await applyOnce(event, m);
      });
    }
    stoppers.push(() => c.stop());
    return c;
  };
  const queueOf = (type: EventName) => {
    const q = new Queue(eventQueueName(CONSUMER, type), { connection: bullConnection(TEST_REDIS_URL), prefix: bullPrefix(namespace) });
    stoppers.push(() => q.close());
    return q;
  };
  const effectsOf = async (id: string) => Number((await ds.query('SELECT count(*)::int AS n FROM effects WHERE event_id = $1', [id]))[0].n);
  const processed = async (id: string) => Number((await ds.query('SELECT count(*)::int AS n FROM processed_events WHERE event_id = $1', [id]))[0].n);
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

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

  it('writes the same row from inside a data-modifying CTE, only when the CTE it depends on yields a row', async () => {
    const columns = 'id, type, payload, occurred_at, published_at';
    const viaWrite = await ds.transaction((m) => writeEvent(m, TYPE, { n: 3, nested: { a: [1, 'x'] } }));
    const run = async (gate: boolean) => {
      const row = outboxInsert(TYPE, { n: 3, nested: { a: [1, 'x'] } }, { firstParam: 2, onlyIf: 'gate' });
      await ds.query(`WITH gate AS (SELECT 1 WHERE $1::boolean), event AS (${row.sql} RETURNING id) SELECT count(*)::int AS n FROM event`, [
        gate,
        ...row.params,
      ]);
      return row.id;
    };
    const skipped = await run(false);
    const viaCte = await run(true);
    const [a, b] = await Promise.all(
      [viaWrite, viaCte].map(async (id) => (await ds.query(`SELECT ${columns} FROM outbox WHERE id = $1`, [id]))[0] as Record<string, unknown>),
    );
    expect(b).toEqual({ ...a, id: viaCte, occurred_at: expect.any(Date) });
    expect(await ds.query('SELECT id FROM outbox WHERE id = $1', [skipped])).toEqual([]);
    await ds.query('DELETE FROM outbox WHERE id = ANY ($1::uuid[])', [[viaWrite, viaCte]]);
  });

  it('delivers an event published while its consumer is down exactly once when it comes back', async () => {
    const id = await ds.transaction((m) => writeEvent(m, TYPE, { brand: 'nine-mu' }));
    expect(await relay().drain()).toBeGreaterThanOrEqual(1);
    expect(await effectsOf(id)).toBe(0); // nobody is consuming yet

    const seen: EventEnvelope[] = [];
    consumer({ onEvent: (e) => seen.push(e) }).start();
    await eventually(async () => (await effectsOf(id)) === 1);
    await pause(500);
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
    await pause(500);
    expect(await effectsOf(id)).toBe(1);
    expect((await ds.query('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL'))[0].n).toBe(0);
  });

  it('applies an event once when the consumer fails midway and a restarted consumer retries it', async () => {
    const id = await ds.transaction((m) => writeEvent(m, TYPE, {}));
    let attempts = 0;
    const failing = new EventConsumer({
      dataSource: ds,
      connection: bullConnection(TEST_REDIS_URL),
      namespace,
      consumer: CONSUMER,
      logger: silent,
      subscriptions: [TYPE],
    });
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

  it('leaves a declared event it has no handler for in its queue, and a version with the handler applies it once', async () => {
    const waitingId = await ds.transaction((m) => writeEvent(m, LATER, { id: 'brand-1' }));
    const handledId = await ds.transaction((m) => writeEvent(m, TYPE, { id: 'store-1' }));
    await relay().drain();

    const logs: { msg: string; waiting?: Record<string, number>; unhandled?: string[] }[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
    const first = consumer({ handles: [TYPE], logger, waitingReportMs: 200 });
    expect(first.unhandled).toEqual([LATER]);
    first.start();
    await eventually(async () => (await effectsOf(handledId)) === 1);
    await pause(1500);

    // Still waiting: never taken, never acknowledged, never recorded as processed.
    expect(await queueOf(LATER).getJobState(waitingId)).toBe('waiting');
    expect(await processed(waitingId)).toBe(0);
    expect(await effectsOf(waitingId)).toBe(0);
    await expect(first.waiting()).resolves.toEqual({ [LATER]: 1 });
    // Reported at start and again periodically, with the count per type.
    const reports = logs.filter((l) => l.waiting?.[LATER] === 1);
    expect(reports.length).toBeGreaterThanOrEqual(2);
    await first.stop();

    // The next version handles it: the event waited for it and is applied once.
    consumer({ handles: [TYPE, LATER] }).start();
    await eventually(async () => (await effectsOf(waitingId)) === 1);
    await pause(500);
    expect(await effectsOf(waitingId)).toBe(1);
    expect(await processed(waitingId)).toBe(1);
    expect(await effectsOf(handledId)).toBe(1);
  });

  it('refuses a handler for an event type not declared for the consumer', () => {
    const c = consumer({ handles: [] });
    expect(() => c.on(EVENTS.productPublished, applyOnce)).toThrow(
      `The ${CONSUMER} service registers a handler for event product.published, which is not declared for ${CONSUMER}`,
    );
  });

  it('fails the service at boot when a module registers a handler for an undeclared type', async () => {
    const events = new EventConsumer({
      dataSource: ds,
      connection: bullConnection(TEST_REDIS_URL),
      namespace,
      consumer: CONSUMER,
      logger: silent,
      subscriptions: [TYPE],
    });
    @Injectable()
    class ProductsListener implements OnModuleInit {
      constructor(private readonly consumer: EventConsumer) {}
      onModuleInit() {
        this.consumer.on(EVENTS.productPublished, applyOnce);
      }
    }
    @Module({ providers: [{ provide: EventConsumer, useValue: events }, ProductsListener] })
    class ServiceModule {}
    await expect(NestFactory.createApplicationContext(ServiceModule, { logger: false, abortOnError: false })).rejects.toThrow(
      /handler for event product\.published, which is not declared for leads/,
    );
  });

  it('replays events published before the consumer subscribed, once however often replayed', async () => {
    const before = await ds.transaction((m) => writeEvent(m, TYPE, { id: 'too-old' }));
    await pause(5); // since is read to the millisecond
    // The database's clock, which stamps the events.
    const since: Date = (await ds.query('SELECT clock_timestamp() AS t'))[0].t;
    const id = await ds.transaction((m) => writeEvent(m, TYPE, { id: 'store-2' }));
    // Published while nobody subscribed: no queue of the consumer got it.
    await relay({}).drain();
    expect(await queueOf(TYPE).count()).toBe(0);

    // The consumer is deployed with its subscription; the events do not come by themselves.
    consumer({ declared: [TYPE], handles: [TYPE] }).start();
    await pause(500);
    expect(await effectsOf(id)).toBe(0);

    const producer = relay({ [CONSUMER]: [TYPE] });
    await expect(producer.republish(CONSUMER, since)).resolves.toEqual({ producer: 'catalog', consumer: CONSUMER, types: [TYPE], republished: 1 });
    await eventually(async () => (await effectsOf(id)) === 1);

    // Again: the queue still holds the job id.
    await expect(producer.republish(CONSUMER, since)).resolves.toMatchObject({ republished: 1 });
    // And once the completed job has aged out of the queue, processed_events drops the copy.
    await queueOf(TYPE).clean(0, 100, 'completed');
    await producer.republish(CONSUMER, since);
    await eventually(async () => (await queueOf(TYPE).getJobState(id)) === 'completed');
    await pause(300);
    expect(await effectsOf(id)).toBe(1);
    expect(await processed(id)).toBe(1);
    expect(await effectsOf(before)).toBe(0);
  });

  it('replays nothing to a consumer that subscribes to none of the types', async () => {
    await ds.transaction((m) => writeEvent(m, TYPE, {}));
    await expect(relay({ [CONSUMER]: [] }).republish(CONSUMER, new Date(0))).resolves.toMatchObject({ types: [], republished: 0 });
  });
});
