import { EVENT_SUBSCRIPTIONS, EventEnvelope, EventName, ServiceName } from '@o2o/contracts';
import { Queue, Worker } from 'bullmq';
import type Redis from 'ioredis';
import type { RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { reportFailure } from '../health/report-failure';
import { DataSource, EntityManager } from 'typeorm';
import { bullPrefix, eventQueueName, sharedBullRedis } from './queues';

export type EventHandler = (event: EventEnvelope, manager: EntityManager) => Promise<void>;

export interface ConsumerOptions {
  dataSource: DataSource;
  connection: RedisOptions;
  namespace: string;
  consumer: string;
  logger: Logger;
  /** The event types declared for this consumer; defaults to its row of EVENT_SUBSCRIPTIONS. */
  subscriptions?: readonly EventName[];
  /** Events handled at once, across all types. */
  concurrency?: number;
  /** How often to report declared events that wait for a handler. */
  waitingReportMs?: number;
}

/** Waiting, delayed or paused: everything not yet taken by a worker. */
const WAITING_STATES = ['waiting', 'prioritized', 'delayed', 'paused'] as const;

/** A bound on handlers running at once, shared by the workers of all types. */
class Slots {
  private readonly waiters: (() => void)[] = [];
  constructor(private free: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiters.push(resolve));
    try {
      return await fn();
    } finally {
      const next = this.waiters.shift();
      if (next) next();
      else this.free++;
    }
  }
}

/**
 * Reads this service's event queues, one per declared type. Each event is handled in one
 * transaction together with the record of its id, so an event is applied once however often it
 * is delivered. Only types with a handler get a worker: the others wait in their queues, never
 * acknowledged, until a version of the service that handles them starts.
 */
export class EventConsumer {
  private readonly handlers = new Map<EventName, EventHandler>();
  private readonly workers: Worker[] = [];
  private readonly waitingQueues = new Map<EventName, Queue>();
  private readonly slots: Slots;
  private redis?: Redis;
  private started = false;
  private reportTimer?: NodeJS.Timeout;
  private reporting?: Promise<unknown>;

  constructor(private readonly options: ConsumerOptions) {
    this.slots = new Slots(options.concurrency ?? 4);
  }

  get subscriptions(): readonly EventName[] {
    return this.options.subscriptions ?? EVENT_SUBSCRIPTIONS[this.options.consumer as ServiceName] ?? [];
  }

  /** Declared types this consumer has no handler for yet. */
  get unhandled(): EventName[] {
    return this.subscriptions.filter((type) => !this.handlers.has(type));
  }

  on(type: EventName, handler: EventHandler): void {
    const { consumer } = this.options;
    // Without a declaration nothing would ever reach the handler: fail the boot, not silently.
    if (!this.subscriptions.includes(type)) {
      throw new Error(
        `The ${consumer} service registers a handler for event ${type}, which is not declared for ${consumer} in EVENT_SUBSCRIPTIONS (libs/contracts)`,
      );
    }
    if (this.started) throw new Error(`The ${consumer} service registers a handler for event ${type} after its event consumer started`);
    if (this.handlers.has(type)) throw new Error(`A handler for ${type} is already registered`);
    this.handlers.set(type, handler);
  }

  start(): void {
    const { namespace, consumer, concurrency = 4, logger } = this.options;
    if (this.started) throw new Error(`The ${consumer} event consumer is already running`);
    this.started = true;
    if (this.subscriptions.length === 0) return;
    this.redis = sharedBullRedis(this.options.connection);
    for (const type of this.handlers.keys()) {
      const worker = new Worker(eventQueueName(consumer, type), (job) => this.slots.run(() => this.handle(job.data as EventEnvelope)), {
        connection: this.redis,
        prefix: bullPrefix(namespace),
        concurrency,
      });
      worker.on('failed', (job, err) => reportFailure(err, logger, 'event handling failed; it will be retried', { eventId: job?.id, type }));
      worker.on('error', (err) => reportFailure(err, logger, 'event worker error', { type }));
      this.workers.push(worker);
    }
    for (const type of this.unhandled) {
      this.waitingQueues.set(type, new Queue(eventQueueName(consumer, type), { connection: this.redis, prefix: bullPrefix(namespace) }));
    }
    if (this.waitingQueues.size === 0) return;
    this.reporting = this.reportWaiting(true);
    this.reportTimer = setInterval(() => (this.reporting = this.reportWaiting(false)), this.options.waitingReportMs ?? 60_000);
    this.reportTimer.unref();
  }

  /** Waits for the events in hand, then stops taking new ones. */
  async stop(): Promise<void> {
    clearInterval(this.reportTimer);
    await this.reporting;
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all([...this.waitingQueues.values()].map((q) => q.close()));
    this.workers.length = 0;
    this.waitingQueues.clear();
    await this.redis?.quit().catch(() => undefined);
    this.redis = undefined;
    this.started = false;
  }

  /** How many events of each declared type without a handler wait in their queues. */
  async waiting(): Promise<Partial<Record<EventName, number>>> {
    const counts: Partial<Record<EventName, number>> = {};
    for (const [type, queue] of this.waitingQueues) {
      const byState = await queue.getJobCounts(...WAITING_STATES);
      counts[type] = Object.values(byState).reduce((a, b) => a + b, 0);
    }
    return counts;
  }

  private async reportWaiting(atStart: boolean): Promise<void> {
    const { consumer, logger } = this.options;
    try {
      const waiting = Object.fromEntries(Object.entries(await this.waiting()).filter(([, n]) => n > 0));
      const total = Object.values(waiting).reduce((a, b) => a + b, 0);
      if (total > 0) logger.warn({ consumer, waiting }, `${total} declared events wait for a handler ${consumer} does not have yet`);
      else if (atStart) logger.info({ consumer, unhandled: [...this.waitingQueues.keys()] }, 'declared events without a handler yet will wait in their queues');
    } catch (err) {
      logger.warn({ err }, 'could not count the events waiting for a handler');
    }
  }

  /** Applies one event at most once; answers whether it was applied now. */
  async handle(event: EventEnvelope): Promise<boolean> {
    const handler = this.handlers.get(event.type);
    // Never recorded as processed without its handler: it must stay to be handled later.
    if (!handler) throw new Error(`The ${this.options.consumer} service has no handler for event ${event.type}`);
    return this.options.dataSource.transaction(async (m) => {
      const fresh = await m.query('INSERT INTO processed_events (event_id, type) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id', [
        event.id,
        event.type,
      ]);
      if (fresh.length === 0) return false;
      await handler(event, m);
      return true;
    });
  }
}
