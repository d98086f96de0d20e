import { Actor, ErrorCode, EVENTS, LEADS, LeadView, Page } from '@o2o/contracts';
import { DomainError, newId } from '@o2o/platform';
import { addStaff, book, count, envelope, Harness, leadOf, managerOf, ops, partnerOf, salesActor, seedStore, startLeads } from '../../test/harness';

const codeOf = (e: unknown) => (e instanceof DomainError ? e.code : String(e));

describe('routing and assignment (real Postgres and Redis)', () => {
  let h: Harness;
  const policy = (strategy: string) => h.call(LEADS.putPolicy, { strategy, contactSlaMinutes: 30, protectionDays: 30 }, { actor: ops });
  const ownersOf = async (n: number, storeId: string, brandId: string, city = 'Shanghai') => {
    const owners: string[] = [];
    for (let i = 0; i < n; i++) {
      const b = await book(h, { city, storeId, brandIds: [brandId] });
      owners.push((await leadOf(h, b.phone)).owner_id ?? 'nobody');
    }
    return owners;
  };
  const tally = (owners: string[]) => owners.reduce((m, o) => m.set(o, (m.get(o) ?? 0) + 1), new Map<string, number>());

  beforeAll(async () => {
    h = await startLeads();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('round robin splits 100 leads 50/50 between two salespeople, in turn', async () => {
    await policy('round_robin');
    const brand = newId();
    const store = await seedStore(h, 'Shanghai', [brand]);
    const a = await addStaff(h, { storeId: store, brandIds: [brand], dailyCapacity: 1000 });
    const b = await addStaff(h, { storeId: store, dailyCapacity: 1000 }); // no brands: sells all the store's
    const owners = await ownersOf(100, store, brand);
    expect(tally(owners)).toEqual(
      new Map([
        [a.id, 50],
        [b.id, 50],
      ]),
    );
    expect(owners.slice(0, 4)).toEqual([a.id, b.id, a.id, b.id]);
    const [entry] = await h.ds.query(`SELECT reason FROM lead_history WHERE action = 'assigned' AND to_staff_id = $1 ORDER BY seq DESC LIMIT 1`, [b.id]);
    expect(entry.reason).toBe(`round_robin: next after ${a.id}`);
  });

  it('weighted splits by daily capacity (100 and 300) within 5%', async () => {
    await policy('weighted');
    const brand = newId();
    const store = await seedStore(h, 'Shanghai', [brand]);
    const small = await addStaff(h, { storeId: store, dailyCapacity: 100 });
    const large = await addStaff(h, { storeId: store, dailyCapacity: 300 });
    const counts = tally(await ownersOf(200, store, brand));
    expect(Math.abs((counts.get(small.id) ?? 0) / 200 - 0.25)).toBeLessThanOrEqual(0.05);
    expect(Math.abs((counts.get(large.id) ?? 0) / 200 - 0.75)).toBeLessThanOrEqual(0.05);
  });

  it('never gives a lead to someone inactive, over capacity or of another brand; with nobody left the lead waits and says why', async () => {
    await policy('least_loaded');
    const brand = newId();
    const store = await seedStore(h, 'Hangzhou', [brand]);
    await addStaff(h, { storeId: store, active: false });
    await addStaff(h, { storeId: store, brandIds: [newId()] });
    const two = await addStaff(h, { storeId: store, dailyCapacity: 2 });
    const owners = await ownersOf(4, store, brand, 'Hangzhou');
    expect(owners).toEqual([two.id, two.id, 'nobody', 'nobody']);
    const waiting = await h.ds.query(
      `SELECT l.id, l.store_id, h.reason FROM leads l JOIN lead_history h ON h.lead_id = l.id AND h.action = 'unassigned' WHERE l.status = 'unassigned' AND l.store_id = $1`,
      [store],
    );
    expect(waiting).toHaveLength(2);
    expect(waiting[0].reason).toBe(`no active salesperson of brand ${brand} with capacity in store ${store}`);

    // Someone joins the store: the waiting leads go to them at once, in turn, and never to the one at capacity.
    const fresh = await addStaff(h, { storeId: store, dailyCapacity: 1 });
    expect(await count(h, 'leads', `store_id = $1 AND status = 'unassigned'`, [store])).toBe(1);
    expect(await count(h, 'leads', `owner_id = $1`, [fresh.id])).toBe(1);
    // Capacity raised: the last one is routed by the sweep.
    await h.ds.query('UPDATE staff SET daily_capacity = 10 WHERE id = $1', [fresh.id]);
    await h.assignment.sweep();
    expect(await count(h, 'leads', `store_id = $1 AND status = 'unassigned'`, [store])).toBe(0);
    expect(await count(h, 'leads', `owner_id = $1`, [two.id])).toBe(2);
  });

  it('routes to another store of the city where the brand is a tenant when the booked store has none; nowhere says so', async () => {
    await policy('round_robin');
    const brand = newId();
    const booked = await seedStore(h, 'Suzhou', []);
    const tenant = await seedStore(h, 'Suzhou', [brand]);
    const seller = await addStaff(h, { storeId: tenant });
    const b = await book(h, { city: 'Suzhou', storeId: booked, brandIds: [brand] });
    expect(await leadOf(h, b.phone)).toMatchObject({ owner_id: seller.id, store_id: tenant, status: 'assigned' });

    const lost = await book(h, { city: 'Nowhere', brandIds: [brand] });
    const lead = await leadOf(h, lost.phone);
    expect(lead.status).toBe('unassigned');
    const [entry] = await h.ds.query(`SELECT reason FROM lead_history WHERE lead_id = $1 AND action = 'unassigned'`, [lead.id]);
    expect(entry.reason).toBe(`no store in Nowhere where brands ${brand} are tenants`);
    expect(await count(h, 'outbox', `type = $1 AND payload->>'leadId' = $2`, [EVENTS.leadCreated, lead.id])).toBe(1);
  });

  it('contacted and lost by the owner alone, reassign by the store manager or ops to eligible staff; illegal moves are conflicts and change nothing', async () => {
    await policy('round_robin');
    const brand = newId();
    const store = await seedStore(h, 'Nanjing', [brand]);
    const a = await addStaff(h, { storeId: store });
    const b = await addStaff(h, { storeId: store });
    const inactive = await addStaff(h, { storeId: store, active: false });
    const elsewhere = await addStaff(h, { storeId: await seedStore(h, 'Nanjing', [brand]) });
    const booked = await book(h, { city: 'Nanjing', storeId: store, brandIds: [brand] });
    const lead = await leadOf(h, booked.phone);
    const owner = lead.owner_id === a.id ? a : b;
    const other = owner === a ? b : a;
    const manager = managerOf(store);
    const history = async () => count(h, 'lead_history', 'lead_id = $1', [lead.id]);
    const before = await history();

    expect(await h.call(LEADS.markContacted, { id: lead.id }, { actor: salesActor(other) }).catch(codeOf)).toBe(ErrorCode.Forbidden);
    expect(await h.call(LEADS.markContacted, { id: lead.id }, { actor: salesActor(elsewhere) }).catch(codeOf)).toBe(ErrorCode.NotFound);
    expect(await h.call(LEADS.markContacted, { id: newId() }, { actor: salesActor(owner) }).catch(codeOf)).toBe(ErrorCode.NotFound);
    expect(await h.call(LEADS.markContacted, { id: 'nope' }, { actor: salesActor(owner) }).catch(codeOf)).toBe(ErrorCode.BadInput);
    expect(await h.call(LEADS.loseLead, { id: lead.id, reason: '' }, { actor: salesActor(owner) }).catch(codeOf)).toBe(ErrorCode.BadInput);
    const reassign = (to: string, actor = manager) => h.call<LeadView>(LEADS.reassignLead, { id: lead.id, toStaffId: to, reason: 'customer asked' }, { actor });
    expect(await reassign(inactive.id).catch((e: DomainError) => [e.code, e.reason])).toEqual([ErrorCode.RuleBroken, 'staff_inactive']);
    expect(await reassign(elsewhere.id).catch((e: DomainError) => [e.code, e.reason])).toEqual([ErrorCode.RuleBroken, 'staff_other_store']);
    expect(await reassign(owner.id).catch((e: DomainError) => [e.code, e.reason])).toEqual([ErrorCode.RuleBroken, 'already_owner']);
    expect(await reassign(newId()).catch(codeOf)).toBe(ErrorCode.NotFound);
    expect(await reassign(other.id, managerOf(newId())).catch(codeOf)).toBe(ErrorCode.NotFound);
    expect(await reassign(other.id, salesActor(owner)).catch(codeOf)).toBe(ErrorCode.Forbidden);
    expect(await reassign(other.id, partnerOf(brand)).catch(codeOf)).toBe(ErrorCode.Forbidden);
    expect(await h.call(LEADS.reassignLead, { id: lead.id, toStaffId: other.id }, { actor: manager }).catch(codeOf)).toBe(ErrorCode.BadInput);
    expect(await history()).toBe(before);
    expect(await leadOf(h, booked.phone)).toEqual(lead);

    const moved = await reassign(other.id);
    expect(moved).toMatchObject({ ownerId: other.id, status: 'assigned', phone: booked.phone });
    expect(moved.history.at(-1)).toMatchObject({ action: 'reassigned', fromStaffId: owner.id, toStaffId: other.id });
    expect(await count(h, 'outbox', `type = $1 AND payload->>'leadId' = $2`, [EVENTS.leadReassigned, lead.id])).toBe(1);

    expect(await h.call(LEADS.markContacted, { id: lead.id }, { actor: salesActor(owner) }).catch(codeOf)).toBe(ErrorCode.Forbidden);
    expect(await h.call(LEADS.markContacted, { id: lead.id }, { actor: salesActor(other) })).toMatchObject({ status: 'contacted' });
    expect(await h.call(LEADS.markContacted, { id: lead.id }, { actor: salesActor(other) }).catch(codeOf)).toBe(ErrorCode.Conflict);
    expect(await h.call(LEADS.loseLead, { id: lead.id, reason: 'bought elsewhere' }, { actor: salesActor(other) })).toMatchObject({ status: 'lost' });
    expect(await h.call(LEADS.loseLead, { id: lead.id, reason: 'again' }, { actor: salesActor(other) }).catch(codeOf)).toBe(ErrorCode.Conflict);
    expect(await reassign(owner.id, ops).catch(codeOf)).toBe(ErrorCode.Conflict);
  });

  it('shows the phone to the owner, their store manager, ops and admin; masks it for the rest; a partner sees its brand alone', async () => {
    await policy('round_robin');
    const brand = newId();
    const store = await seedStore(h, 'Ningbo', [brand]);
    const a = await addStaff(h, { storeId: store });
    const b = await addStaff(h, { storeId: store, dailyCapacity: 0 });
    const booked = await book(h, { city: 'Ningbo', storeId: store, brandIds: [brand] });
    const { id } = await leadOf(h, booked.phone);
    const get = (actor: Actor) => h.call<LeadView>(LEADS.getLead, { id }, { actor });

    expect((await get(salesActor(a))).phone).toBe(booked.phone);
    expect((await get(managerOf(store))).phone).toBe(booked.phone);
    expect((await get(ops)).phone).toBe(booked.phone);
    const colleague = await get(salesActor(b));
    expect(colleague.phone).toBeUndefined();
    expect(colleague.phoneMasked).toBe(`${booked.phone.slice(0, 3)}****${booked.phone.slice(7)}`);
    const partner = await get(partnerOf(brand));
    expect(partner.phone).toBeUndefined();
    expect(partner).toMatchObject({ id, brandIds: [brand], ownerId: a.id });

    expect(await get(partnerOf(newId())).catch(codeOf)).toBe(ErrorCode.NotFound);
    expect(await get(managerOf(newId())).catch(codeOf)).toBe(ErrorCode.NotFound);
    expect(await get({ kind: 'anonymous' }).catch(codeOf)).toBe(ErrorCode.Unauthenticated);

    const mine = await h.call<Page<LeadView>>(LEADS.listLeads, { storeId: store }, { actor: partnerOf(brand) });
    expect(mine.items.map((l) => l.id)).toEqual([id]);
    expect(mine.items[0].phone).toBeUndefined();
    expect((await h.call<Page<LeadView>>(LEADS.listLeads, { storeId: store }, { actor: partnerOf(newId()) })).items).toEqual([]);
    const staffList = await h.call<Page<LeadView>>(LEADS.listLeads, { limit: 100 }, { actor: salesActor(b) });
    expect(staffList.items.every((l) => l.storeId === store)).toBe(true);
    expect(await h.call(LEADS.listLeads, { status: 'draft' }, { actor: ops }).catch(codeOf)).toBe(ErrorCode.BadInput);
  });

  it('moves to visited and won from booking and deal events', async () => {
    const brand = newId();
    const store = await seedStore(h, 'Wuxi', [brand]);
    await addStaff(h, { storeId: store });
    const booked = await book(h, { city: 'Wuxi', storeId: store, brandIds: [brand] });
    const lead = await leadOf(h, booked.phone);
    await h.consumer.handle(envelope(EVENTS.bookingVisited, { ...booked, leadId: lead.id }));
    expect((await leadOf(h, booked.phone)).status).toBe('visited');
    await h.consumer.handle(envelope(EVENTS.dealClosed, { dealId: newId(), phone: booked.phone, leadId: null, storeId: store, brandId: brand }));
    expect((await leadOf(h, booked.phone)).status).toBe('won');
  });
});
