import { ATTRIBUTION, Channel, CommissionView, ErrorCode, Page } from '@o2o/contracts';
import { Jobs, newId, TestClock } from '@o2o/platform';
import { eventually } from '@o2o/testing';
import {
  agentOf,
  anonymous,
  at,
  count,
  dealClosed,
  dealRefunded,
  deliver,
  Harness,
  managerOf,
  newPhone,
  ops,
  partnerOf,
  putRules,
  refusal,
  staffOf,
  startAttribution,
} from '../../test/harness';
import { APPROVAL_QUEUE, APPROVAL_SCHEDULER } from './approval.jobs';
import { LedgerService } from './ledger.service';

const DAY = 86_400_000;

describe('the commission ledger (real Postgres and Redis, time moved by hand)', () => {
  let h: Harness;
  // Far from real time on purpose: only the test clock decides what is due.
  const T0 = new Date('2031-03-01T02:00:00.000Z');
  const clock = new TestClock(T0);
  const storeId = newId();
  const closer = staffOf(storeId);
  const colleague = staffOf(storeId);
  const agent = agentOf();

  beforeAll(async () => {
    h = await startAttribution({ clock, settings: { COMMISSION_APPROVAL_SWEEP_SECONDS: 1 } });
    await putRules(h, { approvalDelayDays: 15 });
  });
  afterAll(async () => {
    await h?.close();
  });

  const list = (query: Record<string, unknown>, actor = ops) => h.call<Page<CommissionView>>(ATTRIBUTION.listCommissions, query, { actor });
  const close = async (staffId: string, closedAt: string) => {
    const { data, event } = dealClosed({
      phone: newPhone(),
      storeId,
      staffId,
      bookingId: newId(),
      budgetFen: 600_000,
      source: { channel: Channel.Sem, campaign: null, agentId: agent.staffId, visitorId: null },
      closedAt,
    });
    await deliver(h, event);
    return data;
  };
  const statuses = async (dealId: string) =>
    (await h.ds.query(`SELECT DISTINCT status FROM commissions WHERE deal_id = $1 ORDER BY status`, [dealId])).map((r: { status: string }) => r.status);

  it('approves pending entries, and the clawbacks that wait with them, by the repeatable job once the delay has passed on the clock', async () => {
    const scheduler = await h.get(Jobs).queue(APPROVAL_QUEUE).getJobScheduler(APPROVAL_SCHEDULER);
    expect(scheduler?.every).toBe(1000);

    const deal = await close(closer.staffId, at(T0, 0, 1));
    await deliver(h, dealRefunded(deal, { amountFen: 100_000, refundedTotalFen: 100_000, at: at(T0, 2) }));
    expect(await statuses(deal.dealId)).toEqual(['pending']);

    clock.advance(14 * DAY);
    // Not due yet, however often the sweep runs.
    expect(await h.get(LedgerService).approveDue()).toBe(0);
    expect(await statuses(deal.dealId)).toEqual(['pending']);

    clock.advance(DAY + 2 * 3_600_000);
    await eventually(async () => (await statuses(deal.dealId)).join() === 'approved', 15_000);
    expect(await count(h, 'commissions', `deal_id = $1 AND kind = 'clawback' AND status = 'approved'`, [deal.dealId])).toBe(4);
  });

  it('approves a clawback at once when its entry is approved already', async () => {
    const deal = await close(closer.staffId, clock.now().toISOString());
    clock.advance(16 * DAY);
    await eventually(async () => (await statuses(deal.dealId)).join() === 'approved', 15_000);
    await deliver(h, dealRefunded(deal, { amountFen: 10_000, refundedTotalFen: 10_000, at: clock.now().toISOString() }));
    expect(await count(h, 'commissions', `deal_id = $1 AND kind = 'clawback' AND status = 'approved'`, [deal.dealId])).toBe(4);
  });

  it('never changes an amount: the ledger refuses it', async () => {
    await expect(h.ds.query(`UPDATE commissions SET amount_fen = amount_fen + 1 WHERE kind <> 'clawback'`)).rejects.toThrow(/immutable/);
    await expect(h.ds.query(`DELETE FROM commissions`)).rejects.toThrow(/never deleted/);
  });

  describe('reading it', () => {
    beforeAll(async () => {
      await close(colleague.staffId, clock.now().toISOString());
    });

    it('shows ops every line, filtered by person, status and time, page by page', async () => {
      const all = await list({ limit: 100 });
      expect(new Set(all.items.map((c) => c.staffId))).toEqual(new Set([closer.staffId, colleague.staffId, agent.staffId, null]));
      const mine = await list({ staffId: closer.staffId, limit: 100 });
      expect(mine.items.length).toBeGreaterThan(0);
      expect(mine.items.every((c) => c.staffId === closer.staffId)).toBe(true);
      const pending = await list({ status: 'pending', limit: 100 });
      expect(pending.items.every((c) => c.status === 'pending') && pending.items.length > 0).toBe(true);
      const firstDay = await list({ from: T0.toISOString(), to: at(T0, 1), limit: 100 });
      expect(firstDay.items.length).toBeGreaterThan(0);
      expect(firstDay.items.every((c) => c.at >= T0.toISOString() && c.at < at(T0, 1))).toBe(true);

      const seen: string[] = [];
      let cursor: string | null | undefined;
      do {
        const page = await list({ limit: 5, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((c) => c.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all.items.map((c) => c.id));
    });

    it('shows a salesperson, a manager and an agent only their own lines', async () => {
      const own = await list({ limit: 100 }, closer);
      expect(own.items.length).toBeGreaterThan(0);
      expect(own.items.every((c) => c.staffId === closer.staffId)).toBe(true);
      expect((await list({ staffId: colleague.staffId }, closer)).items).toEqual([]);
      expect((await list({ limit: 100 }, agent)).items.every((c) => c.staffId === agent.staffId && c.party === 'online_agent')).toBe(true);
      expect((await list({}, managerOf(storeId))).items).toEqual([]);
    });

    it('refuses anonymous callers and partners, and bad filters with 400', async () => {
      expect((await refusal(list({}, anonymous))).code).toBe(ErrorCode.Forbidden);
      expect((await refusal(list({}, partnerOf(newId())))).code).toBe(ErrorCode.Forbidden);
      expect(await refusal(list({ status: 'owed' }))).toMatchObject({ code: ErrorCode.BadInput, fields: ['status'] });
      expect(await refusal(list({ from: 'yesterday' }))).toMatchObject({ code: ErrorCode.BadInput, fields: ['from'] });
      expect(await refusal(list({ from: at(T0, 2), to: at(T0, 1) }))).toMatchObject({ code: ErrorCode.BadInput, fields: ['to'] });
      expect(await refusal(list({ limit: 101 }))).toMatchObject({ code: ErrorCode.BadInput, fields: ['limit'] });
      expect(await refusal(list({ cursor: 'x' }))).toMatchObject({ code: ErrorCode.BadInput, fields: ['cursor'] });
    });
  });
});
