import { Jobs } from '@o2o/platform';

export const PAYMENT_EXPIRY_QUEUE = 'coupons.payment-expiry';

/** One timer per order: scheduling the same order twice keeps the first job. */
export const paymentExpiryJobId = (orderId: string) => `payment-expiry-${orderId}`;

export interface PaymentExpiryJob {
  orderId: string;
}

/** The unpaid order's timer; it fires at the order's expiry and expires the order if still unpaid. */
export async function schedulePaymentExpiry(jobs: Jobs, orderId: string, expiresAt: Date): Promise<void> {
  await jobs.schedule<PaymentExpiryJob>(PAYMENT_EXPIRY_QUEUE, {
    jobId: paymentExpiryJobId(orderId),
    name: 'expire',
    data: { orderId },
    runAt: expiresAt,
    attempts: 10,
    backoff: { type: 'exponential', delay: 1000 },
  });
}
