import { Type, ValidationPipe } from '@nestjs/common';
import { Actor, BenefitType, Channel, CreateCampaignDto, PurchaseCardDto, PurchaseView, Role } from '@o2o/contracts';
import { Clock, CLOCK, Jobs, serveForTests, VALIDATION_OPTIONS } from '@o2o/platform';
import { createServiceHarness, ServiceHarness } from '@o2o/testing';
import { DataSource } from 'typeorm';
import { CampaignsService } from '../src/campaigns/campaigns.service';
import { CardExpiryService } from '../src/cards/card-expiry.service';
import { CardsService } from '../src/cards/cards.service';
import { RedemptionsService } from '../src/cards/redemptions.service';
import { KnownBrandsRepository } from '../src/catalog-facts/known-brands.repository';
import { KnownStoresRepository } from '../src/catalog-facts/known-stores.repository';
import { CouponsConfig } from '../src/coupons.config';
import { CouponsModule } from '../src/coupons.module';
import { CouponsJobs } from '../src/jobs/coupons-jobs';
import { couponsMigrations } from '../src/migrations';
import { PaymentsService } from '../src/payments/payments.service';
import { PurchaseCardUseCase } from '../src/payments/purchase-card.use-case';

export const admin: Actor = { kind: 'staff', userId: '0190f1c2-0000-7000-8000-0000000000ad', roles: [Role.Admin] };
export const agent: Actor = { kind: 'staff', userId: '0190f1c2-0000-7000-8000-0000000000a9', roles: [Role.Agent] };
export const anonymous: Actor = { kind: 'anonymous' };

/** The coupons service built from CouponsModule, with its providers at hand. */
export interface Harness extends ServiceHarness {
  ds: DataSource;
  /** The kit's jobs; the coupons workers run from the module's start. */
  jobs: Jobs;
  campaigns: CampaignsService;
  cards: CardsService;
  purchases: PurchaseCardUseCase;
  redemptions: RedemptionsService;
  payments: PaymentsService;
  expiry: CardExpiryService;
  stores: KnownStoresRepository;
  brands: KnownBrandsRepository;
  couponsJobs: CouponsJobs;
}

export interface HarnessOptions {
  settings?: Partial<Pick<CouponsConfig, 'PAYMENT_TTL_SECONDS' | 'CARD_EXPIRY_SWEEP_SECONDS'>>;
  /** Replaces the kit's clock, for a test that moves time by hand (a TestClock). */
  clock?: Clock;
  /** Serves the module over the real transport, so that `call` sends commands through the request ledger. */
  serve?: boolean;
}

export async function startHarness({ settings = {}, clock, serve = false }: HarnessOptions = {}): Promise<Harness> {
  const h = await createServiceHarness({
    module: CouponsModule,
    schema: 'coupons',
    migrations: couponsMigrations,
    serve: serve ? (module) => serveForTests(module, 'coupons') : undefined,
    env: Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, String(v)])),
    override: clock ? (b) => b.overrideProvider(CLOCK).useValue(clock) : undefined,
  });
  return {
    ...h,
    ds: h.get(DataSource),
    jobs: h.get(Jobs),
    campaigns: h.get(CampaignsService),
    cards: h.get(CardsService),
    purchases: h.get(PurchaseCardUseCase),
    redemptions: h.get(RedemptionsService),
    payments: h.get(PaymentsService),
    expiry: h.get(CardExpiryService),
    stores: h.get(KnownStoresRepository),
    brands: h.get(KnownBrandsRepository),
    couponsJobs: h.get(CouponsJobs),
  };
}

const pipe = new ValidationPipe(VALIDATION_OPTIONS);

/** A message as the service's validation pipe hands it on (phones normalised), or its 400. */
export function validated<T extends object>(type: Type<T>, body: object): Promise<T> {
  return pipe.transform(body, { type: 'body', metatype: type }) as Promise<T>;
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

export async function buyCard(h: Harness, campaignId: string, phone = newPhone(), channel = Channel.Sem): Promise<PurchaseView> {
  const dto = await validated(PurchaseCardDto, { campaignId, phone, source: { channel, campaign: 'kw-spring', agentId: 'agent-7', visitorId: 'v-1' } });
  return h.purchases.purchase(dto);
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
