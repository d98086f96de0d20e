import { Actor, ErrorCode, RedeemCardMessage } from '@o2o/contracts';
import { newId } from '@o2o/platform';
import { admin, agent, BRAND, buyActiveCard, buyCard, campaignBody, Harness, OTHER_BRAND, startHarness, STORE } from '../../test/harness';

const redeemBody = (cardNo: string): RedeemCardMessage => ({ cardNo, dealId: newId(), storeId: STORE, brandId: BRAND, amountFen: 700_000 });

describe('campaigns (real Postgres)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('creates campaigns for ops and admin only', async () => {
    await expect(h.campaigns.create(campaignBody(), agent)).rejects.toMatchObject({ code: ErrorCode.Forbidden });
    await expect(h.campaigns.create(campaignBody({ brandIds: [BRAND.toUpperCase(), BRAND] }), admin)).resolves.toMatchObject({
      brandIds: [BRAND],
      issued: 0,
      redeemed: 0,
    });
  });

  it('counts issued, redeemed and remaining, and pages campaigns newest first', async () => {
    const limited = await h.campaigns.create(campaignBody({ totalLimit: 10 }), admin);
    const a = await buyActiveCard(h, limited.id);
    await buyActiveCard(h, limited.id);
    await buyCard(h, limited.id);
    await h.redemptions.redeem(redeemBody(a));
    expect(await h.campaigns.get(limited.id, admin)).toMatchObject({ issued: 3, redeemed: 1, remaining: 7 });
    const first = await h.campaigns.list({ limit: 1 }, admin);
    expect(first.items).toEqual([expect.objectContaining({ id: limited.id, redeemed: 1 })]);
    const second = await h.campaigns.list({ limit: 100, cursor: first.nextCursor! }, admin);
    expect(second.items.map((c) => c.id)).not.toContain(limited.id);
    expect(second.items.length).toBeGreaterThanOrEqual(1);
  });

  it('shows a partner only the campaigns that name its brand, never a chain-wide one', async () => {
    const chainWide = await h.campaigns.create(campaignBody({ brandIds: [] }), admin);
    const other = await h.campaigns.create(campaignBody({ brandIds: [OTHER_BRAND] }), admin);
    const named = await h.campaigns.create(campaignBody({ brandIds: [BRAND, OTHER_BRAND] }), admin);
    const own: Actor = { kind: 'partner', keyId: newId(), brandId: BRAND };
    await expect(h.campaigns.get(chainWide.id, own)).rejects.toMatchObject({ code: ErrorCode.NotFound });
    await expect(h.campaigns.get(other.id, own)).rejects.toMatchObject({ code: ErrorCode.NotFound });
    await expect(h.campaigns.get(named.id, own)).resolves.toMatchObject({ id: named.id });
    const listed = (await h.campaigns.list({ limit: 100 }, own)).items.map((c) => c.id);
    expect(listed).toContain(named.id);
    expect(listed).not.toContain(chainWide.id);
    expect(listed).not.toContain(other.id);
    // Staff see them all.
    await expect(h.campaigns.get(chainWide.id, agent)).resolves.toMatchObject({ id: chainWide.id });
  });
});
