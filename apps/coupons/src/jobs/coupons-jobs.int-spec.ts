import { CardStatus, ErrorCode, EVENTS } from '@o2o/contracts';
import { TestClock } from '@o2o/platform';
import { eventually } from '@o2o/testing';
import { admin, buyCard, campaignBody, Harness, newPhone, outboxCount, startHarness } from '../../test/harness';
import { PAYMENT_EXPIRY_QUEUE, paymentExpiryJobId } from '../payments/payment-expiry';
import { CARD_EXPIRY_QUEUE } from './coupons-jobs';

describe('coupons timers (real Postgres and Redis)', () => {
  let h: Harness;
  const clock = new TestClock();

  beforeAll(async () => {
    // The sweep is kept an hour apart, so that an order's expiry can only come from its own
    // delayed job; the sweep test schedules its own, faster sweep.
    h = await startHarness({ settings: { CARD_EXPIRY_SWEEP_SECONDS: 3600 }, clock });
  });
  afterAll(async () => {
    await h.close();
  });

  it('expires an unpaid order by its delayed job once its deadline passes, giving its place back to both limits', async () => {
    const campaign = await h.campaigns.create(campaignBody({ totalLimit: 1, perPhoneLimit: 1 }), admin);
    const phone = newPhone();
    const first = await buyCard(h, campaign.id, phone);
    const orderId = first.payment.orderId;
    await expect(buyCard(h, campaign.id, phone)).rejects.toMatchObject({ reason: 'total_limit_reached' });
    const job = await h.jobs.getJob(PAYMENT_EXPIRY_QUEUE, paymentExpiryJobId(orderId));
    expect(job?.data).toEqual({ orderId });
    expect(await job?.isDelayed()).toBe(true);

    // The deadline passes where each side reads it: the database decides, the jobs' clock fires the timer.
    await h.ds.query('UPDATE payment_orders SET expires_at = now() WHERE id = $1', [orderId]);
    clock.set(new Date(first.payment.expiresAt));
    await eventually(async () => (await h.ds.query('SELECT status FROM payment_orders WHERE id = $1', [orderId]))[0].status === 'expired', 15_000);

    const ran = await eventually(async () => {
      const done = await h.jobs.getJob(PAYMENT_EXPIRY_QUEUE, paymentExpiryJobId(orderId));
      return (await done?.getState()) === 'completed' && done;
    });
    expect(ran.returnvalue).toBe(true); // this job expired the order, not the sweep
    expect(await h.cards.get(first.cardNo, admin)).toMatchObject({ status: CardStatus.Void, voidReason: 'payment_expired' });
    expect(await h.campaigns.get(campaign.id, admin)).toMatchObject({ issued: 0, remaining: 1 });
    await expect(h.payments.complete({ provider: 'sandbox', orderId })).rejects.toMatchObject({ code: ErrorCode.Conflict, reason: 'payment_expired' });
    await expect(buyCard(h, campaign.id, phone)).resolves.toMatchObject({ status: CardStatus.PendingPayment });
  });

  it('runs the expiry sweep as one repeatable job, however often it is scheduled', async () => {
    const campaign = await h.campaigns.create(campaignBody(), admin);
    const bought = await buyCard(h, campaign.id);
    await h.payments.complete({ provider: 'sandbox', orderId: bought.payment.orderId });
    await h.ds.query(`UPDATE cards SET valid_to = now() - interval '1 second' WHERE card_no = $1`, [bought.cardNo]);
    await h.couponsJobs.scheduleSweep(1000); // a second replica starting does the same
    expect(await h.jobs.queue(CARD_EXPIRY_QUEUE).getJobSchedulers()).toHaveLength(1);
    await eventually(async () => (await h.ds.query('SELECT status FROM cards WHERE card_no = $1', [bought.cardNo]))[0].status === 'expired', 15_000);
    expect(await outboxCount(h.ds, EVENTS.cardExpired, `payload->>'cardNo' = $2`, [bought.cardNo])).toBe(1);
  });
});
