import { BackoffOptions, ConnectionOptions, Job, Queue, Worker } from 'bullmq';
import type { Logger } from 'pino';
import { reportFailure } from '../health/report-failure';
import { bullPrefix } from '../outbox/queues';
import { Clock } from './clock';

export interface JobsOptions {
  connection: ConnectionOptions;
  namespace: string;
  clock: Clock;
  logger: Logger;
}

export type JobHandler<T, R> = (job: Job<T, R>) => Promise<R>;

export interface ScheduleOptions<T> {
  /**
   * Deterministic: while a job with this id is kept, scheduling it again changes nothing.
   * BullMQ refuses ids with ":" and bare integers.
   */
  jobId: string;
  data: T;
  /** When it runs, by the injected clock. */
  runAt: Date;
  name?: string;
  attempts?: number;
  backoff?: BackoffOptions;
}

const DEFAULT_ATTEMPTS = 5;
const DEFAULT_BACKOFF: BackoffOptions = { type: 'exponential', delay: 1000 };
// Finished jobs are kept for a while so that their ids still refuse a second schedule.
const KEEP_COMPLETED = { age: 24 * 3600 };
const KEEP_FAILED = { age: 7 * 24 * 3600 };

interface Pending {
  queue: string;
  jobId: string;
  runAt: number;
}

/**
 * A service's delayed and repeated work in BullMQ, under the stack's namespace: its queues, its
 * workers and its repeatable schedules, stopped in one place.
 */
export class Jobs {
  private readonly queues = new Map<string, Queue>();
  private readonly workers = new Set<Worker>();
  // Jobs scheduled by a clock moved by hand, promoted when that clock reaches them.
  private readonly pending = new Map<string, Pending>();
  private readonly unsubscribe?: () => void;
  private promoting: Promise<void> = Promise.resolve();
  private stopping?: Promise<void>;
  // Queues outlive the workers' drain: a job in hand may still schedule another.
  private queuesClosed = false;

  constructor(private readonly options: JobsOptions) {
    this.unsubscribe = options.clock.onChange?.(() => {
      this.promoting = this.promoting
        .then(() => this.promoteDue())
        .then(
          () => undefined,
          (err: unknown) => this.options.logger.warn({ err }, 'promoting due jobs failed'),
        );
    });
  }

  /** The queue by its name, opened on first use. */
  queue<T = unknown>(name: string): Queue<T> {
    return this.open(name) as Queue<T>;
  }

  private open(name: string): Queue {
    if (this.queuesClosed) throw new Error(`Jobs are stopped; queue ${name} is closed`);
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.options.connection, prefix: bullPrefix(this.options.namespace) });
      q.on('error', (err) => this.options.logger.warn({ err, queue: name }, 'job queue error'));
      this.queues.set(name, q);
    }
    return q;
  }

  /** Runs the queue's jobs in this process; a handler that throws has its job retried. */
  worker<T = unknown, R = unknown>(queue: string, handler: JobHandler<T, R>, { concurrency = 1 }: { concurrency?: number } = {}): Worker<T, R> {
    if (this.stopping) throw new Error(`Jobs are stopped; no worker for ${queue}`);
    const worker = new Worker<T, R>(queue, handler, { connection: this.options.connection, prefix: bullPrefix(this.options.namespace), concurrency });
    worker.on('failed', (job, err) => {
      // A job retried is not finished; one out of attempts (or unrecoverable) is.
      const final = !job || Boolean(job.finishedOn);
      const facts = { err, queue, jobId: job?.id, attemptsMade: job?.attemptsMade, attempts: job?.opts.attempts };
      if (final) this.options.logger.error(facts, 'job failed for good');
      else reportFailure(err, this.options.logger, 'job failed; it will be retried', facts);
    });
    worker.on('error', (err) => reportFailure(err, this.options.logger, 'job worker error', { queue }));
    worker.on('closed', () => this.workers.delete(worker as Worker));
    this.workers.add(worker as Worker);
    return worker;
  }

  /** Schedules one job for runAt; the same jobId scheduled twice keeps the first. */
  async schedule<T>(
    queue: string,
    { jobId, data, runAt, name = 'run', attempts = DEFAULT_ATTEMPTS, backoff = DEFAULT_BACKOFF }: ScheduleOptions<T>,
  ): Promise<void> {
    const delay = Math.max(0, runAt.getTime() - this.options.clock.now().getTime());
    await this.open(queue).add(name, data, {
      jobId,
      delay,
      attempts,
      backoff,
      removeOnComplete: KEEP_COMPLETED,
      removeOnFail: KEEP_FAILED,
    });
    const key = pendingKey(queue, jobId);
    if (this.options.clock.onChange && delay > 0 && !this.pending.has(key)) this.pending.set(key, { queue, jobId, runAt: runAt.getTime() });
  }

  /** A repeatable job every everyMs; upserting the same scheduler id never makes a second one. */
  async repeat(queue: string, schedulerId: string, everyMs: number, name: string, data: Record<string, unknown> = {}): Promise<void> {
    await this.open(queue).upsertJobScheduler(schedulerId, { every: everyMs }, { name, data, opts: { removeOnComplete: true, removeOnFail: 100 } });
  }

  /** Removes a job that is not running; answers whether there was one to remove. */
  async cancel(queue: string, jobId: string): Promise<boolean> {
    this.pending.delete(pendingKey(queue, jobId));
    const q = this.open(queue);
    // remove() answers 1 for a job that does not exist, and 0 for one that is running.
    if (!(await q.getJob(jobId))) return false;
    return (await q.remove(jobId)) === 1;
  }

  async getJob<T = unknown>(queue: string, jobId: string): Promise<Job<T> | undefined> {
    return (await this.queue<T>(queue).getJob(jobId)) as Job<T> | undefined;
  }

  /** Moves the delayed jobs that the clock has reached to their queues' waiting lists. */
  async promoteDue(): Promise<number> {
    const now = this.options.clock.now().getTime();
    let promoted = 0;
    for (const [key, p] of this.pending) {
      if (this.queuesClosed) break;
      if (p.runAt > now) continue;
      this.pending.delete(key);
      const job = await this.open(p.queue).getJob(p.jobId);
      if (!job || !(await job.isDelayed())) continue;
      try {
        await job.promote();
        promoted++;
      } catch (err) {
        // Real time got there first, or the job was removed meanwhile.
        this.options.logger.debug({ err, queue: p.queue, jobId: p.jobId }, 'job not promoted');
      }
    }
    return promoted;
  }

  /** Closes the workers after the jobs in their hands finish; queues stay open. */
  async stopWorkers(): Promise<void> {
    await Promise.all([...this.workers].map((w) => w.close()));
    this.workers.clear();
  }

  /** Lets the jobs in hand finish, then closes the workers and the queues. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.unsubscribe?.();
      await this.stopWorkers();
      await this.promoting;
      this.queuesClosed = true;
      await Promise.all([...this.queues.values()].map((q) => q.close()));
      this.queues.clear();
      this.pending.clear();
    })();
    return this.stopping;
  }
}

const pendingKey = (queue: string, jobId: string) => `${queue}\u0000${jobId}`;
