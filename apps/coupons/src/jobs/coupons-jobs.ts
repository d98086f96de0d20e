import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Jobs, LOGGER } from '@o2o/platform';
import { Job } from 'bullmq';
import type { Logger } from 'pino';
import { CardExpiryService } from '../cards/card-expiry.service';
import { COUPONS_CONFIG, CouponsConfig } from '../coupons.config';
import { PAYMENT_EXPIRY_QUEUE, PaymentExpiryJob } from '../payments/payment-expiry';
import { PaymentsService } from '../payments/payments.service';

export const CARD_EXPIRY_QUEUE = 'coupons.card-expiry';
export const CARD_EXPIRY_SWEEP = 'card-expiry-sweep';

/**
 * Runs the coupons timers: each unpaid order's expiry (a delayed job per order) and the
 * repeatable sweep of cards past their validity, which also catches orders whose timer was lost.
 * The kit's Jobs stops the workers at shutdown, before the database closes.
 */
@Injectable()
export class CouponsJobs implements OnApplicationBootstrap {
  constructor(
    private readonly jobs: Jobs,
    private readonly payments: PaymentsService,
    private readonly expiry: CardExpiryService,
    @Inject(COUPONS_CONFIG) private readonly config: CouponsConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.jobs.worker(PAYMENT_EXPIRY_QUEUE, (job: Job<PaymentExpiryJob>) => this.payments.expireOrder(job.data.orderId), { concurrency: 4 });
    this.jobs.worker(CARD_EXPIRY_QUEUE, () => this.sweep(), { concurrency: 1 });
    await this.scheduleSweep(this.config.CARD_EXPIRY_SWEEP_SECONDS * 1000);
  }

  /** Every replica upserts the same scheduler: one sweep, however many start. */
  scheduleSweep(everyMs: number): Promise<void> {
    return this.jobs.repeat(CARD_EXPIRY_QUEUE, CARD_EXPIRY_SWEEP, everyMs, 'sweep');
  }

  private async sweep(): Promise<{ cards: number; orders: number }> {
    const cards = await this.expiry.sweep();
    const orders = await this.payments.expireOverdueOrders();
    if (cards || orders) this.logger.info({ cards, orders }, 'expired cards past validity and overdue orders');
    return { cards, orders };
  }
}
