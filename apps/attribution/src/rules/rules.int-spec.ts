import { ATTRIBUTION, Channel, CommissionRulesView, DealAttributionView, ErrorCode } from '@o2o/contracts';
import { newId, TestClock } from '@o2o/platform';
import {
  admin,
  agentOf,
  anonymous,
  at,
  count,
  dealClosed,
  deliver,
  Harness,
  newPhone,
  ops,
  partnerOf,
  putRules,
  refusal,
  RULES,
  staffOf,
  startAttribution,
} from '../../test/harness';

const DAY = 86_400_000;

describe('commission rules, versioned (real Postgres and Redis, time moved by hand)', () => {
  let h: Harness;
  const T0 = new Date('2031-03-01T02:00:00.000Z');
  const clock = new TestClock(T0);

  beforeAll(async () => {
    h = await startAttribution({ clock });
  });
  afterAll(async () => {
    await h?.close();
  });

  const get = (actor = ops) => h.call<CommissionRulesView>(ATTRIBUTION.getCommissionRules, {}, { actor });
  const read = (dealId: string) => h.call<DealAttributionView>(ATTRIBUTION.getDealAttribution, { id: dealId }, { actor: ops });
  const closeAt = async (closedAt: string) => {
    const { data, event } = dealClosed({
      phone: newPhone(),
      bookingId: newId(),
      source: { channel: Channel.Sem, campaign: null, agentId: 'agent-v', visitorId: null },
      closedAt,
    });
    await deliver(h, event);
    return read(data.dealId);
  };

  it('has none until they are set, then reads back the version in force', async () => {
    expect((await refusal(get())).code).toBe(ErrorCode.NotFound);
    const v1 = await putRules(h, {}, admin);
    expect(v1).toEqual({ ...RULES, version: 1, effectiveFrom: T0.toISOString() });
    expect(await get()).toEqual(v1);
    // The same rules again make no new version.
    expect(await putRules(h)).toEqual(v1);
    expect(await count(h, 'commission_rules')).toBe(1);
  });

  it('credits a deal by the version in force when it closed, even when the deal is told after a change', async () => {
    clock.advance(DAY);
    const v2 = await putRules(h, { onlineRate: 200 });
    expect(v2).toMatchObject({ version: 2, onlineRate: 200, effectiveFrom: at(T0, 1) });

    const before = await closeAt(at(T0, 0, 6));
    expect(before.ruleVersion).toBe(1);
    expect(before.commissions.find((c) => c.party === 'online_agent')?.amountFen).toBe(7000);
    expect(before.explain.find((s) => s.step === 'rules')).toMatchObject({ candidate: 'v1', taken: true });

    const after = await closeAt(at(T0, 1, 1));
    expect(after.ruleVersion).toBe(2);
    expect(after.commissions.find((c) => c.party === 'online_agent')?.amountFen).toBe(14_000);

    // Closed before any rules: attributed all the same, with no entries, and the reason given.
    const early = await closeAt(at(T0, -1));
    expect(early).toMatchObject({ ruleVersion: null, commissions: [], online: { via: 'booking', agentId: 'agent-v' } });
    expect(early.explain.find((s) => s.step === 'rules')).toMatchObject({ taken: false });
  });

  it('refuses bad rules with 400 naming the fields, and writes nothing', async () => {
    const versions = await count(h, 'commission_rules');
    expect(await refusal(putRules(h, { onlineRate: -1 }))).toMatchObject({ code: ErrorCode.BadInput, fields: ['onlineRate'] });
    expect(await refusal(putRules(h, { premiumRate: 10_001 }))).toMatchObject({ code: ErrorCode.BadInput, fields: ['premiumRate'] });
    expect(await refusal(putRules(h, { attributionWindowDays: 0 }))).toMatchObject({ code: ErrorCode.BadInput, fields: ['attributionWindowDays'] });
    expect(await refusal(putRules(h, { approvalDelayDays: 1.5 }))).toMatchObject({ code: ErrorCode.BadInput, fields: ['approvalDelayDays'] });
    expect(await refusal(putRules(h, { onlineRate: 4000, offlineRate: 4000, platformFeeRate: 2001 }))).toMatchObject({
      code: ErrorCode.BadInput,
      fields: ['onlineRate', 'offlineRate', 'platformFeeRate'],
    });
    const { onlineRate: _, ...missing } = RULES;
    const absent = await refusal(h.call(ATTRIBUTION.setCommissionRules, missing, { actor: ops }));
    expect(absent.code).toBe(ErrorCode.BadInput);
    expect([...new Set(absent.fields)]).toEqual(['onlineRate']);
    expect(await count(h, 'commission_rules')).toBe(versions);
  });

  it('is set and read by admin and ops only', async () => {
    const versions = await count(h, 'commission_rules');
    for (const actor of [staffOf(newId()), agentOf(), anonymous, partnerOf(newId())]) {
      expect((await refusal(putRules(h, { onlineRate: 150 }, actor))).code).toBe(ErrorCode.Forbidden);
      expect((await refusal(get(actor))).code).toBe(ErrorCode.Forbidden);
    }
    expect(await count(h, 'commission_rules')).toBe(versions);
  });
});
