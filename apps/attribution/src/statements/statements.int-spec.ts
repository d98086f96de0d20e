import { ATTRIBUTION, Channel, DealAttributionView, DealClosedEvent, ErrorCode, StatementView } from '@o2o/contracts';
import { newId, TestClock } from '@o2o/platform';
import {
  admin,
  agentOf,
  anonymous,
  at,
  count,
  counts,
  dealClosed,
  dealRefunded,
  deliver,
  Harness,
  newPhone,
  ops,
  putRules,
  refusal,
  staffOf,
  startAttribution,
} from '../../test/harness';

describe('commission statements (real Postgres and Redis, time moved by hand)', () => {
  let h: Harness;
  // March 2031 in Shanghai runs from 2031-02-28T16:00Z to 2031-03-31T16:00Z.
  const T0 = new Date('2031-03-01T02:00:00.000Z');
  const clock = new TestClock(T0);
  const storeId = newId();
  const closerA = staffOf(storeId);
  const closerB = staffOf(storeId);
  const agent = agentOf();
  let dealA: DealClosedEvent;
  let dealB: DealClosedEvent;
  let march: StatementView;

  beforeAll(async () => {
    // The sweep is left to the statement itself here: it approves what is due before drawing.
    h = await startAttribution({ clock, settings: { COMMISSION_APPROVAL_SWEEP_SECONDS: 3600 } });
    await putRules(h, { approvalDelayDays: 15 });
  });
  afterAll(async () => {
    await h?.close();
  });

  const draw = (period: string, actor = ops, requestId?: string) => h.call<StatementView>(ATTRIBUTION.createStatement, { period }, { actor, requestId });
  const read = (dealId: string) => h.call<DealAttributionView>(ATTRIBUTION.getDealAttribution, { id: dealId }, { actor: ops });
  const line = (s: StatementView, staffId: string | null) => s.lines.find((l) => l.staffId === staffId);
  const close = async (staffId: string, closedAt: string) => {
    const { data, event } = dealClosed({
      phone: newPhone(),
      storeId,
      staffId,
      bookingId: newId(),
      amountFen: 1_000_000,
      budgetFen: 600_000,
      source: { channel: Channel.Sem, campaign: null, agentId: agent.staffId, visitorId: null },
      closedAt,
    });
    await deliver(h, event);
    return data;
  };

  it('draws a month only once it is over, writing nothing before', async () => {
    dealA = await close(closerA.staffId, at(T0, 1));
    dealB = await close(closerB.staffId, at(T0, 24));
    clock.advance(20 * 86_400_000);
    const before = await counts(h);
    expect(await refusal(draw('2031-03'))).toMatchObject({ code: ErrorCode.RuleBroken, reason: 'period_not_over' });
    expect(await counts(h)).toEqual(before);
  });

  it('pays, per person, the entries approved before the month ended; the rest wait', async () => {
    clock.set(new Date('2031-04-02T00:00:00.000Z'));
    march = await draw('2031-03');
    expect(march).toMatchObject({ period: '2031-03', periodEnd: '2031-03-31T16:00:00.000Z' });
    // Deal A: 1% of 1,000,000 to the agent, 2% + 5% of 400,000 to the closer, 3% to the platform.
    expect(line(march, agent.staffId)).toEqual({ staffId: agent.staffId, approvedFen: 10_000, clawbackFen: 0, netFen: 10_000, entries: 1 });
    expect(line(march, closerA.staffId)).toEqual({ staffId: closerA.staffId, approvedFen: 40_000, clawbackFen: 0, netFen: 40_000, entries: 2 });
    expect(line(march, null)).toEqual({ staffId: null, approvedFen: 30_000, clawbackFen: 0, netFen: 30_000, entries: 1 });
    expect(line(march, closerB.staffId)).toBeUndefined();
    expect(march.totalFen).toBe(80_000);
    expect((await read(dealA.dealId)).commissions.every((c) => c.status === 'paid' && c.statementId === march.id)).toBe(true);
    expect((await read(dealB.dealId)).commissions.every((c) => c.status === 'pending')).toBe(true);
  });

  it('answers the same statement when the month is drawn again, and reads it back', async () => {
    const again = await Promise.all([draw('2031-03', ops, newId()), draw('2031-03', admin, newId())]);
    expect(again).toEqual([march, march]);
    expect(await count(h, 'commission_statements')).toBe(1);
    expect(await h.call(ATTRIBUTION.getStatement, { id: march.id }, { actor: ops })).toEqual(march);
  });

  it('carries the clawbacks of entries already paid into the next statement, with those of the month', async () => {
    clock.set(new Date('2031-04-05T00:00:00.000Z'));
    await deliver(h, dealRefunded(dealA, { amountFen: 1_000_000, refundedTotalFen: 1_000_000, at: clock.now().toISOString() }));
    await deliver(h, dealRefunded(dealB, { amountFen: 250_000, refundedTotalFen: 250_000, at: clock.now().toISOString() }));
    const a = await read(dealA.dealId);
    expect(a.commissions.filter((c) => c.kind === 'clawback').every((c) => c.status === 'approved' && c.statementId === null)).toBe(true);
    expect(a.commissions.reduce((sum, c) => sum + c.amountFen, 0)).toBe(0);
    // Deal B's entries are not approved yet: its clawbacks wait with them.
    expect((await read(dealB.dealId)).commissions.filter((c) => c.kind === 'clawback').every((c) => c.status === 'pending')).toBe(true);

    clock.set(new Date('2031-05-01T00:00:00.000Z'));
    const april = await draw('2031-04');
    expect(april.id).not.toBe(march.id);
    // Deal A's clawbacks: the whole of what March paid. Deal B: its entries less a quarter of each.
    expect(line(april, closerA.staffId)).toEqual({ staffId: closerA.staffId, approvedFen: 0, clawbackFen: -40_000, netFen: -40_000, entries: 2 });
    expect(line(april, closerB.staffId)).toEqual({ staffId: closerB.staffId, approvedFen: 40_000, clawbackFen: -10_000, netFen: 30_000, entries: 4 });
    expect(line(april, agent.staffId)).toEqual({ staffId: agent.staffId, approvedFen: 10_000, clawbackFen: -12_500, netFen: -2_500, entries: 3 });
    expect(line(april, null)).toEqual({ staffId: null, approvedFen: 30_000, clawbackFen: -37_500, netFen: -7_500, entries: 3 });
    expect(march.totalFen + april.totalFen).toBe(60_000);

    // Over both statements each person of deal A nets 0; everything of A and B is settled.
    expect(await count(h, 'commissions', `status <> 'paid'`)).toBe(0);
  });

  it('never pays an entry reversed before approval', async () => {
    const deal = await close(closerA.staffId, clock.now().toISOString());
    await deliver(h, dealRefunded(deal, { amountFen: 1_000_000, refundedTotalFen: 1_000_000, at: clock.now().toISOString() }));
    clock.set(new Date('2031-06-02T00:00:00.000Z'));
    const may = await draw('2031-05');
    expect(may.lines).toEqual([]);
    expect((await read(deal.dealId)).commissions.every((c) => c.status === 'reversed')).toBe(true);
  });

  it('makes one statement of a month drawn by several requests at once', async () => {
    clock.set(new Date('2031-07-02T00:00:00.000Z'));
    const drawn = await Promise.all([1, 2, 3].map(() => draw('2031-06', ops, newId())));
    expect(new Set(drawn.map((s) => s.id)).size).toBe(1);
    expect(await count(h, 'commission_statements', `period = '2031-06'`)).toBe(1);
  });

  it('is drawn and read by admin and ops only, and refuses a bad period or id', async () => {
    for (const actor of [staffOf(storeId), agent, anonymous]) {
      expect((await refusal(draw('2031-01', actor))).code).toBe(ErrorCode.Forbidden);
      expect((await refusal(h.call(ATTRIBUTION.getStatement, { id: march.id }, { actor }))).code).toBe(ErrorCode.Forbidden);
    }
    for (const period of ['2031-13', '2031-3', 'March', ''])
      expect(await refusal(draw(period))).toMatchObject({ code: ErrorCode.BadInput, fields: ['period'] });
    expect((await refusal(h.call(ATTRIBUTION.getStatement, { id: newId() }, { actor: ops }))).code).toBe(ErrorCode.NotFound);
    expect(await count(h, 'commission_statements', `period = '2031-01'`)).toBe(0);
  });
});
