import { clearNamespace, createTestDatabase, eventually, TEST_REDIS_URL, testNamespace, TestDatabase } from '@o2o/testing';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { createDataSource } from '../database/data-source';
import { PlatformTables1763856000000 } from '../database/platform-tables.migration';
import { SystemClock } from '../jobs/clock';
import { Jobs } from '../jobs/jobs';
import { bullConnection } from '../outbox/queues';
import { newId } from '../ids';
import { SIGNATURE_HEADER, verifyWebhookSignature } from './signing';
import { WebhookAttempts1764000000100 } from './webhook-attempts.migration';
import { WebhookDispatcher, WebhookEndpoint } from './webhook-dispatcher';

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => resolve(body));
  });

describe('partner webhooks: signed deliveries with retries (real Postgres, Redis and an HTTP receiver)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let jobs: Jobs;
  let namespace: string;
  let receiver: Server;
  let url: string;
  const received: { signatureValid: boolean; body: string; answered: number }[] = [];
  const endpoints = new Map<string, WebhookEndpoint>();
  let dispatcher: WebhookDispatcher;

  beforeAll(async () => {
    db = await createTestDatabase([{ schema: 'webhooks_test', migrations: [PlatformTables1763856000000, WebhookAttempts1764000000100] }]);
    ds = await createDataSource({ url: db.url, schema: 'webhooks_test', migrations: [] }).initialize();
    namespace = testNamespace();
    jobs = new Jobs({ connection: bullConnection(TEST_REDIS_URL), namespace, clock: new SystemClock(), logger: pino({ level: 'silent' }) });
    // The partner's side: checks the signature, and fails the first two deliveries of each event.
    receiver = createServer((req, res) => {
      void readBody(req).then((body) => {
        const seen = received.filter((r) => r.body === body).length;
        const answered = seen < 2 ? 503 : 200;
        received.push({ signatureValid: verifyWebhookSignature('partner-secret', req.headers[SIGNATURE_HEADER] as string, body), body, answered });
        res.writeHead(answered, { 'content-type': 'text/plain' }).end(answered === 200 ? 'thanks' : 'busy, try later');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/o2o`;
    dispatcher = new WebhookDispatcher({
      jobs,
      dataSource: ds,
      queue: 'test.webhooks',
      endpointOf: async (b) => endpoints.get(b),
      logger: pino({ level: 'silent' }),
      allowPrivateUrls: true,
      backoffMs: 100,
    });
    dispatcher.start();
  });

  afterAll(async () => {
    await jobs?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
    await ds?.destroy();
    await db?.drop();
    await clearNamespace(namespace);
  });

  it('retries a failing receiver with backoff until it takes the event, signed each time, and lists every attempt', async () => {
    const brand = newId();
    endpoints.set(brand, { url, secret: 'partner-secret' });
    const event = { id: newId(), type: 'lead.assigned', occurredAt: new Date().toISOString(), data: { leadId: newId(), brandIds: [brand] } };
    await dispatcher.dispatch(brand, event);
    await dispatcher.dispatch(brand, event); // the same event again is the same job
    await eventually(async () => received.some((r) => r.answered === 200), 10_000, 50);
    await new Promise((r) => setTimeout(r, 300));

    expect(received.map((r) => r.answered)).toEqual([503, 503, 200]);
    expect(received.every((r) => r.signatureValid)).toBe(true);
    expect(JSON.parse(received[2].body)).toEqual(event);
    const attempts = await dispatcher.attemptsOf(brand, 10);
    expect(attempts.map((a) => [a.attempt, a.statusCode, a.error ?? null])).toEqual([
      [3, 200, null],
      [2, 503, 'answered 503'],
      [1, 503, 'answered 503'],
    ]);
    expect(attempts[2].nextAttemptAt).toBeDefined();
    expect(attempts[0].nextAttemptAt).toBeUndefined();
    // The receiver's answer body is not stored anywhere.
    expect(JSON.stringify(await ds.query('SELECT * FROM webhook_attempts'))).not.toMatch(/busy|thanks/);
  });

  it('refuses, once and for good, a URL that resolves to a private address when configuration does not allow it', async () => {
    const strict = new WebhookDispatcher({
      jobs,
      dataSource: ds,
      queue: 'test.webhooks-strict',
      endpointOf: async () => ({ url, secret: 's' }),
      logger: pino({ level: 'silent' }),
      backoffMs: 50,
    });
    strict.start();
    const brand = newId();
    await strict.dispatch(brand, { id: newId(), type: 'deal.closed', occurredAt: new Date().toISOString(), data: {} });
    await eventually(async () => (await strict.attemptsOf(brand, 10)).length === 1, 5000, 50);
    await new Promise((r) => setTimeout(r, 300));
    const [attempt] = await strict.attemptsOf(brand, 10);
    expect(attempt.error).toMatch(/refused: the URL resolves to 127\.0\.0\.1/);
    expect(await strict.attemptsOf(brand, 10)).toHaveLength(1);
  });
});
