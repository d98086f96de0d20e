import { Actor, BenefitType, Channel, CreateCampaignDto, PurchaseResult, Role } from '@o2o/contracts';
import { bullConnection, createDataSource, Jobs, SystemClock } from '@o2o/platform';
import { clearNamespace, createTestDatabase, TEST_REDIS_URL, testNamespace, TestDatabase } from '@o2o/testing';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { couponsEntities } from '../src/app.module';
import { CampaignsService } from '../src/campaigns/campaigns.service';
import { CardExpiryService } from '../src/cards/card-expiry.service';
import { CardsService } from '../src/cards/cards.service';
import { RedemptionsService } from '../src/cards/redemptions.service';
import { CatalogFactsService } from '../src/catalog-facts/catalog-facts.service';
import { CouponsConfig } from '../src/coupons.config';
import { CouponsJobs } from '../src/jobs/coupons-jobs';
import { couponsMigrations } from '../src/migrations';
import { PaymentProviders } from '../src/payments/payment-provider';
import { PaymentsService } from '../src/payments/payments.service';
import { SandboxPaymentProvider } from '../src/payments/sandbox.provider';

export const admin: Actor = { kind: 'staff', userId: '0190f1c2-0000-7000-8000-0000000000ad', roles: [Role.Admin] };
export const agent: Actor = { kind: 'staff', userId: '0190f1c2-0000-7000-8000-0000000000a9', roles: [Role.Agent] };
export const anonymous: Actor = { kind: 'anonymous' };
export const logger = pino({ level: 'silent' });

/** The coupons services wired by hand over a database and a Redis namespace of the test's own. */
export interface Harness {
  db: TestDatabase;
  ds: DataSource;
  namespace: string;
  config: CouponsConfig;
  /** The kit's jobs over the test's namespace; the coupons workers run only once started. */
  jobs: Jobs;
  campaigns: CampaignsService;
  cards: CardsService;
  redemptions: RedemptionsService;
  payments: PaymentsService;
  expiry: CardExpiryService;
  facts: CatalogFactsService;
  couponsJobs: CouponsJobs;
  close(): Promise<void>;
}

export async function startHarness(settings: Partial<Pick<CouponsConfig, 'PAYMENT_TTL_SECONDS' | 'CARD_EXPIRY_SWEEP_SECONDS'>> = {}): Promise<Harness> {
  const db = await createTestDatabase([{ schema: 'coupons', migrations: couponsMigrations }]);
  const ds = await createDataSource({ url: db.url, schema: 'coupons', entities: couponsEntities, migrations: [], poolSize: 20 }).initialize();
  const namespace = testNamespace();
  const config = Object.assign(new CouponsConfig(), { DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL, O2O_NAMESPACE: namespace, ...settings });
  const jobs = new Jobs({ connection: bullConnection(TEST_REDIS_URL), namespace, clock: new SystemClock(), logger });
  const providers = new PaymentProviders([new SandboxPaymentProvider()]);
  const facts = new CatalogFactsService();
  const payments = new PaymentsService(ds, providers);
  const expiry = new CardExpiryService(ds);
  const couponsJobs = new CouponsJobs(jobs, payments, expiry, config, logger);
  return {
    db,
    ds,
    namespace,
    config,
    jobs,
    campaigns: new CampaignsService(ds),
    cards: new CardsService(ds, facts, providers, jobs, config, logger),
    redemptions: new RedemptionsService(ds, facts),
    payments,
    expiry,
    facts,
    couponsJobs,
    async close() {
      await jobs.stop();
      await ds.destroy();
      await db.drop();
      await clearNamespace(namespace);
    },
  };
}

export const BRAND = '0190f1c2-0000-7000-8000-00000000b001';
export const OTHER_BRAND = '0190f1c2-0000-7000-8000-00000000b002';
export const STORE = '0190f1c2-0000-7000-8000-00000000c001';

export function campaignBody(change: Partial<CreateCampaignDto> = {}): CreateCampaignDto {
  return {
    name: 'Spring 1 yuan card',
    priceFen: 100,
    benefit: { type: BenefitType.AmountOff, value: 50_000, minSpendFen: 300_000 },
    brandIds: [BRAND],
    validFrom: new Date(Date.now() - 86_400_000).toISOString(),
    validTo: new Date(Date.now() + 90 * 86_400_000).toISOString(),
    perPhoneLimit: 1,
    ...change,
  };
}

let phoneSeq = 0;
/** A fresh mobile number per call. */
export const newPhone = () => `139${String(Date.now() % 1e5).padStart(5, '0')}${String(phoneSeq++ % 1000).padStart(3, '0')}`;

export async function buyCard(h: Harness, campaignId: string, phone = newPhone(), channel = Channel.Sem): Promise<PurchaseResult> {
  return h.cards.purchase({ campaignId, phone, source: { channel, campaign: 'kw-spring', agentId: 'agent-7', visitorId: 'v-1' } });
}

export async function buyActiveCard(h: Harness, campaignId: string, phone = newPhone()): Promise<string> {
  const bought = await buyCard(h, campaignId, phone);
  await h.payments.complete({ provider: 'sandbox', orderId: bought.payment.orderId });
  return bought.cardNo;
}

/** Settles every promise and sorts the outcomes: values, and errors by their code. */
export async function settle<T>(promises: Promise<T>[]): Promise<{ ok: T[]; failed: { code?: string; reason?: string; message: string }[] }> {
  const results = await Promise.allSettled(promises);
  const ok: T[] = [];
  const failed: { code?: string; reason?: string; message: string }[] = [];
  for (const r of results) {
    if (r.status === 'fulfilled') ok.push(r.value);
    else {
      const e = r.reason as { code?: string; reason?: string; message?: string };
      failed.push({ code: e.code, reason: e.reason, message: String(e.message) });
    }
  }
  return { ok, failed };
}

export async function outboxCount(ds: DataSource, type: string, where = 'true', params: unknown[] = []): Promise<number> {
  const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM outbox WHERE type = $1 AND ${where}`, [type, ...params]);
  return n as number;
}
