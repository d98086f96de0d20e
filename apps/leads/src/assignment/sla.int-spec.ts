import { EVENTS, LEADS, LeadView } from '@o2o/contracts';
import { Jobs, newId, TestClock } from '@o2o/platform';
import { eventually } from '@o2o/testing';
import { addStaff, book, count, Harness, leadOf, ops, salesActor, seedStore, startLeads } from '../../test/harness';
import { SLA_QUEUE, slaJobId } from './sla-timer';

const MINUTE = 60_000;

describe('contact SLA (real Postgres and Redis, time moved by hand)', () => {
  let h: Harness;
  // Far from real time on purpose: only the test clock decides when a timer is due.
  const clock = new TestClock(new Date('2031-03-01T02:00:00.000Z'));

  beforeAll(async () => {
    h = await startLeads({ clock });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('reassigns a lead left uncontacted past its SLA to the next eligible person, with sla_expired; a contacted lead is left alone', async () => {
    const brand = newId();
    const store = await seedStore(h, 'Shanghai', [brand]);
    const a = await addStaff(h, { storeId: store });
    const b = await addStaff(h, { storeId: store });
    const untouched = await book(h, { storeId: store, brandIds: [brand] });
    const contacted = await book(h, { storeId: store, brandIds: [brand] });
    const lead1 = await leadOf(h, untouched.phone);
    const lead2 = await leadOf(h, contacted.phone);
    expect([lead1.owner_id, lead2.owner_id]).toEqual([a.id, b.id]);
    const view = await h.call<LeadView>(LEADS.getLead, { id: lead1.id }, { actor: ops });
    expect(view.slaDueAt).toBe('2031-03-01T02:30:00.000Z');
    expect(await (await h.get(Jobs).getJob(SLA_QUEUE, slaJobId(lead1.id, 1)))?.isDelayed()).toBe(true);
    await h.call(LEADS.markContacted, { id: lead2.id }, { actor: salesActor(b) });

    clock.advance(29 * MINUTE);
    await new Promise((r) => setTimeout(r, 500));
    expect((await leadOf(h, untouched.phone)).owner_id).toBe(a.id);

    clock.advance(MINUTE);
    await eventually(async () => (await leadOf(h, untouched.phone)).owner_id === b.id, 10_000);
    const moved = await h.call<LeadView>(LEADS.getLead, { id: lead1.id }, { actor: ops });
    expect(moved).toMatchObject({ status: 'assigned', ownerId: b.id, slaDueAt: '2031-03-01T03:00:00.000Z' });
    expect(moved.history.at(-1)).toMatchObject({ action: 'reassigned', fromStaffId: a.id, toStaffId: b.id });
    expect(moved.history.at(-1)?.reason).toMatch(/^sla_expired: /);
    const [event] = await h.ds.query(`SELECT payload FROM outbox WHERE type = $1 AND payload->>'leadId' = $2`, [EVENTS.leadReassigned, lead1.id]);
    expect(event.payload).toMatchObject({ fromStaffId: a.id, toStaffId: b.id, reason: 'sla_expired' });

    // The contacted lead's timer ran and did nothing.
    const timer = await eventually(async () => {
      const job = await h.get(Jobs).getJob(SLA_QUEUE, slaJobId(lead2.id, 1));
      return (await job?.getState()) === 'completed' && job;
    });
    expect(timer.returnvalue).toBe(false);
    expect(await leadOf(h, contacted.phone)).toMatchObject({ owner_id: b.id, status: 'contacted' });
    expect(await count(h, 'lead_history', `lead_id = $1 AND action = 'reassigned'`, [lead2.id])).toBe(0);
  });
});
