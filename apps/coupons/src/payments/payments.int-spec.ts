import { CardStatus, Channel, ErrorCode, EVENTS, PurchaseCardDto } from '@o2o/contracts';
import { admin, buyCard, campaignBody, Harness, newPhone, outboxCount, settle, startHarness, validated } from '../../test/harness';
import { PAYMENT_EXPIRY_QUEUE, paymentExpiryJobId } from './payment-expiry';

describe('paid issuance (real Postgres and Redis)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('issues a card waiting for payment, with a number that carries its channel', async () => {
    const campaign = await h.campaigns.create(campaignBody(), admin);
    const phone = newPhone();
    const dto = await validated(PurchaseCardDto, {
      campaignId: campaign.id,
      phone: `+86 ${phone.slice(0, 3)}-${phone.slice(3)}`,
      source: { channel: Channel.Social, agentId: 'agent-1' },
    });
    const bought = await h.purchases.purchase(dto);
    expect(bought).toMatchObject({ status: CardStatus.PendingPayment, payment: { amountFen: 100, provider: 'sandbox' } });
    // Its expiry timer waits for the order's deadline.
    expect(await (await h.jobs.getJob(PAYMENT_EXPIRY_QUEUE, paymentExpiryJobId(bought.payment.orderId)))?.isDelayed()).toBe(true);
    expect(bought.cardNo).toMatch(/^30\d{14}$/);
    const [row] = await h.ds.query('SELECT phone, status, agent_id FROM cards WHERE card_no = $1', [bought.cardNo]);
    expect(row).toEqual({ phone, status: 'pending_payment', agent_id: 'agent-1' });
    expect((await h.campaigns.get(campaign.id, admin)).issued).toBe(1);
  });

  it('refuses a bad phone with a 400 that names it, and issues nothing', async () => {
    const campaign = await h.campaigns.create(campaignBody(), admin);
    await expect(buyCard(h, campaign.id, '1234')).rejects.toMatchObject({
      code: ErrorCode.BadInput,
      message: expect.stringContaining('phone: must be a mainland mobile number'),
      errors: [{ field: 'phone', message: expect.any(String) }],
    });
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
});
