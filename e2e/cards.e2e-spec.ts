import { createLogin, signIn } from './support/logins';
import { http, RunningStack, startStack } from './support/stack';

jest.setTimeout(180_000);

interface Purchase {
  cardNo: string;
  status: string;
  payment: { orderId: string; amountFen: number; provider: string };
}
interface Card {
  cardNo: string;
  status: string;
  phoneMasked: string;
  source: Record<string, string>;
  [more: string]: unknown;
}

const DAY = 86_400_000;
const phone = () => `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

describe('privilege cards through the gateway', () => {
  let stack: RunningStack;
  let admin: string;
  let ops: string;
  let agent: string;
  let named: { brandId: string; key: string; campaignId: string };
  let unnamed: { brandId: string; key: string };
  let chainWideCampaignId: string;

  const as = (token: string) => ({ token });
  const withKey = (key: string) => ({ headers: { 'x-api-key': key } });

  const newBrand = async (name: string) =>
    (await http<{ id: string }>(stack.url, 'POST', '/v1/brands', { ...as(admin), body: { name, categories: ['bathroom'] } })).body.id;
  const newKey = async (brandId: string) => (await http<{ id: string; key: string }>(stack.url, 'POST', `/v1/brands/${brandId}/api-keys`, as(admin))).body;
  const newCampaign = async (name: string, brandIds?: string[]) => {
    const res = await http<{ id: string }>(stack.url, 'POST', '/v1/card-campaigns', {
      ...as(admin),
      body: {
        name,
        priceFen: 100,
        benefit: { type: 'amount_off', value: 50_000 },
        brandIds,
        validFrom: new Date(Date.now() - DAY).toISOString(),
        validTo: new Date(Date.now() + 90 * DAY).toISOString(),
      },
    });
    expect(res.status).toBe(201);
    return res.body.id;
  };
  const buy = async (campaignId: string, holder = phone(), idempotencyKey?: string) => {
    const headers: Record<string, string> = idempotencyKey ? { 'idempotency-key': idempotencyKey } : {};
    return http<Purchase>(stack.url, 'POST', '/v1/cards', {
      headers,
      body: { campaignId, phone: holder, source: { channel: 'sem', campaign: 'kw-toilet', agentId: 'agent-7' } },
    });
  };
  const pay = (orderId: string) =>
    http<{ status: string; cardNo: string; cardStatus: string; activatedNow: boolean }>(stack.url, 'POST', `/v1/payments/sandbox/${orderId}/complete`);
  const activeCard = async (campaignId: string) => {
    const bought = await buy(campaignId);
    await pay(bought.body.payment.orderId);
    return bought.body.cardNo;
  };

  beforeAll(async () => {
    stack = await startStack();
    admin = await signIn(stack, 'admin', 'admin');
    await createLogin(stack, { username: 'olga-ops', password: 'ops-pass-1', roles: ['ops'] });
    await createLogin(stack, { username: 'andy-agent', password: 'agent-pass-1', roles: ['agent'] });
    [ops, agent] = [await signIn(stack, 'olga-ops', 'ops-pass-1'), await signIn(stack, 'andy-agent', 'agent-pass-1')];

    const namedBrand = await newBrand('Named brand');
    named = { brandId: namedBrand, key: (await newKey(namedBrand)).key, campaignId: await newCampaign('Named brand card', [namedBrand]) };
    const unnamedBrand = await newBrand('Unnamed brand');
    unnamed = { brandId: unnamedBrand, key: (await newKey(unnamedBrand)).key };
    chainWideCampaignId = await newCampaign('Chain-wide card');
  });
  afterAll(async () => {
    if (stack) await stack.stop();
  });

  it('sells a card pending payment, replaying the purchase under the same Idempotency-Key', async () => {
    const holder = phone();
    const first = await buy(named.campaignId, holder, 'buy-once');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'pending_payment', payment: { amountFen: 100, provider: 'sandbox' } });
    expect(first.body.cardNo).toMatch(/^20\d{14}$/); // channel code 20: sem
    const again = await buy(named.campaignId, holder, 'buy-once');
    expect([again.status, again.body.cardNo]).toEqual([201, first.body.cardNo]);
    const overLimit = await buy(named.campaignId, holder);
    expect([overLimit.status, overLimit.type.includes('problem+json')]).toEqual([422, true]);
  });

  it('activates a card once on the sandbox payment, however often the callback repeats', async () => {
    const bought = await buy(named.campaignId);
    const paid = await pay(bought.body.payment.orderId);
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ status: 'paid', cardNo: bought.body.cardNo, cardStatus: 'active', activatedNow: true });
    const repeated = await pay(bought.body.payment.orderId);
    expect([repeated.status, repeated.body.activatedNow]).toEqual([200, false]);
    expect((await pay('0190f1c2-0000-7000-8000-0000000000cc')).status).toBe(404);
  });

  it('shows the public a masked card, and staff its source', async () => {
    const holder = '13812345678';
    const bought = await buy(named.campaignId, holder);
    await pay(bought.body.payment.orderId);
    const cardNo = bought.body.cardNo;

    const seen = await http<Card>(stack.url, 'GET', `/v1/cards/${cardNo}`);
    expect(seen.status).toBe(200);
    expect(Object.keys(seen.body).sort()).toEqual(['benefit', 'cardNo', 'phoneMasked', 'source', 'status', 'validTo']);
    expect(seen.body).toMatchObject({ cardNo, status: 'active', phoneMasked: '138****5678', source: { channel: 'sem' } });
    expect(seen.body.source).toEqual({ channel: 'sem' });
    expect(JSON.stringify(seen.body)).not.toContain(holder);

    const staff = await http<Card>(stack.url, 'GET', `/v1/cards/${cardNo}`, as(agent));
    expect(staff.body.source).toMatchObject({ channel: 'sem', campaign: 'kw-toilet', agentId: 'agent-7' });
    expect(JSON.stringify(staff.body)).not.toContain(holder);

    const wrongCheckDigit = `${cardNo.slice(0, 15)}${(Number(cardNo[15]) + 1) % 10}`;
    const bad = await http(stack.url, 'GET', `/v1/cards/${wrongCheckDigit}`);
    expect([bad.status, bad.type.includes('problem+json')]).toEqual([400, true]);
  });

  it('lets a partner list and read the cards of campaigns that name its brand', async () => {
    const cardNo = await activeCard(named.campaignId);
    const listed = await http<{ items: Card[] }>(stack.url, 'GET', `/v1/cards?campaignId=${named.campaignId}`, withKey(named.key));
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((c) => c.cardNo)).toContain(cardNo);
    expect(listed.body.items.every((c) => c.source.agentId === undefined)).toBe(true);
    expect((await http(stack.url, 'GET', `/v1/cards/${cardNo}`, withKey(named.key))).status).toBe(200);
  });

  it('keeps the key of a brand no campaign names away from the cards of a chain-wide campaign', async () => {
    const chainWide = await activeCard(chainWideCampaignId);
    const namedCard = await activeCard(named.campaignId);

    const all = await http<{ items: Card[] }>(stack.url, 'GET', '/v1/cards', withKey(unnamed.key));
    expect(all.status).toBe(200);
    expect(all.body.items.map((c) => c.cardNo)).not.toContain(chainWide);
    expect(all.body.items.map((c) => c.cardNo)).not.toContain(namedCard);
    const filtered = await http<{ items: Card[] }>(stack.url, 'GET', `/v1/cards?campaignId=${chainWideCampaignId}`, withKey(unnamed.key));
    expect(filtered.status === 404 || (filtered.status === 200 && filtered.body.items.length === 0)).toBe(true);

    expect((await http(stack.url, 'GET', `/v1/cards/${chainWide}`, withKey(unnamed.key))).status).toBe(404);
    expect((await http(stack.url, 'GET', `/v1/cards/${namedCard}`, withKey(unnamed.key))).status).toBe(404);
  });

  it('keeps the phone filter to staff', async () => {
    const holder = phone();
    const bought = await buy(named.campaignId, holder);
    const byStaff = await http<{ items: Card[] }>(stack.url, 'GET', `/v1/cards?phone=${holder}`, as(agent));
    expect(byStaff.status).toBe(200);
    expect(byStaff.body.items.map((c) => c.cardNo)).toEqual([bought.body.cardNo]);

    const byPartner = await http(stack.url, 'GET', `/v1/cards?phone=${holder}`, withKey(named.key));
    expect([byPartner.status, byPartner.type.includes('problem+json')]).toEqual([403, true]);
    expect((await http(stack.url, 'GET', `/v1/cards?phone=${holder}`)).status).toBe(401);
  });

  it('voids a card for ops and admin only', async () => {
    const cardNo = await activeCard(named.campaignId);
    const body = { reason: 'sold by mistake' };
    const byAgent = await http(stack.url, 'POST', `/v1/cards/${cardNo}/void`, { ...as(agent), body });
    expect([byAgent.status, byAgent.type.includes('problem+json')]).toEqual([403, true]);
    expect((await http(stack.url, 'POST', `/v1/cards/${cardNo}/void`, { ...withKey(named.key), body })).status).toBe(403);
    expect((await http(stack.url, 'POST', `/v1/cards/${cardNo}/void`, { body })).status).toBe(401);
    expect((await http<Card>(stack.url, 'GET', `/v1/cards/${cardNo}`)).body.status).toBe('active');

    const byOps = await http<Card>(stack.url, 'POST', `/v1/cards/${cardNo}/void`, { ...as(ops), body });
    expect([byOps.status, byOps.body.status, byOps.body.voidReason]).toEqual([200, 'void', 'sold by mistake']);
    expect((await http(stack.url, 'POST', `/v1/cards/${cardNo}/void`, { ...as(admin), body })).status).toBe(409);

    const another = await activeCard(named.campaignId);
    expect((await http<Card>(stack.url, 'POST', `/v1/cards/${another}/void`, { ...as(admin), body })).body.status).toBe('void');
  });

  it('refuses a revoked key with 401', async () => {
    const issued = await newKey(named.brandId);
    expect((await http(stack.url, 'GET', '/v1/cards', withKey(issued.key))).status).toBe(200);
    expect((await http(stack.url, 'DELETE', `/v1/api-keys/${issued.id}`, as(admin))).status).toBe(204);
    const revoked = await http(stack.url, 'GET', '/v1/cards', withKey(issued.key));
    expect([revoked.status, revoked.type.includes('problem+json')]).toEqual([401, true]);
  });

  it("answers a body over the gateway's limit with 413 problem+json", async () => {
    const res = await http<{ status: number }>(stack.url, 'POST', '/v1/cards', {
      body: { campaignId: named.campaignId, phone: phone(), source: { channel: 'sem', campaign: 'x'.repeat(1_100_000) } },
    });
    expect(res.status).toBe(413);
    expect(res.type).toContain('application/problem+json');
    expect(res.body.status).toBe(413);
  });
});
