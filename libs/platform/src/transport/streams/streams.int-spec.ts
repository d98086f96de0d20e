import { Controller, INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { ErrorCode, RpcErrorPayload, RpcRequest } from '@o2o/contracts';
import { clearNamespace, eventually, TEST_REDIS_URL, testNamespace } from '@o2o/testing';
import Redis from 'ioredis';
import { lastValueFrom } from 'rxjs';
import { DataSource } from 'typeorm';
import { loadConfig, ServiceConfig } from '../../config/config';
import { DomainError, ruleBroken } from '../../errors/domain-error';
import { RpcDomainExceptionFilter } from '../../errors/rpc-exception.filter';
import { checkHealth } from '../../health/health-check';
import { ServiceLiveness } from '../../health/liveness';
import { ServiceClient } from '../service-client';
import { createTransportClient, serviceTransport, TransportClient } from '../transport';
import { StreamsClient } from './streams-client';
import { StreamsContext } from './streams-context';
import { encodeRequest, REQUEST_GROUP, requestStreamKey } from './streams-protocol';
import { StreamsServer } from './streams-server';

/** What the probe handlers saw, shared with the test. */
const probe = { runs: new Map<string, number>(), concurrent: 0, maxConcurrent: 0, reclaimed: [] as string[] };

const count = (key: string) => probe.runs.set(key, (probe.runs.get(key) ?? 0) + 1);

@Controller()
class ProbeController {
  @MessagePattern('catalog.echo')
  echo(@Payload() request: RpcRequest<{ key: string; text?: string }>, @Ctx() context: StreamsContext) {
    count(request.data.key);
    if (context instanceof StreamsContext && context.isReclaimed()) probe.reclaimed.push(request.data.key);
    return { echoed: request.data, correlationId: request.meta.correlationId };
  }

  @MessagePattern('catalog.slow')
  async slow(@Payload() request: RpcRequest<{ key: string; ms: number }>) {
    count(request.data.key);
    probe.concurrent++;
    probe.maxConcurrent = Math.max(probe.maxConcurrent, probe.concurrent);
    await new Promise((resolve) => setTimeout(resolve, request.data.ms));
    probe.concurrent--;
    return { key: request.data.key };
  }

  @MessagePattern('catalog.refuse')
  refuse() {
    throw ruleBroken('The card has expired', 'card_expired');
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

const meta = { correlationId: 'corr-1', actor: { kind: 'anonymous' as const } };
const alwaysUp = { isUp: () => true } as unknown as ServiceLiveness;

describe('Redis Streams transport (real Redis)', () => {
  let namespace: string;
  let redis: Redis;
  const closers: (() => Promise<unknown>)[] = [];

  const configFor = (env: Record<string, string> = {}) =>
    loadConfig(ServiceConfig, { REDIS_URL: TEST_REDIS_URL, O2O_NAMESPACE: namespace, O2O_STREAMS_CLAIM_IDLE_MS: '300', ...env });

  async function startService(env: Record<string, string> = {}): Promise<INestMicroservice> {
    const app = await NestFactory.createMicroservice(ProbeModule, { ...serviceTransport(configFor(env)), logger: false });
    app.useGlobalFilters(new RpcDomainExceptionFilter());
    await app.listen();
    closers.push(() => app.close());
    return app;
  }

  function client(env: Record<string, string> = {}): TransportClient {
    const c = createTransportClient(configFor(env));
    closers.push(() => c.close() as Promise<unknown>);
    return c;
  }

  const call = <T>(c: TransportClient, pattern: string, data: unknown) => lastValueFrom(c.send<T>(pattern, { meta, data }));
  const stream = () => requestStreamKey(namespace, 'catalog');

  beforeEach(() => {
    namespace = testNamespace();
    redis = new Redis(TEST_REDIS_URL);
    probe.runs.clear();
    probe.reclaimed = [];
    probe.maxConcurrent = 0;
  });
  afterEach(async () => {
    while (closers.length) await closers.pop()!();
    redis.disconnect();
    await clearNamespace(namespace);
  });

  it('is the default transport, with the stock one selectable by O2O_TRANSPORT', () => {
    expect(serviceTransport(configFor()).strategy).toBeInstanceOf(StreamsServer);
    expect(createTransportClient(configFor())).toBeInstanceOf(StreamsClient);
    expect(serviceTransport(configFor({ O2O_TRANSPORT: 'redis' })).strategy).not.toBeInstanceOf(StreamsServer);
  });

  it('answers a @MessagePattern handler and acknowledges and deletes the request', async () => {
    await startService();
    const c = client();
    await expect(call(c, 'catalog.echo', { key: 'a', text: 'hi' })).resolves.toEqual({ echoed: { key: 'a', text: 'hi' }, correlationId: 'corr-1' });
    await eventually(async () => (await redis.xlen(stream())) === 0);
    const [pending] = (await redis.xpending(stream(), REQUEST_GROUP)) as [number];
    expect(pending).toBe(0);
  });

  it('carries a domain error to the caller as the RpcErrorPayload, and ServiceClient rethrows it', async () => {
    await startService();
    const c = client();
    await expect(call(c, 'catalog.refuse', {})).rejects.toEqual(
      expect.objectContaining<Partial<RpcErrorPayload>>({ code: ErrorCode.RuleBroken, message: 'The card has expired', reason: 'card_expired' }),
    );
    const service = new ServiceClient('catalog', c, alwaysUp, 2000);
    await expect(service.send('catalog.refuse', {}, meta)).rejects.toMatchObject({ code: ErrorCode.RuleBroken, reason: 'card_expired' });
    await expect(service.send('catalog.echo', { key: 'b' }, meta)).resolves.toMatchObject({ echoed: { key: 'b' } });
  });

  it('refuses an over-size payload at once with bad_input, before it reaches the stream', async () => {
    await startService({ O2O_MAX_PAYLOAD_BYTES: '2048' });
    const service = new ServiceClient('catalog', client({ O2O_MAX_PAYLOAD_BYTES: '2048' }), alwaysUp, 2000);
    const started = Date.now();
    const error = await service.send('catalog.echo', { key: 'big', text: 'x'.repeat(5000) }, meta).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(500);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: ErrorCode.BadInput,
      message: expect.stringMatching(/^The request to catalog\.echo is \d+ bytes, over the 2048-byte limit/),
    });
    expect(probe.runs.get('big')).toBeUndefined();
  });

  it('keeps a request sent while no replica runs, and drops one whose deadline passed unrun', async () => {
    const c = client() as StreamsClient;
    const late = lastValueFrom(c.sendBefore('catalog.echo', { meta, data: { key: 'late' } }, Date.now() + 300)).catch((e: unknown) => e);
    const waiting = lastValueFrom(c.sendBefore('catalog.echo', { meta, data: { key: 'waiting' } }, Date.now() + 10_000));
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(await redis.xlen(stream())).toBe(2);

    await startService();
    await expect(waiting).resolves.toMatchObject({ echoed: { key: 'waiting' } });
    expect(await late).toMatchObject({ code: ErrorCode.ServiceTimeout });
    await eventually(async () => (await redis.xlen(stream())) === 0);
    expect(probe.runs.get('late')).toBeUndefined();
  });

  it('claims again, after the idle time, a request whose replica died holding it', async () => {
    await redis.xgroup('CREATE', stream(), REQUEST_GROUP, '0', 'MKSTREAM');
    const c = client() as StreamsClient;
    const reply = lastValueFrom(c.sendBefore('catalog.echo', { meta, data: { key: 'orphan' } }, Date.now() + 10_000));
    await eventually(async () => (await redis.xlen(stream())) === 1);
    // A replica takes the request and dies before answering.
    await redis.xreadgroup('GROUP', REQUEST_GROUP, 'dead-replica', 'COUNT', 1, 'STREAMS', stream(), '>');

    const started = Date.now();
    await startService({ O2O_STREAMS_CLAIM_IDLE_MS: '300' });
    await expect(reply).resolves.toMatchObject({ echoed: { key: 'orphan' } });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(probe.runs.get('orphan')).toBe(1);
    expect(probe.reclaimed).toEqual(['orphan']);
  });

  it('does not hand a slow but living replica its request to another (leases are renewed)', async () => {
    await startService({ O2O_STREAMS_CLAIM_IDLE_MS: '200' });
    await startService({ O2O_STREAMS_CLAIM_IDLE_MS: '200' });
    const c = client();
    await expect(call(c, 'catalog.slow', { key: 'slow', ms: 1200 })).resolves.toEqual({ key: 'slow' });
    expect(probe.runs.get('slow')).toBe(1);
  });

  it('runs no more than O2O_STREAMS_MAX_IN_FLIGHT requests at once on a replica', async () => {
    await startService({ O2O_STREAMS_MAX_IN_FLIGHT: '3' });
    const c = client();
    const replies = await Promise.all(Array.from({ length: 12 }, (_, i) => call(c, 'catalog.slow', { key: `s${i}`, ms: 50 })));
    expect(replies).toHaveLength(12);
    expect(probe.maxConcurrent).toBe(3);
  });

  it('refuses requests at once with 503 when the service is that far behind (backpressure)', async () => {
    const service = new ServiceClient('catalog', client({ O2O_STREAMS_MAX_LENGTH: '5' }), alwaysUp, 3000);
    const queued = Array.from({ length: 5 }, (_, i) => service.send('catalog.echo', { key: `q${i}` }, meta));
    await eventually(async () => (await redis.xlen(stream())) === 5);
    const started = Date.now();
    await expect(service.send('catalog.echo', { key: 'one-too-many' }, meta)).rejects.toMatchObject({
      code: ErrorCode.ServiceUnavailable,
      message: 'The catalog service is overloaded (5 requests waiting); try again later',
    });
    expect(Date.now() - started).toBeLessThan(500);
    await startService();
    await expect(Promise.all(queued)).resolves.toHaveLength(5);
  });

  it('reports the consumer group lag and pending count in the health report', async () => {
    await startService({ O2O_STREAMS_MAX_IN_FLIGHT: '1' });
    const c = client();
    const replies = Array.from({ length: 4 }, (_, i) => call(c, 'catalog.slow', { key: `h${i}`, ms: 400 }));
    const fakeDb = { query: async () => [{ n: 0 }] } as unknown as DataSource;
    const report = await eventually(async () => {
      const r = await checkHealth('catalog', fakeDb, redis);
      return r.requestQueue && r.requestQueue.lag + r.requestQueue.pending === 4 ? r : undefined;
    });
    expect(report.requestQueue).toEqual({ lag: 3, pending: 1 });
    await Promise.all(replies);
    await expect(checkHealth('catalog', fakeDb, redis)).resolves.toMatchObject({ requestQueue: { lag: 0, pending: 0 } });
  });

  it('acknowledges entries without replies: malformed ones, and events (run once if handled)', async () => {
    await startService();
    await redis.xadd(stream(), '*', 'junk', '1');
    await redis.xadd(stream(), '*', ...encodeRequest({ pattern: 'catalog.nothing', body: '{}' }));
    await redis.xadd(stream(), '*', ...encodeRequest({ pattern: 'catalog.echo', body: '{"meta":{},"data":{"key":"event"}}' }));
    await eventually(async () => (await redis.xlen(stream())) === 0);
    expect(probe.runs.get('event')).toBe(1);
    const [pending] = (await redis.xpending(stream(), REQUEST_GROUP)) as [number];
    expect(pending).toBe(0);
  });

  it('on close, stops reading, lets running requests finish and acknowledges them', async () => {
    const app = await startService();
    const c = client();
    const reply = call(c, 'catalog.slow', { key: 'closing', ms: 300 });
    await eventually(async () => probe.runs.get('closing') === 1, 2000, 10);
    await app.close();
    await expect(reply).resolves.toEqual({ key: 'closing' });
    expect(await redis.xlen(stream())).toBe(0);
    const later = lastValueFrom(c.send('catalog.echo', { meta, data: { key: 'after-close' } })).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(probe.runs.get('after-close')).toBeUndefined();
    expect(await redis.xlen(stream())).toBe(1); // waits for the next replica
    await startService();
    await expect(later).resolves.toMatchObject({ echoed: { key: 'after-close' } });
  });

  it('serves the same handlers over the stock pub/sub transport when chosen', async () => {
    await startService({ O2O_TRANSPORT: 'redis' });
    const c = client({ O2O_TRANSPORT: 'redis' });
    await c.connect();
    await expect(call(c, 'catalog.echo', { key: 'stock' })).resolves.toMatchObject({ echoed: { key: 'stock' } });
  });
});
