import { ErrorCode, RpcMeta } from '@o2o/contracts';
import { clearNamespace, createTestDatabase, TEST_REDIS_URL, testNamespace, TestDatabase } from '@o2o/testing';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { loadConfig, ServiceConfig } from '../config/config';
import { createDataSource } from '../database/data-source';
import { PlatformTables1763856000000 } from '../database/platform-tables.migration';
import { RequestLedger1764000000000 } from '../database/request-ledger.migration';
import { DomainError } from '../errors/domain-error';
import { ServiceLiveness } from '../health/liveness';
import { requestContext } from '../logging/context';
import { ServiceClients } from './service-clients';
import { FixtureEffects1764000000001 } from './streams/testing/effects-table';
import { RecordReply } from './streams/testing/fixture-keys';
import { compileFixture, ReplicaProcess, startReplica } from './streams/testing/replicas';
import { createTransportClient } from './transport';

const codeOf = (e: unknown) => (e instanceof DomainError ? e.code : String(e));

/** A service calling another through the kit's ServiceClients, against a real replica of the callee. */
describe('service-to-service calls from the kit (real Redis and Postgres)', () => {
  let fixture: ReturnType<typeof compileFixture>;
  let db: TestDatabase;
  let ds: DataSource;
  let namespace: string;
  let replica: ReplicaProcess;
  let redis: Redis;
  let clients: ServiceClients;

  beforeAll(async () => {
    fixture = compileFixture();
    db = await createTestDatabase([{ schema: 'fixture', migrations: [PlatformTables1763856000000, RequestLedger1764000000000, FixtureEffects1764000000001] }]);
    ds = await createDataSource({ url: db.url, schema: 'fixture', migrations: [] }).initialize();
    namespace = testNamespace();
    // The callee plays "coupons": its patterns are coupons.*, and it keeps a liveness heartbeat.
    replica = await startReplica(fixture.script, 'coupons-1', {
      REDIS_URL: TEST_REDIS_URL,
      O2O_NAMESPACE: namespace,
      FIXTURE_SERVICE: 'coupons',
      FIXTURE_HEARTBEAT: 'true',
      FIXTURE_DATABASE_URL: db.url,
      FIXTURE_SCHEMA: 'fixture',
    });
    const config = loadConfig(ServiceConfig, { REDIS_URL: TEST_REDIS_URL, O2O_NAMESPACE: namespace });
    redis = new Redis(TEST_REDIS_URL);
    const liveness = new ServiceLiveness(redis, namespace);
    await liveness.start();
    clients = new ServiceClients(createTransportClient(config), liveness, config.REQUEST_TIMEOUT_MS, ['coupons']);
  });

  afterAll(async () => {
    await clients?.close();
    await replica?.stop();
    redis?.disconnect();
    await ds?.destroy();
    await db?.drop();
    await clearNamespace(namespace);
    fixture?.remove();
  });

  const staff = { kind: 'staff' as const, userId: 'u-1', roles: [], storeId: 's-1' };

  it('forwards the correlation id, the actor, the request id and the remaining deadline', async () => {
    const deadline = Date.now() + 1500;
    const meta = await requestContext.run({ correlationId: 'corr-42', actor: staff, deadline }, () =>
      clients.call<RpcMeta>('coupons', 'coupons.echo', {}, { requestId: 'deal:d-1:redeem' }),
    );
    expect(meta).toMatchObject({ correlationId: 'corr-42', actor: staff, requestId: 'deal:d-1:redeem' });
    expect(meta.deadline).toBeLessThanOrEqual(deadline);
  });

  it('gives a call outside any request its own deadline from the configured timeout', async () => {
    const before = Date.now();
    const meta = await clients.call<RpcMeta>('coupons', 'coupons.echo', {});
    expect(meta.deadline).toBeGreaterThanOrEqual(before + 5000);
    expect(meta.actor).toEqual({ kind: 'anonymous' });
  });

  it('does not call at all once the caller’s deadline has passed', async () => {
    const outcome = await requestContext.run({ correlationId: 'late', deadline: Date.now() - 1 }, () =>
      clients.call('coupons', 'coupons.echo', {}).catch(codeOf),
    );
    expect(outcome).toBe(ErrorCode.ServiceTimeout);
  });

  it('leaves no effect when the callee cannot finish before the caller’s deadline, and the retry does the work once', async () => {
    const started = Date.now();
    const late = await requestContext.run({ correlationId: 'slow', deadline: Date.now() + 300 }, () =>
      clients.call('coupons', 'coupons.record', { key: 'slow-1', workMs: 1000 }, { requestId: 'slow-1' }).catch(codeOf),
    );
    expect(late).toBe(ErrorCode.ServiceTimeout);
    expect(Date.now() - started).toBeLessThan(1000);
    await new Promise((r) => setTimeout(r, 1200)); // the callee has given up by now, and committed nothing
    expect(await ds.query(`SELECT id FROM effects WHERE request_key = 'slow-1'`)).toEqual([]);

    const first = await clients.call<RecordReply>('coupons', 'coupons.record', { key: 'slow-1' }, { requestId: 'slow-1' });
    const again = await clients.call<RecordReply>('coupons', 'coupons.record', { key: 'slow-1' }, { requestId: 'slow-1' });
    expect(again.effectId).toBe(first.effectId);
    expect(await ds.query(`SELECT id FROM effects WHERE request_key = 'slow-1'`)).toEqual([{ id: first.effectId }]);
  });

  it('refuses a call to a service it did not declare', () => {
    expect(() => clients.get('booking')).toThrow(/not declared/);
  });
});
