import { BeforeApplicationShutdown, Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EventEnvelope, LeadFacts } from '@o2o/contracts';
import { commandTransaction, LOGGER, WebhookDispatcher, WebhookEvent } from '@o2o/platform';
import type { Logger } from 'pino';
import { DataSource, EntitySubscriberInterface, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import { BrandWebhooksRepository } from './brand-webhooks.repository';
import {
  brandsConcerned,
  isPartnerEventType,
  LEAD_WEBHOOK_TYPES,
  leadEventBrands,
  LeadWebhookType,
  occurredAtOf,
  partnerData,
  PartnerEventType,
  partnerTypeOf,
} from './webhooks.rules';

/** How far back the sweep looks for lead events whose deliveries were never scheduled. */
export const SWEEP_LOOKBACK_MS = 3600_000;
const SWEEP_BATCH = 5000;

interface PendingLeadEvent {
  id: string;
  type: LeadWebhookType;
  data: Record<string, unknown>;
}

/**
 * Sends events on to the partner webhooks of the brands they concern, each (event, brand) as one
 * delivery job whose id the dispatcher derives from both: scheduling it twice changes nothing.
 *
 * - Events leads receives (booking.confirmed, deal.closed, deal.refunded): `partnerEvent` inside
 *   the consumer's transaction. A rollback redelivers the event, and the second schedule is a no-op.
 * - Lead events leads writes (lead.assigned, lead.reassigned, and lead.booking_linked, sent as
 *   lead.assigned to the brands a booking added to an owned lead): **the core calls
 *   `leadEvent(eventId, type, facts)` with the id `writeEvent` returned**, inside the transaction
 *   that wrote it or after it committed. Inside, the delivery is scheduled only once that
 *   transaction commits (a rolled-back event is never sent); it is sent only if the event is in
 *   the outbox. A crash between the commit and the scheduling is made good by `sweep`, a repeatable
 *   job that schedules again every lead event of the last hour (a no-op where the job exists).
 */
@Injectable()
export class WebhookNotifier implements OnModuleInit, BeforeApplicationShutdown {
  private readonly pending = new WeakMap<QueryRunner, PendingLeadEvent[]>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly dispatcher: WebhookDispatcher,
    private readonly webhooks: BrandWebhooksRepository,
    private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    // TypeORM tells subscribers when a query runner's outermost transaction commits or rolls back.
    const subscriber: EntitySubscriberInterface = {
      afterTransactionCommit: (e: TransactionCommitEvent) => this.committed(e.queryRunner),
      afterTransactionRollback: (e: TransactionRollbackEvent) => void this.pending.delete(e.queryRunner),
    };
    this.dataSource.subscribers.push(subscriber);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  /**
   * For the core, each time it writes lead.assigned or lead.reassigned: `eventId` is what
   * writeEvent answered, `facts` the payload written. Cheap inside a transaction (remembered until
   * it commits); after the commit it schedules at once.
   */
  async leadEvent(eventId: string, type: LeadWebhookType, facts: LeadFacts): Promise<void> {
    const event: PendingLeadEvent = { id: eventId, type, data: facts as unknown as Record<string, unknown> };
    const tx = commandTransaction.getStore();
    if (tx && !tx.closed) {
      const list = this.pending.get(tx.runner) ?? [];
      list.push(event);
      this.pending.set(tx.runner, list);
      return;
    }
    await this.sendLeadEvents([event]);
  }

  /** An event received from another service, called inside the consumer's transaction. */
  async partnerEvent(event: EventEnvelope): Promise<void> {
    if (!isPartnerEventType(event.type)) return;
    await this.send(event.id, event.type, event.data, event.occurredAt);
  }

  /** Schedules again the lead events of the last hour whose jobs are missing; answers how many (event, brand) pairs it looked at. */
  async sweep(now = new Date()): Promise<number> {
    let seen = 0;
    let since = new Date(now.getTime() - SWEEP_LOOKBACK_MS);
    for (;;) {
      const rows = await this.webhooks.recentLeadEventsForRegisteredBrands(LEAD_WEBHOOK_TYPES, since, SWEEP_BATCH);
      for (const r of rows) {
        const type = r.type as LeadWebhookType;
        if (!leadEventBrands(type, r.payload).includes(r.brandId)) continue;
        await this.dispatcher.dispatch(r.brandId, this.webhookEvent(r.id, partnerTypeOf(type), r.payload, r.occurredAt));
      }
      seen += rows.length;
      if (rows.length < SWEEP_BATCH) return seen;
      // Rows at the last instant are read again: harmless, the jobs exist.
      since = new Date(rows[rows.length - 1].occurredAt);
      if (rows[0].occurredAt === rows[rows.length - 1].occurredAt) return seen;
    }
  }

  private committed(runner: QueryRunner): void {
    const events = this.pending.get(runner);
    if (!events) return;
    this.pending.delete(runner);
    // Not awaited: the committing connection is released at once. A failure here is made good by the sweep.
    const work = this.sendLeadEvents(events)
      .catch((err: unknown) => this.logger.warn({ err, eventIds: events.map((e) => e.id) }, 'partner webhooks not scheduled after commit; the sweep will'))
      .finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
  }

  private async sendLeadEvents(events: PendingLeadEvent[]): Promise<void> {
    const withBrands = events.map((e) => ({ ...e, brands: leadEventBrands(e.type, e.data) })).filter((e) => e.brands.length > 0);
    if (withBrands.length === 0) return;
    const registered = new Set(await this.webhooks.registeredAmong([...new Set(withBrands.flatMap((e) => e.brands))]));
    const wanted = withBrands.filter((e) => e.brands.some((b) => registered.has(b)));
    if (wanted.length === 0) return;
    const committed = await this.webhooks.committedEvents(wanted.map((e) => e.id));
    for (const e of wanted) {
      if (!committed.has(e.id)) {
        this.logger.warn({ eventId: e.id, type: e.type }, 'a lead event given for partner webhooks is not in the outbox; not sent');
        continue;
      }
      const event = this.webhookEvent(e.id, partnerTypeOf(e.type), e.data, new Date().toISOString());
      for (const brandId of e.brands.filter((b) => registered.has(b))) await this.dispatcher.dispatch(brandId, event);
    }
  }

  private async send(id: string, type: PartnerEventType, data: Record<string, unknown>, occurredAt: string): Promise<void> {
    const brands = brandsConcerned(type, data);
    if (brands.length === 0) return;
    const registered = await this.webhooks.registeredAmong(brands);
    const event = this.webhookEvent(id, type, data, occurredAt);
    for (const brandId of registered) await this.dispatcher.dispatch(brandId, event);
  }

  private webhookEvent(id: string, type: PartnerEventType, data: Record<string, unknown>, fallbackAt: string): WebhookEvent {
    return { id, type, occurredAt: occurredAtOf(data, fallbackAt), data: partnerData(type, data) };
  }
}
