import { ErrorCode } from '@o2o/contracts';
import { admin, agent, CatalogHarness, codeOf, ops, partnerOf, startCatalog } from '../../test/harness';

describe('stores (real Postgres)', () => {
  let h: CatalogHarness;

  beforeAll(async () => {
    h = await startCatalog();
  });
  afterAll(() => h.close());

  const outbox = (type: string, id: string) =>
    h.count(`SELECT count(*) AS n FROM outbox WHERE type = $1 AND (payload->>'id' = $2 OR payload->>'storeId' = $2)`, [type, id]);

  it('opens a store with default hours and slots, and announces it', async () => {
    const s = await h.stores.create({ name: 'Zhenbei', city: 'Shanghai', address: '1 Zhenbei Rd' }, ops);
    expect(s).toMatchObject({
      city: 'Shanghai',
      district: null,
      timeZone: 'Asia/Shanghai',
      opensAt: '10:00',
      closesAt: '21:00',
      slotMinutes: 60,
      slotCapacity: 4,
    });
    expect(await h.stores.get(s.id)).toEqual(s);
    expect(await outbox('store.created', s.id)).toBe(1);
  });

  it('changes only what an update names, refuses hours that end before they start, and announces each change', async () => {
    const s = await h.store('Suzhou');
    const moved = await h.stores.update({ id: s.id, district: 'Gusu', slotCapacity: 8 }, admin);
    expect(moved).toMatchObject({ name: s.name, city: 'Suzhou', district: 'Gusu', slotCapacity: 8, opensAt: '10:00' });
    expect(await h.stores.update({ id: s.id, opensAt: '22:00' }, admin).catch(codeOf)).toBe(ErrorCode.BadInput);
    expect(await h.stores.create({ name: 'Late', city: 'Suzhou', address: 'A', opensAt: '21:00', closesAt: '09:00' }, admin).catch(codeOf)).toBe(
      ErrorCode.BadInput,
    );
    expect((await h.stores.get(s.id)).opensAt).toBe('10:00');
    expect(await outbox('store.updated', s.id)).toBe(1);
    await expect(h.stores.update({ id: '0190f1c2-0000-7000-8000-0000000000ee', name: 'Nowhere' }, admin)).rejects.toMatchObject({ code: ErrorCode.NotFound });
  });

  it('lists stores by city, a page at a time', async () => {
    const city = `Wuxi-${Date.now()}`;
    const made = [await h.store(city), await h.store(city), await h.store(city)].map((s) => s.id).sort();
    const first = await h.stores.list({ city, limit: 2 });
    const second = await h.stores.list({ city, limit: 2, cursor: first.nextCursor ?? undefined });
    expect([...first.items, ...second.items].map((s) => s.id)).toEqual(made);
    expect(second.nextCursor).toBeNull();
  });

  it('makes a brand a tenant once, renames its booth, and refuses unknown stores and brands', async () => {
    const [s, b] = [await h.store(), await h.brand()];
    expect(await h.stores.join({ storeId: s.id, brandId: b.id, booth: 'B2-018' }, admin)).toEqual({ storeId: s.id, brandId: b.id, booth: 'B2-018' });
    expect(await h.stores.join({ storeId: s.id, brandId: b.id, booth: 'B2-020' }, admin)).toEqual({ storeId: s.id, brandId: b.id, booth: 'B2-020' });
    expect(await h.count('SELECT count(*) AS n FROM booths WHERE store_id = $1', [s.id])).toBe(1);
    expect(await outbox('brand.joined_store', s.id)).toBe(2);

    const nowhere = '0190f1c2-0000-7000-8000-0000000000ee';
    await expect(h.stores.join({ storeId: nowhere, brandId: b.id }, admin)).rejects.toMatchObject({ code: ErrorCode.NotFound });
    await expect(h.stores.join({ storeId: s.id, brandId: nowhere }, admin)).rejects.toMatchObject({ code: ErrorCode.NotFound });
  });

  it('lets only catalog managers change stores, even when called past the gateway', async () => {
    const [s, b] = [await h.store(), await h.brand()];
    const before = await h.count('SELECT count(*) AS n FROM stores');
    for (const actor of [agent, partnerOf(b.id)]) {
      await expect(h.stores.create({ name: 'Rogue', city: 'C', address: 'A' }, actor)).rejects.toMatchObject({ code: ErrorCode.Forbidden });
      await expect(h.stores.update({ id: s.id, name: 'Renamed' }, actor)).rejects.toMatchObject({ code: ErrorCode.Forbidden });
      await expect(h.stores.join({ storeId: s.id, brandId: b.id }, actor)).rejects.toMatchObject({ code: ErrorCode.Forbidden });
    }
    expect(await h.count('SELECT count(*) AS n FROM stores')).toBe(before);
    expect((await h.stores.get(s.id)).name).toBe(s.name);
    expect(await h.count('SELECT count(*) AS n FROM booths WHERE store_id = $1', [s.id])).toBe(0);
  });
});
