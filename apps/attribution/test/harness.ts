import { Abstract, Type } from '@nestjs/common';
import {
  Actor,
  ATTRIBUTION,
  BookingCreatedEvent,
  CardActivatedEvent,
  CardEventName,
  CardRedeemedEvent,
  CardReversedEvent,
  CardStatus,
  Channel,
  CommissionRulesDto,
  CommissionRulesView,
  ConsultationRecordedEvent,
  DealClosedEvent,
  DealRefundedEvent,
  ErrorCode,
  EventEnvelope,
  EventName,
  EVENTS,
  LeadFacts,
  LeadStatus,
  Role,
} from '@o2o/contracts';
import { Clock, CLOCK, DomainError, EventConsumer, newId, serveForTests } from '@o2o/platform';
import { createServiceHarness, ServiceHarness, ServiceHarnessOptions } from '@o2o/testing';
import { DataSource } from 'typeorm';
import { AttributionConfig } from '../src/attribution.config';
import { attributionMigrations } from '../src/migrations';
import { AttributionModule } from '../src/attribution.module';

export const admin: Actor = { kind: 'staff', userId: '0190f1c2-0000-7000-8000-0000000000ad', roles: [Role.Admin] };
export const ops: Actor = { kind: 'staff', userId: '0190f1c2-0000-7000-8000-0000000000a1', roles: [Role.Ops] };
export const agent: Actor = { kind: 'staff', userId: '0190f1c2-0000-7000-8000-0000000000a2', roles: [Role.Agent] };
export const anonymous: Actor = { kind: 'anonymous' };
export const partnerOf = (brandId: string): Actor => ({ kind: 'partner', keyId: `key-${brandId}`, brandId });

export type StaffActor = Extract<Actor, { kind: 'staff' }> & { staffId: string };
/** A salesperson of a store, with the staff id a deal names as its closer. */
export const staffOf = (storeId: string, staffId = newId()): StaffActor => ({ kind: 'staff', userId: newId(), roles: [Role.StoreStaff], storeId, staffId });
/** The manager of a store. */
export const managerOf = (storeId: string, staffId = newId()): StaffActor => ({ kind: 'staff', userId: newId(), roles: [Role.StoreManager], storeId, staffId });
/** An online agent, with the staff id a source names as its agent. */
export const agentOf = (staffId = newId()): StaffActor => ({ kind: 'staff', userId: newId(), roles: [Role.Agent], staffId });

/** The attribution service served over the real transport, with its providers at hand. */
export interface Harness extends ServiceHarness {
  ds: DataSource;
  consumer: EventConsumer;
  /** A provider, by its class: the abstract seams (AttributionSteps, FunnelSteps) included. */
  get<T>(type: Type<T> | Abstract<T> | string | symbol): T;
}

export interface HarnessOptions extends Pick<ServiceHarnessOptions, 'env' | 'override'> {
  settings?: Partial<Pick<AttributionConfig, 'COMMISSION_APPROVAL_SWEEP_SECONDS' | 'REPORT_TIME_ZONE'>>;
  /** Replaces the kit's clock, for a test that moves time by hand (a TestClock). */
  clock?: Clock;
}

/**
 * The attribution service built from its own module and served over the real transport, with a
 * database and a Redis namespace of the test's own: `h.call(pattern, data, { actor })` goes through
 * validation, the request ledger and error mapping; `h.get(Provider)` reaches a provider;
 * `h.consumer.handle(envelope(...))` applies an event as the event queues would.
 */
export async function startAttribution({ settings = {}, clock, env = {}, override }: HarnessOptions = {}): Promise<Harness> {
  const h = await createServiceHarness({
    module: AttributionModule,
    schema: 'attribution',
    migrations: attributionMigrations,
    serve: (module) => serveForTests(module, 'attribution'),
    env: { ...Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, String(v)])), ...env },
    override: (b) => {
      const withClock = clock ? b.overrideProvider(CLOCK).useValue(clock) : b;
      return override ? override(withClock) : withClock;
    },
  });
  return { ...h, ds: h.get(DataSource), consumer: h.get(EventConsumer) };
}

export const envelope = <T extends object>(type: EventName, data: T, source: EventEnvelope['source'], occurredAt = new Date().toISOString()): EventEnvelope =>
  ({ id: newId(), type, source, occurredAt, data }) as unknown as EventEnvelope;

/** The same event again under a new id, as a producer's replay delivers it. */
export const redelivered = (e: EventEnvelope): EventEnvelope => ({ ...e, id: newId() });

/** Applies an event; answers whether it was applied now (false: its id was seen). */
export const deliver = (h: Harness, e: EventEnvelope): Promise<boolean> => h.consumer.handle(e);

let phoneSeq = 0;
/** A fresh mobile number per call. */
export const newPhone = () => `136${String(Date.now() % 1e5).padStart(5, '0')}${String(phoneSeq++ % 1000).padStart(3, '0')}`;

let cardSeq = 0;
/** A fresh 16-digit card number opening with the channel's code (the check digit does not matter here). */
export const newCardNo = (code = '20') => `${code}${String(Date.now() % 1e9).padStart(9, '0')}${String(cardSeq++ % 100000).padStart(5, '0')}`;

export const at = (base: Date, days: number, hours = 0) => new Date(base.getTime() + days * 86_400_000 + hours * 3_600_000).toISOString();

export const RULES: CommissionRulesDto = {
  onlineRate: 100,
  offlineRate: 200,
  premiumRate: 500,
  platformFeeRate: 300,
  attributionWindowDays: 90,
  approvalDelayDays: 15,
};

export function putRules(h: Harness, change: Partial<CommissionRulesDto> = {}, actor: Actor = ops): Promise<CommissionRulesView> {
  return h.call<CommissionRulesView>(ATTRIBUTION.setCommissionRules, { ...RULES, ...change }, { actor });
}

export interface CardSeed {
  cardNo?: string;
  phone: string;
  agentId?: string | null;
  channel?: Channel;
  campaign?: string | null;
  brandIds?: string[];
  activatedAt: string;
  validTo?: string;
}

/** The envelopes of a card's life, built once so that a test can deliver and replay them in any order. */
export function cardEvents(seed: CardSeed) {
  const cardNo = seed.cardNo ?? newCardNo();
  const facts = {
    cardId: newId(),
    cardNo,
    campaignId: newId(),
    brandIds: seed.brandIds ?? [],
    source: { channel: seed.channel ?? Channel.Sem, campaign: seed.campaign ?? 'spring', agentId: seed.agentId ?? null, visitorId: null },
  };
  const validTo = seed.validTo ?? at(new Date(seed.activatedAt), 90);
  const activated = (): EventEnvelope => {
    const data: CardActivatedEvent = {
      ...facts,
      phone: seed.phone,
      orderId: newId(),
      amountFen: 100,
      validFrom: seed.activatedAt,
      validTo,
      activatedAt: seed.activatedAt,
    };
    return envelope(EVENTS.cardActivated, data, 'coupons', seed.activatedAt);
  };
  const redeemed = (dealId: string, redeemedAt: string, amountFen = 700_000): EventEnvelope => {
    const data: CardRedeemedEvent = { ...facts, phone: seed.phone, dealId, storeId: newId(), brandId: newId(), amountFen, discountFen: 50_000, redeemedAt };
    return envelope(EVENTS.cardRedeemed, data, 'coupons', redeemedAt);
  };
  const reversed = (dealId: string, reversedAt: string, status: CardStatus.Active | CardStatus.Expired = CardStatus.Active): EventEnvelope => {
    const data: CardReversedEvent = { ...facts, dealId, status, reversedAt };
    return envelope(EVENTS.cardReversed, data, 'coupons', reversedAt);
  };
  const ended = (type: Extract<CardEventName, 'card.expired' | 'card.voided'>, when: string): EventEnvelope =>
    envelope(type, type === EVENTS.cardExpired ? { ...facts, validTo, expiredAt: when } : { ...facts, reason: 'fraud', voidedAt: when }, 'coupons', when);
  return { cardNo, source: facts.source, activated, redeemed, reversed, ended };
}

export function bookingEvent(change: Partial<BookingCreatedEvent> & { phone: string; at: string }): EventEnvelope {
  const data: BookingCreatedEvent = {
    bookingId: newId(),
    consultationId: null,
    leadId: null,
    city: 'Shanghai',
    storeId: null,
    brandIds: [],
    kind: 'store_visit',
    source: { channel: Channel.Seo, campaign: 'organic', agentId: null, visitorId: 'v-1' },
    budgetFen: null,
    ...change,
  };
  return envelope(EVENTS.bookingCreated, data, 'booking', change.at);
}

export function consultationEvent(change: Partial<ConsultationRecordedEvent> & { recordedAt: string }): EventEnvelope {
  const data: ConsultationRecordedEvent = {
    consultationId: newId(),
    phone: null,
    city: 'Shanghai',
    source: { channel: Channel.Sem, campaign: 'spring', agentId: null, visitorId: null },
    budgetFen: null,
    ...change,
  };
  return envelope(EVENTS.consultationRecorded, data, 'booking', change.recordedAt);
}

/** lead.created, lead.assigned or lead.reassigned: who owns the phone's lead, and until when. */
export function leadEvent(type: EventName, facts: Partial<LeadFacts> & { phone: string; at: string }): EventEnvelope {
  const data: LeadFacts = {
    leadId: newId(),
    city: 'Shanghai',
    storeId: null,
    ownerId: null,
    brandIds: [],
    status: LeadStatus.Assigned,
    slaDueAt: null,
    protectedUntil: at(new Date(facts.at), 30),
    ...facts,
  };
  return envelope(type, { ...data, reason: 'routed' }, 'leads', facts.at);
}

export function dealClosed(change: Partial<DealClosedEvent> & { phone: string; closedAt: string }): { data: DealClosedEvent; event: EventEnvelope } {
  const data: DealClosedEvent = {
    dealId: newId(),
    storeId: newId(),
    brandId: newId(),
    staffId: newId(),
    city: 'Shanghai',
    bookingId: null,
    consultationId: null,
    leadId: null,
    cardNo: null,
    source: null,
    amountFen: 700_000,
    discountFen: 0,
    payableFen: 700_000,
    budgetFen: null,
    ...change,
  };
  return { data, event: envelope(EVENTS.dealClosed, data, 'booking', change.closedAt) };
}

export function dealRefunded(deal: DealClosedEvent, refund: { amountFen: number; refundedTotalFen: number; at: string; refundId?: string }): EventEnvelope {
  const data: DealRefundedEvent = {
    dealId: deal.dealId,
    storeId: deal.storeId,
    brandId: deal.brandId,
    cardNo: deal.cardNo,
    refundId: refund.refundId ?? newId(),
    amountFen: refund.amountFen,
    refundedTotalFen: refund.refundedTotalFen,
    full: refund.refundedTotalFen === deal.amountFen,
    at: refund.at,
  };
  return envelope(EVENTS.dealRefunded, data, 'booking', refund.at);
}

/** Rows of a table, optionally filtered. */
export async function count(h: Harness, table: string, where = 'true', params: unknown[] = []): Promise<number> {
  const [{ n }] = await h.ds.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params);
  return n as number;
}

/** Row counts of several tables at once, to show that a refused request or a replay wrote nothing. */
export async function counts(
  h: Harness,
  tables: string[] = ['deal_attributions', 'commissions', 'commission_rules', 'commission_statements', 'source_cards'],
): Promise<Record<string, number>> {
  const entries = await Promise.all(tables.map(async (t) => [t, await count(h, t)] as const));
  return Object.fromEntries(entries);
}

/** What a refused call carried: its code, its reason and the fields it named. */
export interface Refusal {
  code: ErrorCode | string;
  reason?: string;
  fields: string[];
}

export async function refusal(call: Promise<unknown>): Promise<Refusal> {
  try {
    await call;
  } catch (e) {
    if (e instanceof DomainError) return { code: e.code, reason: e.reason, fields: (e.errors ?? []).map((f) => f.field) };
    return { code: String(e), fields: [] };
  }
  return { code: 'succeeded', fields: [] };
}
