import { INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  Actor,
  CampaignView,
  CardView,
  COUPONS,
  EventEnvelope,
  EVENTS,
  luhnCheckDigit,
  PaymentCompletionView,
  PurchaseView,
  QuoteView,
  RpcErrorPayload,
} from '@o2o/contracts';
import {
  applyServicePipeline,
  bullConnection,
  bullPrefix,
  createTransportClient,
  eventQueueName,
  isRpcErrorPayload,
  loadConfig,
  newId,
  ServiceConfig,
  serviceTransport,
  TransportClient,
} from '@o2o/platform';
import { clearNamespace, createTestDatabase, eventually, TEST_REDIS_URL, testNamespace, TestDatabase } from '@o2o/testing';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { lastValueFrom, timeout } from 'rxjs';
import { admin, anonymous, BRAND, campaignBody, newPhone, STORE } from '../test/harness';
import { CouponsModule } from './coupons.module';
import { couponsMigrations } from './migrations';

/** The service as it runs: its module, validation, error filter and transport, in this process. */
describe('coupons message handlers over the transport (real Postgres and Redis)', () => {
  let db: TestDatabase;
  let app: INestMicroservice;
  let client: TransportClient;
  let namespace: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    db = await createTestDatabase([{ schema: 'coupons', migrations: couponsMigrations }]);
    namespace = testNamespace();
    Object.assign(process.env, { DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL, O2O_NAMESPACE: namespace, LOG_LEVEL: 'silent' });
    const config = loadConfig(ServiceConfig);
    app = await NestFactory.createMicroservice(CouponsModule, { ...serviceTransport(config), logger: false });
    applyServicePipeline(app, 'coupons');
    await app.listen();
    client = createTransportClient(config);
    await client.connect();
  });
  afterAll(async () => {
    await client.close();
    await app.close();
    process.env = saved;
    await db.drop();
    await clearNamespace(namespace);
  });

  async function send<T>(pattern: string, data: unknown, actor: Actor = admin): Promise<T> {
    try {
      return await lastValueFrom(client.send<T>(pattern, { meta: { correlationId: randomUUID(), actor }, data }).pipe(timeout(5000)));
    } catch (e) {
      if (isRpcErrorPayload(e)) throw Object.assign(new Error(e.message), e);
      throw e;
    }
  }
  const failure = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: RpcErrorPayload) => e,
    );

  it('validates every message against its DTO and names the fields', async () => {
    const bad = await failure(
      send(COUPONS.createCampaign, { ...campaignBody(), validTo: '2000-01-01T00:00:00.000Z', benefit: { type: 'percent_off', value: 120 } }),
    );
    expect(bad).toMatchObject({ code: 'bad_input' });
    expect(bad!.errors!.map((e) => e.field).sort()).toEqual(['benefit.value', 'validTo']);
    const wrongDigit = await failure(send(COUPONS.getCard, { cardNo: '2012345678901234' }, anonymous));
    expect(wrongDigit).toMatchObject({ code: 'bad_input', errors: [{ field: 'cardNo' }] });
    const extra = await failure(send(COUPONS.purchaseCard, { campaignId: newId(), phone: '13812345678', source: { channel: 'sem' }, price: 0 }, anonymous));
    expect(extra).toMatchObject({ code: 'bad_input', errors: [{ field: 'price' }] });
    await expect(failure(send(COUPONS.createCampaign, campaignBody(), anonymous))).resolves.toMatchObject({ code: 'forbidden' });
  });

  it('runs a card from campaign to redemption and reversal through the patterns', async () => {
    const campaign = await send<CampaignView>(COUPONS.createCampaign, campaignBody({ cities: ['Shanghai'] }));
    const bought = await send<PurchaseView>(
      COUPONS.purchaseCard,
      { campaignId: campaign.id, phone: newPhone(), source: { channel: 'partner', agentId: 'a-1' } },
      anonymous,
    );
    expect(bought.cardNo).toMatch(/^40\d{14}$/);
    // Well formed, never issued (one chance in 10^13 of hitting the card just bought).
    const payload = `${bought.cardNo.slice(0, 2)}0000000000000`;
    const lost = payload + luhnCheckDigit(payload);
    await expect(failure(send(COUPONS.getCard, { cardNo: lost }, anonymous))).resolves.toMatchObject({ code: 'not_found' });

    const paid = await send<PaymentCompletionView>(COUPONS.completePayment, { provider: 'sandbox', orderId: bought.payment.orderId }, anonymous);
    expect(paid).toMatchObject({ cardNo: bought.cardNo, cardStatus: 'active', activatedNow: true });
    await expect(send<CardView>(COUPONS.getCard, { cardNo: bought.cardNo }, anonymous)).resolves.toMatchObject({
      status: 'active',
      source: { channel: 'partner' },
    });

    // The store's city reaches coupons as the catalog's event, through coupons' own event queue.
    const quote = { cardNo: bought.cardNo, storeId: STORE, brandId: BRAND, amountFen: 700_000 };
    await expect(send<QuoteView>(COUPONS.quoteCard, quote)).resolves.toMatchObject({ eligible: false, reason: 'unknown_store' });
    const events = new Queue(eventQueueName('coupons', EVENTS.storeCreated), { connection: bullConnection(TEST_REDIS_URL), prefix: bullPrefix(namespace) });
    const envelope: EventEnvelope = {
      id: newId(),
      type: EVENTS.storeCreated,
      source: 'catalog',
      occurredAt: new Date().toISOString(),
      data: { id: STORE, name: 'Zhenbei', city: 'Shanghai' },
    };
    await events.add(envelope.type, envelope, { jobId: envelope.id });
    await events.close();
    await eventually(async () => (await send<QuoteView>(COUPONS.quoteCard, quote)).eligible);

    const dealId = newId();
    await expect(send(COUPONS.redeemCard, { ...quote, dealId })).resolves.toMatchObject({
      discountFen: 50_000,
      payableFen: 650_000,
      source: { channel: 'partner', agentId: 'a-1' },
    });
    await expect(failure(send(COUPONS.redeemCard, { ...quote, dealId: newId() }))).resolves.toMatchObject({ code: 'conflict', reason: 'card_used' });
    await expect(send(COUPONS.reverseRedemption, { dealId })).resolves.toMatchObject({ status: 'active' });
    await expect(send<CampaignView>(COUPONS.getCampaign, { id: campaign.id })).resolves.toMatchObject({ issued: 1, redeemed: 0 });
  });
});
