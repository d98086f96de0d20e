import { Actor, CardIneligibility, CardQueryDto, CardStatus, ErrorCode, EVENTS, RedeemCardMessage } from '@o2o/contracts';
import { newId } from '@o2o/platform';
import {
  admin,
  agent,
  anonymous,
  BRAND,
  buyActiveCard,
  buyCard,
  campaignBody,
  Harness,
  newPhone,
  OTHER_BRAND,
  outboxCount,
  settle,
  startHarness,
  STORE,
  validated,
} from '../../test/harness';

const redeemBody = (cardNo: string, change: Partial<RedeemCardMessage> = {}): RedeemCardMessage => ({
  cardNo,
  dealId: newId(),
  storeId: STORE,
  brandId: BRAND,
  amountFen: 700_000,
  ...change,
});

describe('quote, redeem, reverse, void and expiry (real Postgres)', () => {
  let h: Harness;
  let campaignId: string;

  beforeAll(async () => {
    h = await startHarness();
    campaignId = (await h.campaigns.create(campaignBody({ perPhoneLimit: 5 }), admin)).id;
  });
  afterAll(async () => {
    await h.close();
  });

  it('redeems one card exactly once among 100 parallel deals; the others get a clear conflict', async () => {
    const cardNo = await buyActiveCard(h, campaignId);
    const { ok, failed } = await settle(Array.from({ length: 100 }, () => h.redemptions.redeem(redeemBody(cardNo))));
    expect(ok).toHaveLength(1);
    expect(ok[0]).toMatchObject({ cardNo, discountFen: 50_000, payableFen: 650_000, source: { channel: 'sem', agentId: 'agent-7' } });
    expect(failed).toHaveLength(99);
    expect(failed.every((f) => f.code === ErrorCode.Conflict && f.reason === CardIneligibility.Used)).toBe(true);
    const [{ n }] = await h.ds.query('SELECT count(*)::int AS n FROM redemptions r JOIN cards k ON k.id = r.card_id WHERE k.card_no = $1', [cardNo]);
    expect(n).toBe(1);
    expect(await outboxCount(h.ds, EVENTS.cardRedeemed, `payload->>'cardNo' = $2`, [cardNo])).toBe(1);
    expect((await h.cards.get(cardNo, admin)).status).toBe(CardStatus.Redeemed);
  });

  it('is idempotent on the deal id, also when the retries race', async () => {
    const cardNo = await buyActiveCard(h, campaignId);
    const body = redeemBody(cardNo);
    const { ok, failed } = await settle(Array.from({ length: 10 }, () => h.redemptions.redeem(body)));
    expect(failed).toEqual([]);
    expect(new Set(ok.map((r) => JSON.stringify(r))).size).toBe(1);
    await expect(h.redemptions.redeem(body)).resolves.toEqual(ok[0]);
    const other = await buyActiveCard(h, campaignId);
    await expect(h.redemptions.redeem({ ...body, cardNo: other })).rejects.toMatchObject({ code: ErrorCode.Conflict });
    expect((await h.cards.get(other, admin)).status).toBe(CardStatus.Active);
  });

  it('refuses a card that does not apply with 422 and its reason, redeeming nothing', async () => {
    const cardNo = await buyActiveCard(h, campaignId);
    await expect(h.redemptions.redeem(redeemBody(cardNo, { brandId: OTHER_BRAND }))).rejects.toMatchObject({
      code: ErrorCode.RuleBroken,
      reason: CardIneligibility.WrongBrand,
    });
    await expect(h.redemptions.redeem(redeemBody(cardNo, { amountFen: 100_000 }))).rejects.toMatchObject({
      code: ErrorCode.RuleBroken,
      reason: CardIneligibility.UnderMinSpend,
    });
    const pending = await buyCard(h, campaignId);
    await expect(h.redemptions.redeem(redeemBody(pending.cardNo))).rejects.toMatchObject({
      code: ErrorCode.RuleBroken,
      reason: CardIneligibility.PendingPayment,
    });
    await expect(h.redemptions.redeem(redeemBody('2000000000000008'))).rejects.toMatchObject({ code: ErrorCode.NotFound });
    expect((await h.cards.get(cardNo, admin)).status).toBe(CardStatus.Active);
  });

  it('quotes without changing anything', async () => {
    const cardNo = await buyActiveCard(h, campaignId);
    const staff: Actor = { kind: 'staff', userId: newId(), roles: [] };
    await expect(h.cards.quote({ cardNo, storeId: STORE, brandId: BRAND, amountFen: 700_000 }, staff)).resolves.toEqual({
      eligible: true,
      discountFen: 50_000,
      payableFen: 650_000,
    });
    await expect(h.cards.quote({ cardNo, storeId: STORE, brandId: OTHER_BRAND, amountFen: 700_000 }, staff)).resolves.toEqual({
      eligible: false,
      discountFen: 0,
      payableFen: 700_000,
      reason: CardIneligibility.WrongBrand,
    });
    expect((await h.cards.get(cardNo, admin)).status).toBe(CardStatus.Active);
    expect(await outboxCount(h.ds, EVENTS.cardRedeemed, `payload->>'cardNo' = $2`, [cardNo])).toBe(0);
  });

  it('answers unknown_store for a city-scoped campaign until the store is known, then checks the city', async () => {
    const cityCampaign = await h.campaigns.create(campaignBody({ cities: ['Shanghai'], categories: ['bathroom'] }), admin);
    const cardNo = await buyActiveCard(h, cityCampaign.id);
    const q = () => h.cards.quote({ cardNo, storeId: STORE, brandId: BRAND, amountFen: 700_000 }, admin);
    await expect(q()).resolves.toMatchObject({ eligible: false, reason: CardIneligibility.UnknownStore });
    await h.stores.record({ id: STORE, city: 'Beijing', asOf: new Date(Date.now() - 1000).toISOString() });
    await expect(q()).resolves.toMatchObject({ eligible: false, reason: CardIneligibility.WrongCity });
    await h.stores.record({ id: STORE, city: 'Shanghai', asOf: new Date().toISOString() });
    // An older event arriving late does not undo the newer one.
    await h.stores.record({ id: STORE, city: 'Beijing', asOf: new Date(Date.now() - 500).toISOString() });
    await expect(q()).resolves.toMatchObject({ eligible: false, reason: CardIneligibility.UnknownBrand });
    await h.brands.record({ id: BRAND, categories: ['bathroom'], asOf: new Date().toISOString() });
    await expect(q()).resolves.toEqual({ eligible: true, discountFen: 50_000, payableFen: 650_000 });
  });

  it('reverses a redemption: the card is active again, and a repeat answers the same', async () => {
    const cardNo = await buyActiveCard(h, campaignId);
    const body = redeemBody(cardNo);
    await h.redemptions.redeem(body);
    const reversal = await h.redemptions.reverse({ dealId: body.dealId, reason: 'full refund' });
    expect(reversal).toEqual({ cardNo, dealId: body.dealId, status: CardStatus.Active, wasRedeemed: true, reversedAt: expect.any(String) });
    await expect(h.redemptions.reverse({ dealId: body.dealId })).resolves.toEqual(reversal);
    expect(await outboxCount(h.ds, EVENTS.cardReversed, `payload->>'cardNo' = $2`, [cardNo])).toBe(1);
    // The deal whose redemption was reversed cannot take it back; another deal may use the card.
    await expect(h.redemptions.redeem(body)).rejects.toMatchObject({ code: ErrorCode.Conflict });
    await expect(h.redemptions.redeem(redeemBody(cardNo))).resolves.toMatchObject({ cardNo });
    // A repeat answers the first reversal even after the card has been redeemed again.
    await expect(h.redemptions.reverse({ dealId: body.dealId })).resolves.toEqual(reversal);
  });

  it('reverses into expired when the card is past its validity', async () => {
    const cardNo = await buyActiveCard(h, campaignId);
    const body = redeemBody(cardNo);
    await h.redemptions.redeem(body);
    await h.ds.query(`UPDATE cards SET valid_to = now() - interval '1 minute' WHERE card_no = $1`, [cardNo]);
    const reversal = await h.redemptions.reverse({ dealId: body.dealId });
    expect(reversal).toMatchObject({ cardNo, status: CardStatus.Expired, wasRedeemed: true });
    await expect(h.redemptions.reverse({ dealId: body.dealId })).resolves.toEqual(reversal);
    expect(await outboxCount(h.ds, EVENTS.cardExpired, `payload->>'cardNo' = $2`, [cardNo])).toBe(1);
  });

  it('reads a card past validity as expired, and the sweep marks it once with a card.expired event', async () => {
    const cardNo = await buyActiveCard(h, campaignId);
    await h.ds.query(`UPDATE cards SET valid_to = now() - interval '1 second' WHERE card_no = $1`, [cardNo]);
    expect((await h.cards.get(cardNo, anonymous)).status).toBe(CardStatus.Expired);
    await expect(h.redemptions.redeem(redeemBody(cardNo))).rejects.toMatchObject({ code: ErrorCode.RuleBroken, reason: CardIneligibility.Expired });
    expect(await h.expiry.sweep()).toBeGreaterThanOrEqual(1);
    expect(await h.expiry.sweep()).toBe(0);
    const [row] = await h.ds.query('SELECT status, expired_at FROM cards WHERE card_no = $1', [cardNo]);
    expect(row.status).toBe('expired');
    expect(await outboxCount(h.ds, EVENTS.cardExpired, `payload->>'cardNo' = $2`, [cardNo])).toBe(1);
  });

  it('voids an active card for a reason (admin or ops only), and not twice', async () => {
    const cardNo = await buyActiveCard(h, campaignId);
    await expect(h.cards.void({ cardNo, reason: 'sold by mistake' }, agent)).rejects.toMatchObject({ code: ErrorCode.Forbidden });
    await expect(h.cards.void({ cardNo, reason: 'sold by mistake' }, admin)).resolves.toMatchObject({ status: CardStatus.Void, voidReason: 'sold by mistake' });
    await expect(h.cards.void({ cardNo, reason: 'again' }, admin)).rejects.toMatchObject({ code: ErrorCode.Conflict });
    await expect(h.redemptions.redeem(redeemBody(cardNo))).rejects.toMatchObject({ code: ErrorCode.RuleBroken, reason: CardIneligibility.Void });
    expect(await outboxCount(h.ds, EVENTS.cardVoided, `payload->>'cardNo' = $2`, [cardNo])).toBe(1);
  });

  it('shows the public view masked, the source to staff, and the card to partners of its brands only', async () => {
    const cardNo = await buyActiveCard(h, campaignId, '13812345678');
    const pub = await h.cards.get(cardNo, anonymous);
    expect(pub).toEqual({
      cardNo,
      status: CardStatus.Active,
      benefit: { type: 'amount_off', value: 50_000, minSpendFen: 300_000 },
      validTo: expect.any(String),
      phoneMasked: '138****5678',
      source: { channel: 'sem' },
    });
    expect(JSON.stringify(pub)).not.toContain('13812345678');
    const staff = await h.cards.get(cardNo, agent);
    expect(staff.source).toEqual({ channel: 'sem', campaign: 'kw-spring', agentId: 'agent-7', visitorId: 'v-1' });
    expect(JSON.stringify(staff)).not.toContain('13812345678');
    const own: Actor = { kind: 'partner', keyId: newId(), brandId: BRAND };
    const other: Actor = { kind: 'partner', keyId: newId(), brandId: OTHER_BRAND };
    await expect(h.cards.get(cardNo, own)).resolves.toMatchObject({ cardNo, source: { channel: 'sem' } });
    await expect(h.cards.get(cardNo, other)).rejects.toMatchObject({ code: ErrorCode.NotFound });
    await expect(h.cards.quote({ cardNo, storeId: STORE, brandId: OTHER_BRAND, amountFen: 1 }, other)).rejects.toMatchObject({ code: ErrorCode.NotFound });
    // Staff search by phone in any spelling; the DTO normalises it.
    const byPhone = await validated(CardQueryDto, { phone: '+86 138 1234 5678' });
    expect((await h.cards.list(byPhone, agent)).items.map((c) => c.cardNo)).toEqual([cardNo]);
  });

  describe('what a partner key sees', () => {
    const THIRD_BRAND = '0190f1c2-0000-7000-8000-00000000b003';
    const own: Actor = { kind: 'partner', keyId: newId(), brandId: BRAND };
    const stranger: Actor = { kind: 'partner', keyId: newId(), brandId: THIRD_BRAND };

    it('lists and reads only cards of campaigns that name its brand, never a chain-wide campaign', async () => {
      const chainWide = await h.campaigns.create(campaignBody({ brandIds: [] }), admin);
      const named = await h.campaigns.create(campaignBody({ brandIds: [BRAND] }), admin);
      const chainCard = await buyActiveCard(h, chainWide.id);
      const namedCard = await buyActiveCard(h, named.id);
      expect((await h.cards.list({ limit: 100 }, stranger)).items).toEqual([]);
      await expect(h.cards.get(chainCard, stranger)).rejects.toMatchObject({ code: ErrorCode.NotFound });
      await expect(h.cards.get(namedCard, stranger)).rejects.toMatchObject({ code: ErrorCode.NotFound });
      expect((await h.cards.list({ campaignId: chainWide.id }, own)).items).toEqual([]);
      expect((await h.cards.list({ campaignId: named.id }, own)).items.map((c) => c.cardNo)).toEqual([namedCard]);
      await expect(h.cards.get(chainCard, own)).rejects.toMatchObject({ code: ErrorCode.NotFound });
      // Staff still see both; anyone holding the number still reads the masked public view.
      expect((await h.cards.list({ campaignId: chainWide.id }, agent)).items.map((c) => c.cardNo)).toEqual([chainCard]);
      await expect(h.cards.get(chainCard, anonymous)).resolves.toMatchObject({ cardNo: chainCard, phoneMasked: expect.stringContaining('****') });
      // A chain-wide card applies at every brand, so a partner may still quote it for its own.
      await expect(h.cards.quote({ cardNo: chainCard, storeId: STORE, brandId: THIRD_BRAND, amountFen: 700_000 }, stranger)).resolves.toMatchObject({
        eligible: true,
      });
    });

    it('refuses the phone filter to a partner with 403, whatever the campaign', async () => {
      const named = await h.campaigns.create(campaignBody({ brandIds: [BRAND] }), admin);
      const phone = newPhone();
      const cardNo = await buyActiveCard(h, named.id, phone);
      await expect(h.cards.list({ phone }, own)).rejects.toMatchObject({ code: ErrorCode.Forbidden });
      await expect(h.cards.list({ phone }, stranger)).rejects.toMatchObject({ code: ErrorCode.Forbidden });
      await expect(h.cards.list({ phone }, anonymous)).rejects.toMatchObject({ code: ErrorCode.Unauthenticated });
      expect((await h.cards.list({ phone }, agent)).items.map((c) => c.cardNo)).toEqual([cardNo]);
    });
  });
});
