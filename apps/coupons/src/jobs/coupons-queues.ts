import { bullPrefix } from '@o2o/platform';
import { ConnectionOptions, Queue } from 'bullmq';

export const PAYMENT_EXPIRY_QUEUE = 'coupons.payment-expiry';
export const CARD_EXPIRY_QUEUE = 'coupons.card-expiry';
const SWEEP_SCHEDULER_ID = 'card-expiry-sweep';

/** One timer per order: scheduling the same order twice keeps the first job. */
export const paymentExpiryJobId = (orderId: string) => `payment-expiry-${orderId}`;

export interface PaymentExpiryJob {
  orderId: string;
}

/** The coupons service's delayed and repeated work, under the stack's namespace. */
export class CouponsQueues {
  readonly paymentExpiry: Queue<PaymentExpiryJob>;
  readonly cardExpiry: Queue;

  constructor(
    readonly connection: ConnectionOptions,
    readonly namespace: string,
  ) {
    const options = { connection, prefix: bullPrefix(namespace) };
    this.paymentExpiry = new Queue<PaymentExpiryJob>(PAYMENT_EXPIRY_QUEUE, options);
    this.cardExpiry = new Queue(CARD_EXPIRY_QUEUE, options);
  }

  async schedulePaymentExpiry(orderId: string, expiresAt: Date): Promise<void> {
    await this.paymentExpiry.add(
      'expire',
      { orderId },
      {
        jobId: paymentExpiryJobId(orderId),
        delay: Math.max(0, expiresAt.getTime() - Date.now()),
        attempts: 10,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: { age: 24 * 3600 },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    );
  }

  /** The repeatable sweep; upserting the same scheduler id never makes a second one. */
  async scheduleSweep(everyMs: number): Promise<void> {
    await this.cardExpiry.upsertJobScheduler(SWEEP_SCHEDULER_ID, { every: everyMs }, { name: 'sweep', opts: { removeOnComplete: true, removeOnFail: 100 } });
  }

  async close(): Promise<void> {
    await Promise.all([this.paymentExpiry.close(), this.cardExpiry.close()]);
  }
}
