import { ErrorCode, EVENT_SUBSCRIPTIONS, EventEnvelope, EventName, ReplayEventsResult, ServiceName } from '@o2o/contracts';
import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import type { RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { reportFailure } from '../health/report-failure';
import { DataSource } from 'typeorm';
import { DomainError } from '../errors/domain-error';
import { bullPrefix, eventQueueName, sharedBullRedis } from './queues';

interface OutboxRow {
  id: string;
  type: EventName;
  payload: Record<string, unknown>;
  occurred_at: Date;
}

export type Subscriptions = Readonly<Record<string, readonly EventName[]>>;

export interface RelayOptions {
  dataSource: DataSource;
  connection: RedisOptions;
  namespace: string;
  source: ServiceName | 'gateway';
  logger: Logger;
  /** Who receives which events; defaults to the contract's subscription table. */
  subscriptions?: Subscriptions;
  pollMs?: number;
  batchSize?: number;
}

const REPLAY_BATCH = 500;

// Retried with growing delays; an event that still fails stays in its queue, visible, not dropped.
const JOB_OPTIONS = {
  attempts: 25,
  backoff: { type: 'exponential', delay: 500 },
  removeOnComplete: { age: 7 * 24 * 3600 },
  removeOnFail: false,
} as const;

/**
 * Moves committed outbox rows to the queues of their consumers, one queue per (consumer, type).
 * The job id is the event id, so a relay that dies between publishing and marking the row
 * publishes again harmlessly: the queue ignores a job id it holds, and the consumer skips an event
 * id it has processed. The same holds for a replay.
 */
export class OutboxRelay {
  private readonly queues = new Map<string, Queue>();
  private redis?: Redis;
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = false;

  constructor(private readonly options: RelayOptions) {}

  private get subscriptions(): Subscriptions {
    return this.options.subscriptions ?? EVENT_SUBSCRIPTIONS;
  }

  consumersOf(type: EventName): string[] {
    return Object.keys(this.subscriptions).filter((consumer) => this.subscriptions[consumer].includes(type));
  }

  start(): void {
    this.stopped = false;
    const tick = async () => {
      if (this.stopped) return;
      this.running = this.drain().catch((e: unknown) => reportFailure(e, this.options.logger, 'outbox relay pass failed'));
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
    await this.redis?.quit().catch(() => undefined);
    this.redis = undefined;
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
      await this.publish(rows, (type) => this.consumersOf(type));
      if (rows.length > 0) await m.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1)', [rows.map((r) => r.id)]);
      return rows.length;
    });
  }

  /**
   * Publishes again, to one consumer only, this service's events of the types that consumer
   * subscribes to and that occurred at or after `since`: for a consumer deployed after they were
   * first published. Rows the relay has not published yet are included; duplicates are harmless.
   * Stops once past the caller's `deadline` (epoch ms); replaying again is safe.
   */
  async republish(consumer: ServiceName, since: Date, options: { deadline?: number } = {}): Promise<ReplayEventsResult> {
    const types = [...(this.subscriptions[consumer] ?? [])];
    const result: ReplayEventsResult = { producer: this.options.source, consumer, types, republished: 0 };
    if (types.length === 0) return result;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      if (options.deadline !== undefined && Date.now() > options.deadline) {
        throw new DomainError(
          ErrorCode.ServiceTimeout,
          `Replay for ${consumer} stopped at its deadline after ${result.republished} events; running it again resumes safely`,
        );
      }
      // Paged by id, not by occurred_at: a JS Date drops the microseconds Postgres keeps.
      const rows: OutboxRow[] = await this.options.dataSource.query(
        `SELECT id, type, payload, occurred_at FROM outbox
         WHERE type = ANY($1) AND occurred_at >= $2 AND id > $3 ORDER BY id LIMIT $4`,
        [types, since.toISOString(), after, REPLAY_BATCH],
      );
      await this.publish(rows, () => [consumer]);
      result.republished += rows.length;
      if (rows.length < REPLAY_BATCH) break;
      after = rows[rows.length - 1].id;
    }
    this.options.logger.info({ consumer, since: since.toISOString(), republished: result.republished }, 'outbox events republished for a consumer');
    return result;
  }

  /** Adds each row to the queue of each of its consumers, one round trip per queue. */
  private async publish(rows: OutboxRow[], consumersOf: (type: EventName) => string[]): Promise<void> {
    const batches = new Map<Queue, Parameters<Queue['addBulk']>[0]>();
    for (const row of rows) {
      const envelope: EventEnvelope = {
        id: row.id,
        type: row.type,
        source: this.options.source,
        occurredAt: new Date(row.occurred_at).toISOString(),
        data: row.payload,
      };
      for (const consumer of consumersOf(row.type)) {
        const queue = this.queue(consumer, row.type);
        const jobs = batches.get(queue) ?? [];
        jobs.push({ name: row.type, data: envelope, opts: { jobId: row.id, ...JOB_OPTIONS } });
        batches.set(queue, jobs);
      }
    }
    await Promise.all([...batches].map(([queue, jobs]) => queue.addBulk(jobs)));
  }

  private queue(consumer: string, type: EventName): Queue {
    const name = eventQueueName(consumer, type);
    let q = this.queues.get(name);
    if (!q) {
      this.redis ??= sharedBullRedis(this.options.connection);
      q = new Queue(name, { connection: this.redis, prefix: bullPrefix(this.options.namespace) });
      this.queues.set(name, q);
    }
    return q;
  }
}
