import { consumersOf, EventEnvelope, EventName, ServiceName } from '@o2o/contracts';
import { ConnectionOptions, Queue } from 'bullmq';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { bullPrefix, eventQueueName } from './queues';

interface OutboxRow {
  id: string;
  type: EventName;
  payload: Record<string, unknown>;
  occurred_at: Date;
}

export interface RelayOptions {
  dataSource: DataSource;
  connection: ConnectionOptions;
  namespace: string;
  source: ServiceName | 'gateway';
  logger: Logger;
  /** Who receives each event; defaults to the contract's subscription table. */
  consumersOf?: (type: EventName) => string[];
  pollMs?: number;
  batchSize?: number;
}

/**
 * Moves committed outbox rows to one BullMQ queue per consumer. The job id is the event id, so a
 * relay that dies between publishing and marking the row publishes again harmlessly: the queue
 * ignores a job id it holds, and the consumer skips an event id it has processed.
 */
export class OutboxRelay {
  private readonly queues = new Map<string, Queue>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = false;

  constructor(private readonly options: RelayOptions) {}

  start(): void {
    this.stopped = false;
    const tick = async () => {
      if (this.stopped) return;
      this.running = this.drain().catch((e) => this.options.logger.warn({ err: e }, 'outbox relay pass failed'));
      await this.running;
      if (!this.stopped) this.timer = setTimeout(tick, this.options.pollMs ?? 200);
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }

  /** Publishes until the outbox is empty; answers how many events went out. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.publishBatch();
      total += n;
      if (n === 0 || this.stopped) return total;
    }
  }

  async publishBatch(): Promise<number> {
    const { dataSource, batchSize = 100 } = this.options;
    return dataSource.transaction(async (m) => {
      const rows: OutboxRow[] = await m.query(
        `SELECT id, type, payload, occurred_at FROM outbox WHERE published_at IS NULL
         ORDER BY occurred_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [batchSize],
      );
      for (const row of rows) await this.publish(row);
      if (rows.length > 0) await m.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1)', [rows.map((r) => r.id)]);
      return rows.length;
    });
  }

  private async publish(row: OutboxRow): Promise<void> {
    const envelope: EventEnvelope = {
      id: row.id,
      type: row.type,
      source: this.options.source,
      occurredAt: new Date(row.occurred_at).toISOString(),
      data: row.payload,
    };
    const consumers = (this.options.consumersOf ?? consumersOf)(row.type);
    for (const consumer of consumers) {
      await this.queue(consumer).add(row.type, envelope, {
        jobId: row.id,
        attempts: 25,
        backoff: { type: 'exponential', delay: 500 },
        removeOnComplete: { age: 7 * 24 * 3600 },
        removeOnFail: false,
      });
    }
  }

  private queue(consumer: string): Queue {
    let q = this.queues.get(consumer);
    if (!q) {
      q = new Queue(eventQueueName(consumer), { connection: this.options.connection, prefix: bullPrefix(this.options.namespace) });
      this.queues.set(consumer, q);
    }
    return q;
  }
}
