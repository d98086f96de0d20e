import { INestMicroservice, Module, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ANONYMOUS, eventsReplayPattern, EVENT_SUBSCRIPTIONS, EVENTS, RpcErrorPayload } from '@o2o/contracts';
import { clearNamespace, createTestDatabase, eventually, TEST_REDIS_URL, testNamespace, TestDatabase } from '@o2o/testing';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { lastValueFrom, timeout } from 'rxjs';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { loadConfig, ServiceConfig } from '../config/config';
import { createDataSource } from '../database/data-source';
import { createPlatformTables } from '../database/platform-tables';
import { RpcDomainExceptionFilter } from '../errors/rpc-exception.filter';
import { VALIDATION_OPTIONS } from '../errors/validation';
import { Heartbeat } from '../health/liveness';
import { InFlight, RpcContextInterceptor } from '../rpc/rpc-context.interceptor';
import { ServicePlatformModule } from '../service/service-platform.module';
import { createTransportClient, serviceTransport, TransportClient } from '../transport/transport';
import { EventConsumer } from './event-consumer';
import { replayEvents } from './events-replay';
import { writeEvent } from './outbox';
import { bullConnection, bullPrefix, eventQueueName } from './queues';

class CatalogTables1700000000003 implements MigrationInterface {
  name = 'CatalogTables1700000000003';
  async up(q: QueryRunner) {
    await createPlatformTables(q);
  }
  async down() {}
}
class LeadsTables1700000000004 implements MigrationInterface {
  name = 'LeadsTables1700000000004';
  async up(q: QueryRunner) {
    await createPlatformTables(q);
    await q.query('CREATE TABLE effects (event_id uuid NOT NULL)');
  }
  async down() {}
}

@Module({ imports: [ServicePlatformModule.forService({ name: 'catalog', migrations: [] })] })
class CatalogProducerModule {}

/** A producer service as it runs, answering the replay pattern; the tool's client asks it. */
describe('events replay over the transport (real Postgres and Redis)', () => {
  let db: TestDatabase;
  let app: INestMicroservice;
  let catalog: DataSource;
  let leads: DataSource;
  let client: TransportClient;
  let heartbeat: Heartbeat;
  let redis: Redis;
  let namespace: string;
  let config: ServiceConfig;
  const saved = { ...process.env };

  beforeAll(async () => {
    db = await createTestDatabase([
      { schema: 'catalog', migrations: [CatalogTables1700000000003] },
      { schema: 'leads', migrations: [LeadsTables1700000000004] },
    ]);
    namespace = testNamespace();
    Object.assign(process.env, { DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL, O2O_NAMESPACE: namespace, LOG_LEVEL: 'silent' });
    config = loadConfig(ServiceConfig);
    app = await NestFactory.createMicroservice(CatalogProducerModule, { ...serviceTransport(config), logger: false });
    app.useGlobalPipes(new ValidationPipe(VALIDATION_OPTIONS));
    app.useGlobalFilters(new RpcDomainExceptionFilter());
    app.useGlobalInterceptors(new RpcContextInterceptor(new InFlight()));
    await app.listen();
    catalog = app.get(DataSource);
    redis = new Redis(TEST_REDIS_URL);
    heartbeat = new Heartbeat(redis, namespace, 'catalog', `catalog-${randomUUID()}`);
    await heartbeat.start();
    leads = await createDataSource({ url: db.url, schema: 'leads', migrations: [] }).initialize();
    client = createTransportClient(config);
    await client.connect();
  });
  afterAll(async () => {
    await client.close();
    await heartbeat.stop();
    redis.disconnect();
    await app.close();
    await leads.destroy();
    process.env = saved;
    await db.drop();
    await clearNamespace(namespace);
  });

  const leadsQueue = () =>
    new Queue(eventQueueName('leads', EVENTS.storeCreated), { connection: bullConnection(TEST_REDIS_URL), prefix: bullPrefix(namespace) });
  const effectsOf = async (id: string) => Number((await leads.query('SELECT count(*)::int AS n FROM effects WHERE event_id = $1', [id]))[0].n);

  it('republishes a producer’s events to a consumer deployed later, applied once however often replayed', async () => {
    const since = new Date().toISOString();
    const storeId = await catalog.transaction((m) => writeEvent(m, EVENTS.storeCreated, { id: 'store-1', city: 'Shanghai' }));
    await catalog.transaction((m) => writeEvent(m, EVENTS.productPublished, { id: 'product-1' })); // leads does not subscribe
    await eventually(async () => (await catalog.query('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL'))[0].n === 0);
    // As if leads had not subscribed yet when the catalog published: its queue never got the event.
    const queue = leadsQueue();
    await queue.obliterate({ force: true });
    expect(await queue.count()).toBe(0);

    const first = await replayEvents(config, { consumer: 'leads', since }, { timeoutMs: 10_000 });
    expect(first.find((r) => r.producer === 'catalog')).toEqual({ producer: 'catalog', republished: 1, types: [...EVENT_SUBSCRIPTIONS.leads] });
    // The other producers do not run here: each is reported, none is skipped silently.
    expect(
      first
        .filter((r) => r.error)
        .map((r) => r.producer)
        .sort(),
    ).toEqual(['attribution', 'booking', 'coupons', 'leads']);
    expect(await queue.getJobState(storeId)).toBe('waiting');

    const consumer = new EventConsumer({
      dataSource: leads,
      connection: bullConnection(TEST_REDIS_URL),
      namespace,
      consumer: 'leads',
      logger: pino({ level: 'silent' }),
    });
    consumer.on(EVENTS.storeCreated, async (event, m) => void (await m.query('INSERT INTO effects (event_id) VALUES ($1)', [event.id])));
    consumer.start();
    try {
      await eventually(async () => (await effectsOf(storeId)) === 1);
      const second = await replayEvents(config, { consumer: 'leads', since }, { timeoutMs: 10_000 });
      expect(second.find((r) => r.producer === 'catalog')).toMatchObject({ republished: 1 });
      await new Promise((r) => setTimeout(r, 500));
      expect(await effectsOf(storeId)).toBe(1);
    } finally {
      await consumer.stop();
      await queue.close();
    }
  });

  it('validates the replay request and names the fields', async () => {
    const reply = lastValueFrom(
      client
        .send(eventsReplayPattern('catalog'), { meta: { correlationId: randomUUID(), actor: ANONYMOUS }, data: { consumer: 'nobody', since: 'yesterday' } })
        .pipe(timeout(5000)),
    );
    const error = (await reply.then(
      () => undefined,
      (e: RpcErrorPayload) => e,
    )) as RpcErrorPayload;
    expect(error).toMatchObject({ code: 'bad_input' });
    expect(error.errors!.map((e) => e.field).sort()).toEqual(['consumer', 'since']);
    await expect(replayEvents(config, { consumer: 'leads', since: 'yesterday' })).rejects.toThrow(/since must be an ISO 8601 time/);
  });
});
