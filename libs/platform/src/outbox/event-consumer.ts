import { EventEnvelope, EventName } from '@o2o/contracts';
import { ConnectionOptions, Worker } from 'bullmq';
import type { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import { bullPrefix, eventQueueName } from './queues';

export type EventHandler = (event: EventEnvelope, manager: EntityManager) => Promise<void>;

export interface ConsumerOptions {
  dataSource: DataSource;
  connection: ConnectionOptions;
  namespace: string;
  consumer: string;
  logger: Logger;
  concurrency?: number;
}

/**
 * Reads this service's event queue. Each event is handled in one transaction together with the
 * record of its id, so an event is applied once however often it is delivered.
 */
export class EventConsumer {
  private readonly handlers = new Map<EventName, EventHandler>();
  private worker?: Worker;

  constructor(private readonly options: ConsumerOptions) {}

  on(type: EventName, handler: EventHandler): void {
    if (this.handlers.has(type)) throw new Error(`A handler for ${type} is already registered`);
    this.handlers.set(type, handler);
  }

  start(): void {
    const { connection, namespace, consumer, concurrency = 4 } = this.options;
    this.worker = new Worker(eventQueueName(consumer), (job) => this.handle(job.data as EventEnvelope), {
      connection,
      prefix: bullPrefix(namespace),
      concurrency,
    });
    this.worker.on('failed', (job, err) => this.options.logger.warn({ err, eventId: job?.id, type: job?.name }, 'event handling failed; it will be retried'));
    this.worker.on('error', (err) => this.options.logger.warn({ err }, 'event worker error'));
  }

  /** Waits for the events in hand, then stops taking new ones. */
  async stop(): Promise<void> {
    await this.worker?.close();
    this.worker = undefined;
  }

  /** Applies one event at most once; answers whether it was applied now. */
  async handle(event: EventEnvelope): Promise<boolean> {
    return this.options.dataSource.transaction(async (m) => {
      const fresh = await m.query('INSERT INTO processed_events (event_id, type) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id', [event.id, event.type]);
      if (fresh.length === 0) return false;
      const handler = this.handlers.get(event.type);
      if (!handler) {
        this.options.logger.warn({ type: event.type, eventId: event.id }, 'no handler for event; recorded and skipped');
        return true;
      }
      await handler(event, m);
      return true;
    });
  }
}
