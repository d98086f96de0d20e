import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { LOGGER } from '@o2o/platform';
import { Job, Worker } from 'bullmq';
import type { Logger } from 'pino';
import { CardExpiryService } from '../cards/card-expiry.service';
import { COUPONS_CONFIG, CouponsConfig } from '../coupons.config';
import { PaymentsService } from '../payments/payments.service';
import { CARD_EXPIRY_QUEUE, CouponsQueues, PAYMENT_EXPIRY_QUEUE, PaymentExpiryJob } from './coupons-queues';

/**
 * Runs the coupons timers: each unpaid order's expiry (a delayed job per order) and the
 * repeatable sweep of cards past their validity, which also catches orders whose timer was lost.
 */
@Injectable()
export class CouponsJobs implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private workers: Worker[] = [];

  constructor(
    private readonly queues: CouponsQueues,
    private readonly payments: PaymentsService,
    private readonly expiry: CardExpiryService,
    @Inject(COUPONS_CONFIG) private readonly config: CouponsConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.start();
  }

  async start(): Promise<void> {
    const options = { connection: this.queues.connection, prefix: this.queues.paymentExpiry.opts.prefix };
    this.workers = [
      new Worker<PaymentExpiryJob>(PAYMENT_EXPIRY_QUEUE, (job: Job<PaymentExpiryJob>) => this.payments.expireOrder(job.data.orderId), { ...options, concurrency: 4 }),
      new Worker(CARD_EXPIRY_QUEUE, () => this.sweep(), { ...options, concurrency: 1 }),
    ];
    for (const w of this.workers) {
      w.on('failed', (job, err) => this.logger.warn({ err, queue: w.name, jobId: job?.id }, 'coupons job failed; it will be retried'));
      w.on('error', (err) => this.logger.warn({ err, queue: w.name }, 'coupons worker error'));
    }
    await this.queues.scheduleSweep(this.config.CARD_EXPIRY_SWEEP_SECONDS * 1000);
  }

  private async sweep(): Promise<{ cards: number; orders: number }> {
    const cards = await this.expiry.sweep();
    const orders = await this.payments.expireOverdueOrders();
    if (cards || orders) this.logger.info({ cards, orders }, 'expired cards past validity and overdue orders');
    return { cards, orders };
  }

  /** Before the database closes: let jobs in hand finish, then stop. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  async stop(): Promise<void> {
    await this.stopWorkers();
    await this.queues.close();
  }

  async stopWorkers(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    this.workers = [];
  }
}
