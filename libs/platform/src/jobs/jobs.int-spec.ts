import { clearNamespace, eventually, TEST_REDIS_URL, testNamespace } from '@o2o/testing';
import { Queue } from 'bullmq';
import pino from 'pino';
import { bullConnection, bullPrefix } from '../outbox/queues';
import { TestClock } from './clock';
import { Jobs } from './jobs';

const MINUTE = 60_000;
const QUEUE = 'probe.timers';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('jobs over BullMQ (real Redis)', () => {
  let namespace: string;
  let clock: TestClock;
  let jobs: Jobs;
  let logged: { level: number; msg: string; jobId?: string }[];

  beforeEach(() => {
    namespace = testNamespace();
    // Far from real time on purpose: only the test clock decides when a job is due.
    clock = new TestClock(new Date('2031-03-01T08:00:00.000Z'));
    logged = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
    jobs = new Jobs({ connection: bullConnection(TEST_REDIS_URL), namespace, clock, logger });
  });
  afterEach(async () => {
    await jobs.stop();
    await clearNamespace(namespace);
  });

  /** A queue of the test's own, to look at what Jobs left behind after it stopped. */
  async function withQueue<T>(fn: (q: Queue) => Promise<T>): Promise<T> {
    const q = new Queue(QUEUE, { connection: bullConnection(TEST_REDIS_URL), prefix: bullPrefix(namespace) });
    try {
      return await fn(q);
    } finally {
      await q.close();
    }
  }

  it('runs a job scheduled 30 minutes ahead within a second of the clock getting there, and not before', async () => {
    const ran: { data: unknown; at: string }[] = [];
    jobs.worker(QUEUE, async (job) => void ran.push({ data: job.data, at: clock.now().toISOString() }));
    await jobs.schedule(QUEUE, { jobId: 'lead-sla-1', data: { leadId: 'l-1' }, runAt: new Date(clock.now().getTime() + 30 * MINUTE) });
    expect(await (await jobs.getJob(QUEUE, 'lead-sla-1'))?.getState()).toBe('delayed');

    clock.advance(29 * MINUTE);
    await sleep(500);
    expect(ran).toEqual([]);
    expect(await (await jobs.getJob(QUEUE, 'lead-sla-1'))?.getState()).toBe('delayed');

    const advancedAt = Date.now();
    clock.advance(MINUTE);
    await eventually(async () => ran.length === 1, 1000, 10);
    expect(Date.now() - advancedAt).toBeLessThan(1000);
    expect(ran).toEqual([{ data: { leadId: 'l-1' }, at: '2031-03-01T08:30:00.000Z' }]);
  });

  it('runs a job id once, however often it is scheduled', async () => {
    const ran: unknown[] = [];
    const runAt = new Date(clock.now().getTime() + 10 * MINUTE);
    await jobs.schedule(QUEUE, { jobId: 'payment-expiry-o1', data: { n: 1 }, runAt });
    // A second replica, or a retried request, schedules the same timer with other data.
    await jobs.schedule(QUEUE, { jobId: 'payment-expiry-o1', data: { n: 2 }, runAt: new Date(runAt.getTime() - 5 * MINUTE) });
    jobs.worker(QUEUE, async (job) => void ran.push(job.data));

    clock.advance(5 * MINUTE);
    await sleep(300);
    expect(ran).toEqual([]); // the first schedule's time holds

    clock.advance(5 * MINUTE);
    await eventually(async () => ran.length === 1, 2000, 10);
    // Once done, the kept job still refuses the id.
    await jobs.schedule(QUEUE, { jobId: 'payment-expiry-o1', data: { n: 3 }, runAt: clock.now() });
    await sleep(500);
    expect(ran).toEqual([{ n: 1 }]);
  });

  it('cancels a job that has not run', async () => {
    const ran: unknown[] = [];
    jobs.worker(QUEUE, async (job) => void ran.push(job.data));
    await jobs.schedule(QUEUE, { jobId: 'reminder-1', data: {}, runAt: new Date(clock.now().getTime() + MINUTE) });
    await expect(jobs.cancel(QUEUE, 'reminder-1')).resolves.toBe(true);
    await expect(jobs.cancel(QUEUE, 'reminder-1')).resolves.toBe(false);
    clock.advance(2 * MINUTE);
    await sleep(500);
    expect(ran).toEqual([]);
  });

  it('keeps one repeatable schedule per scheduler id, however often it is upserted', async () => {
    await jobs.repeat(QUEUE, 'expiry-sweep', 60_000, 'sweep');
    await jobs.repeat(QUEUE, 'expiry-sweep', 60_000, 'sweep');
    await jobs.repeat(QUEUE, 'expiry-sweep', 30_000, 'sweep'); // a replica with newer settings
    const schedulers = await jobs.queue(QUEUE).getJobSchedulers();
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({ key: 'expiry-sweep', name: 'sweep', every: 30_000 });
  });

  it('logs each failed attempt, and the last as failed for good', async () => {
    jobs.worker(QUEUE, async () => {
      throw new Error('provider down');
    });
    await jobs.schedule(QUEUE, { jobId: 'doomed', data: {}, runAt: clock.now(), attempts: 2, backoff: { type: 'fixed', delay: 10 } });
    await eventually(async () => logged.find((l) => l.msg === 'job failed for good'), 5000, 20);
    expect(logged.map((l) => [l.level, l.msg, l.jobId])).toEqual([
      [40, 'job failed; it will be retried', 'doomed'],
      [50, 'job failed for good', 'doomed'],
    ]);
    expect(logged[1]).toMatchObject({ queue: QUEUE, attemptsMade: 2, err: { message: 'provider down' } });
  });

  it('stops after the job in hand finishes, and leaves nothing running', async () => {
    let started = false;
    let finished = false;
    const worker = jobs.worker(QUEUE, async () => {
      started = true;
      await sleep(700);
      // The queues are still open while the jobs in hand finish.
      await jobs.schedule(QUEUE, { jobId: 'follow-up', data: {}, runAt: new Date(clock.now().getTime() + MINUTE) });
      finished = true;
      return 'done';
    });
    await jobs.schedule(QUEUE, { jobId: 'slow-1', data: {}, runAt: clock.now() });
    await eventually(async () => started, 5000, 10);

    await jobs.stop();
    expect(finished).toBe(true);
    expect(worker.isRunning()).toBe(false);
    expect(() => jobs.worker(QUEUE, async () => undefined)).toThrow(/stopped/);
    await expect(jobs.schedule(QUEUE, { jobId: 'late', data: {}, runAt: clock.now() })).rejects.toThrow(/stopped/);
    await jobs.stop(); // a second stop is harmless

    await withQueue(async (q) => {
      expect(await q.getJobState('slow-1')).toBe('completed');
      expect((await q.getJob('slow-1'))?.returnvalue).toBe('done');
      expect(await q.getJobState('follow-up')).toBe('delayed');
      // Nobody works the queue any more: a job added now just waits.
      await q.add('run', {}, { jobId: 'after-stop' });
      await sleep(500);
      expect(await q.getJobState('after-stop')).toBe('waiting');
      expect(await q.getActiveCount()).toBe(0);
    });
  });
});
