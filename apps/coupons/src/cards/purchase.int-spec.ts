import { CardStatus, Channel, ErrorCode, EVENTS } from '@o2o/contracts';
import { eventually } from '@o2o/testing';
import { admin, buyCard, campaignBody, Harness, newPhone, outboxCount, settle, startHarness } from '../../test/harness';
import { CARD_EXPIRY_QUEUE } from '../jobs/coupons-jobs';
import { PAYMENT_EXPIRY_QUEUE, paymentExpiryJobId } from '../payments/payment-expiry';

describe('paid issuance (real Postgres and Redis)', () => {
  let h: Harness;

  beforeAll(async () => {
    // The sweep is kept an hour apart, so that an order's expiry can only come from its own
    // delayed job; the sweep test schedules its own, faster sweep.
    h = await startHarness({ PAYMENT_TTL_SECONDS: 1, CARD_EXPIRY_SWEEP_SECONDS: 3600 });
  });
  afterAll(async () => {
    await h.close();
  });

  it('issues a card waiting for payment, with a number that carries its channel', async () => {
    const campaign = await h.campaigns.create(campaignBody(), admin);
    const phone = newPhone();
    const bought = await h.cards.purchase({ campaignId: campaign.id, phone: `+86 ${phone.slice(0, 3)}-${phone.slice(3)}`, source: { channel: Channel.Social, agentId: 'agent-1' } });
    expect(bought).toMatchObject({ status: CardStatus.PendingPayment, payment: { amountFen: 100, provider: 'sandbox' } });
    expect(bought.cardNo).toMatch(/^30\d{14}$/);
    const [row] = await h.ds.query('SELECT phone, status, agent_id FROM cards WHERE card_no = $1', [bought.cardNo]);
    expect(row).toEqual({ phone, status: 'pending_payment', agent_id: 'agent-1' });
    expect((await h.campaigns.get(campaign.id, admin)).issued).toBe(1);
  });

  it('refuses a bad phone with a 400 that names it, and issues nothing', async () => {
    const campaign = await h.campaigns.create(campaignBody(), admin);
    await expect(buyCard(h, campaign.id, '1234')).rejects.toMatchObject({ code: ErrorCode.BadInput, errors: [{ field: 'phone', message: expect.any(String) }] });
    expect((await h.campaigns.get(campaign.id, admin)).issued).toBe(0);
  });

  it('sells only inside the campaign window', async () => {
    const future = await h.campaigns.create(campaignBody({ validFrom: new Date(Date.now() + 86_400_000).toISOString() }), admin);
    await expect(buyCard(h, future.id)).rejects.toMatchObject({ code: ErrorCode.RuleBroken, reason: 'campaign_not_started' });
    await expect(buyCard(h, '0190f1c2-0000-7000-8000-000000000000')).rejects.toMatchObject({ code: ErrorCode.NotFound });
  });

  it('issues exactly one card for 20 parallel purchases by one phone with perPhoneLimit 1', async () => {
    const campaign = await h.campaigns.create(campaignBody({ perPhoneLimit: 1 }), admin);
    const phone = newPhone();
    const { ok, failed } = await settle(Array.from({ length: 20 }, () => buyCard(h, campaign.id, phone)));
    expect(ok).toHaveLength(1);
    expect(failed).toHaveLength(19);
    expect(new Set(failed.map((f) => `${f.code}/${f.reason}`))).toEqual(new Set([`${ErrorCode.RuleBroken}/per_phone_limit_reached`]));
    const [{ n }] = await h.ds.query('SELECT count(*)::int AS n FROM cards WHERE campaign_id = $1', [campaign.id]);
    expect(n).toBe(1);
    expect((await h.campaigns.get(campaign.id, admin)).issued).toBe(1);
  });

  it('holds totalLimit under 40 parallel purchases by different phones', async () => {
    const campaign = await h.campaigns.create(campaignBody({ totalLimit: 7, perPhoneLimit: 1 }), admin);
    const { ok, failed } = await settle(Array.from({ length: 40 }, () => buyCard(h, campaign.id)));
    expect(ok).toHaveLength(7);
    expect(failed.every((f) => f.code === ErrorCode.RuleBroken && f.reason === 'total_limit_reached')).toBe(true);
    expect(await h.campaigns.get(campaign.id, admin)).toMatchObject({ issued: 7, remaining: 0 });
  });

  it('activates once for 10 parallel callbacks of one order, with one card.activated event', async () => {
    const campaign = await h.campaigns.create(campaignBody(), admin);
    const phone = newPhone();
    const bought = await buyCard(h, campaign.id, phone);
    const { ok, failed } = await settle(Array.from({ length: 10 }, () => h.payments.complete({ provider: 'sandbox', orderId: bought.payment.orderId })));
    expect(failed).toEqual([]);
    expect(ok.filter((r) => r.activatedNow)).toHaveLength(1);
    expect(ok.every((r) => r.cardNo === bought.cardNo && r.cardStatus === CardStatus.Active)).toBe(true);
    expect(await outboxCount(h.ds, EVENTS.cardActivated, `payload->>'cardNo' = $2`, [bought.cardNo])).toBe(1);
    const [event] = await h.ds.query(`SELECT payload FROM outbox WHERE type = $1 AND payload->>'cardNo' = $2`, [EVENTS.cardActivated, bought.cardNo]);
    expect(event.payload).toMatchObject({
      phone,
      campaignId: campaign.id,
      orderId: bought.payment.orderId,
      amountFen: 100,
      source: { channel: 'sem', campaign: 'kw-spring', agentId: 'agent-7', visitorId: 'v-1' },
    });
    // A callback repeated later still answers success, and changes nothing.
    await expect(h.payments.complete({ provider: 'sandbox', orderId: bought.payment.orderId })).resolves.toMatchObject({ activatedNow: false });
    expect(await outboxCount(h.ds, EVENTS.cardActivated, `payload->>'cardNo' = $2`, [bought.cardNo])).toBe(1);
  });

  it('starts a days-after-issue card at activation', async () => {
    const campaign = await h.campaigns.create(campaignBody({ validDaysAfterIssue: 30 }), admin);
    const bought = await buyCard(h, campaign.id);
    expect((await h.cards.get(bought.cardNo, admin)).validTo).toBeNull();
    const before = Date.now();
    await h.payments.complete({ provider: 'sandbox', orderId: bought.payment.orderId });
    const view = await h.cards.get(bought.cardNo, admin);
    expect(Date.parse(view.validTo!) - before).toBeGreaterThan(30 * 86_400_000 - 60_000);
    expect(Date.parse(view.validTo!) - before).toBeLessThan(30 * 86_400_000 + 60_000);
  });

  it('expires an unpaid order by its delayed job, giving its place back to both limits', async () => {
    const campaign = await h.campaigns.create(campaignBody({ totalLimit: 1, perPhoneLimit: 1 }), admin);
    const phone = newPhone();
    const first = await buyCard(h, campaign.id, phone);
    await expect(buyCard(h, campaign.id, phone)).rejects.toMatchObject({ reason: 'total_limit_reached' });
    const job = await h.jobs.getJob(PAYMENT_EXPIRY_QUEUE, paymentExpiryJobId(first.payment.orderId));
    expect(job?.data).toEqual({ orderId: first.payment.orderId });

    await h.couponsJobs.start();
    try {
      await eventually(async () => (await h.ds.query(`SELECT status FROM payment_orders WHERE id = $1`, [first.payment.orderId]))[0].status === 'expired', 15_000);
    } finally {
      await h.couponsJobs.stop();
    }
    const ran = await h.jobs.getJob(PAYMENT_EXPIRY_QUEUE, paymentExpiryJobId(first.payment.orderId));
    expect(await ran?.getState()).toBe('completed');
    expect(ran?.returnvalue).toBe(true); // this job expired the order, not the sweep
    const view = await h.cards.get(first.cardNo, admin);
    expect(view).toMatchObject({ status: CardStatus.Void, voidReason: 'payment_expired' });
    expect(await h.campaigns.get(campaign.id, admin)).toMatchObject({ issued: 0, remaining: 1 });
    await expect(h.payments.complete({ provider: 'sandbox', orderId: first.payment.orderId })).rejects.toMatchObject({ code: ErrorCode.Conflict, reason: 'payment_expired' });
    await expect(buyCard(h, campaign.id, phone)).resolves.toMatchObject({ status: CardStatus.PendingPayment });
  });

  it('runs the expiry sweep as one repeatable job, however often it is scheduled', async () => {
    const campaign = await h.campaigns.create(campaignBody(), admin);
    const bought = await buyCard(h, campaign.id);
    await h.payments.complete({ provider: 'sandbox', orderId: bought.payment.orderId });
    await h.ds.query(`UPDATE cards SET valid_to = now() - interval '1 second' WHERE card_no = $1`, [bought.cardNo]);
    await h.couponsJobs.start();
    try {
      await h.couponsJobs.scheduleSweep(1000); // a second replica starting does the same
      expect(await h.jobs.queue(CARD_EXPIRY_QUEUE).getJobSchedulers()).toHaveLength(1);
      await eventually(async () => (await h.ds.query('SELECT status FROM cards WHERE card_no = $1', [bought.cardNo]))[0].status === 'expired', 15_000);
    } finally {
      await h.couponsJobs.stop();
    }
    expect(await outboxCount(h.ds, EVENTS.cardExpired, `payload->>'cardNo' = $2`, [bought.cardNo])).toBe(1);
  });
});
