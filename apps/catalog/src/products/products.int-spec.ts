import { ANONYMOUS, ErrorCode, ProductStatus } from '@o2o/contracts';
import { admin, agent, CatalogHarness, codeOf, ops, partnerOf, startCatalog, unique } from '../../test/harness';

describe('products (real Postgres)', () => {
  let h: CatalogHarness;

  beforeAll(async () => {
    h = await startCatalog();
  });
  afterAll(() => h.close());

  it('puts a product on display only where its brand is a tenant, and names unknown stores', async () => {
    const [s, b] = [await h.store(), await h.brand()];
    const p = await h.product(b.id);
    await expect(h.products.setStores({ id: p.id, storeIds: [s.id] }, admin)).rejects.toMatchObject({ code: ErrorCode.RuleBroken, reason: 'brand_not_tenant' });
    await expect(h.products.setStores({ id: p.id, storeIds: ['0190f1c2-0000-7000-8000-0000000000ff'] }, admin)).rejects.toMatchObject({
      code: ErrorCode.RuleBroken,
      reason: 'unknown_store',
    });
    expect(await h.count('SELECT count(*) AS n FROM product_stores WHERE product_id = $1', [p.id])).toBe(0);

    await h.stores.join({ storeId: s.id, brandId: b.id, booth: 'B2-018' }, admin);
    const shown = await h.products.setStores({ id: p.id, storeIds: [s.id] }, admin);
    expect(shown.stores).toEqual([{ id: s.id, name: s.name, city: 'Shanghai' }]);
    expect((await h.products.setStores({ id: p.id, storeIds: [] }, admin)).stores).toEqual([]);
  });

  it('shows only published products to the public, and records publish events in the outbox', async () => {
    const b = await h.brand();
    const p = await h.product(b.id, { name: 'Hidden basin' });
    await expect(h.products.get(p.id, ANONYMOUS)).rejects.toMatchObject({ code: ErrorCode.NotFound });
    expect((await h.products.list({ brandId: b.id }, ANONYMOUS)).items).toEqual([]);

    await h.products.setStatus(p.id, ProductStatus.Published, admin);
    await h.products.setStatus(p.id, ProductStatus.Published, admin); // again: no second event
    expect((await h.products.list({ brandId: b.id }, ANONYMOUS)).items.map((i) => i.id)).toEqual([p.id]);
    expect(await h.count(`SELECT count(*) AS n FROM outbox WHERE type = 'product.published' AND payload->>'id' = $1`, [p.id])).toBe(1);

    await h.products.setStatus(p.id, ProductStatus.Draft, admin);
    expect((await h.products.list({ brandId: b.id }, ANONYMOUS)).items).toEqual([]);
    expect(await h.count(`SELECT count(*) AS n FROM outbox WHERE type = 'product.unpublished' AND payload->>'id' = $1`, [p.id])).toBe(1);
  });

  it('keeps a partner to its own brand: another brand answers 404 for reads and writes', async () => {
    const [mine, theirs] = [await h.brand(), await h.brand()];
    const partner = partnerOf(mine.id);
    const own = await h.product(mine.id, {}, partner);
    const foreign = await h.product(theirs.id);
    await h.products.setStatus(foreign.id, ProductStatus.Published, admin);

    await expect(h.product(theirs.id, {}, partner)).rejects.toMatchObject({ code: ErrorCode.NotFound });
    await expect(h.products.get(foreign.id, partner)).rejects.toMatchObject({ code: ErrorCode.NotFound });
    await expect(h.products.update({ id: foreign.id, name: 'mine now' }, partner)).rejects.toMatchObject({ code: ErrorCode.NotFound });
    await expect(h.products.setStatus(foreign.id, ProductStatus.Draft, partner)).rejects.toMatchObject({ code: ErrorCode.NotFound });
    await expect(h.products.setStores({ id: foreign.id, storeIds: [] }, partner)).rejects.toMatchObject({ code: ErrorCode.NotFound });
    expect((await h.products.get(own.id, partner)).status).toBe('draft'); // its own drafts, yes
    const listed = await h.products.list({ status: ProductStatus.Draft }, partner);
    expect(listed.items.map((i) => i.brandId)).toEqual([mine.id]);
    expect((await h.products.get(foreign.id, admin)).name).toBe(foreign.name);
  });

  it('lets catalog managers and partners write products, and no other staff or the public', async () => {
    const b = await h.brand();
    const p = await h.product(b.id, {}, ops);
    for (const actor of [agent, ANONYMOUS]) {
      await expect(h.product(b.id, {}, actor)).rejects.toMatchObject({ code: ErrorCode.Forbidden });
      await expect(h.products.update({ id: p.id, name: 'taken over' }, actor)).rejects.toMatchObject({ code: ErrorCode.Forbidden });
      await expect(h.products.setStatus(p.id, ProductStatus.Published, actor)).rejects.toMatchObject({ code: ErrorCode.Forbidden });
      await expect(h.products.setStores({ id: p.id, storeIds: [] }, actor)).rejects.toMatchObject({ code: ErrorCode.Forbidden });
    }
    const after = await h.products.get(p.id, ops);
    expect([after.name, after.status]).toEqual([p.name, ProductStatus.Draft]);
    expect(await h.count('SELECT count(*) AS n FROM products WHERE brand_id = $1', [b.id])).toBe(1);
    // Drafts stay hidden from staff who do not manage the catalog.
    await expect(h.products.get(p.id, agent)).rejects.toMatchObject({ code: ErrorCode.NotFound });
    expect((await h.products.list({ brandId: b.id, status: ProductStatus.Draft }, agent)).items).toEqual([]);
  });

  it('finds Chinese names by substring and Latin names case-insensitively', async () => {
    const b = await h.brand();
    const names = ['智能马桶一体机', 'Smart Toilet Pro', '浴室柜', '100% wool rug'];
    for (const name of names) await h.products.setStatus((await h.product(b.id, { name })).id, ProductStatus.Published, admin);
    const find = async (q: string) => (await h.products.list({ brandId: b.id, q }, ANONYMOUS)).items.map((i) => i.name);
    expect(await find('马桶')).toEqual(['智能马桶一体机']);
    expect(await find('一体')).toEqual(['智能马桶一体机']);
    expect(await find('toilet')).toEqual(['Smart Toilet Pro']);
    expect(await find('SMART')).toEqual(['Smart Toilet Pro']);
    expect(await find('100%')).toEqual(['100% wool rug']);
    expect(await find('%')).toEqual(['100% wool rug']); // a literal percent, not a wildcard
  });

  it('filters by city, category, store and price on the cheapest SKU', async () => {
    const b = await h.brand();
    const [sh, bj] = [await h.store('Shanghai-f'), await h.store('Beijing-f')];
    for (const s of [sh, bj]) await h.stores.join({ storeId: s.id, brandId: b.id }, admin);
    const cheap = await h.product(b.id, {
      name: 'Tap',
      skus: [
        { code: unique('A'), priceFen: 500 },
        { code: unique('B'), priceFen: 9000 },
      ],
    });
    const dear = await h.product(b.id, { category: 'tiles', priceFen: 50_000 });
    for (const [p, s] of [
      [cheap, sh],
      [dear, bj],
    ] as const) {
      await h.products.setStatus(p.id, ProductStatus.Published, admin);
      await h.products.setStores({ id: p.id, storeIds: [s.id] }, admin);
    }
    const ids = async (q: object) => (await h.products.list({ brandId: b.id, ...q }, ANONYMOUS)).items.map((i) => i.id);
    expect(await ids({ city: 'Shanghai-f' })).toEqual([cheap.id]);
    expect(await ids({ city: 'Beijing-f', category: 'tiles' })).toEqual([dear.id]);
    expect(await ids({ storeId: sh.id })).toEqual([cheap.id]);
    expect(await ids({ maxPriceFen: 500 })).toEqual([cheap.id]);
    expect(await ids({ minPriceFen: 501 })).toEqual([dear.id]);
    expect((await h.products.get(cheap.id, ANONYMOUS)).fromPriceFen).toBe(500);

    await h.stores.update({ id: sh.id, city: 'Hangzhou-f' }, admin); // a store that moves takes its display along
    expect(await ids({ city: 'Hangzhou-f' })).toEqual([cheap.id]);
    expect(await ids({ city: 'Shanghai-f' })).toEqual([]);
  });

  it('pages without duplicates or gaps while new products arrive', async () => {
    const b = await h.brand();
    const original: string[] = [];
    for (let i = 0; i < 25; i++) {
      const p = await h.product(b.id);
      await h.products.setStatus(p.id, ProductStatus.Published, admin);
      original.push(p.id);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await h.products.list({ brandId: b.id, limit: 7, cursor }, ANONYMOUS);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor ?? undefined;
      // Newcomers arrive mid-walk; they sort before the cursor, so the walk neither repeats nor skips.
      const newcomer = await h.product(b.id);
      await h.products.setStatus(newcomer.id, ProductStatus.Published, admin);
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...original].sort());
  });

  it('refuses a duplicate SKU code within a brand (409) and an unknown brand (422), writing nothing', async () => {
    const b = await h.brand();
    const before = await h.count('SELECT count(*) AS n FROM products');
    await h.product(b.id, { name: 'First', skus: [{ code: 'DUP-1', priceFen: 100 }] });
    const dup = await h
      .product(b.id, {
        name: 'Second',
        skus: [
          { code: 'NEW-1', priceFen: 100 },
          { code: 'DUP-1', priceFen: 100 },
        ],
      })
      .catch(codeOf);
    expect(dup).toBe(ErrorCode.Conflict);
    const twice = await h
      .product(b.id, {
        name: 'Third',
        skus: [
          { code: 'X', priceFen: 1 },
          { code: 'X', priceFen: 2 },
        ],
      })
      .catch(codeOf);
    expect(twice).toBe(ErrorCode.Conflict);
    const unknown = await h.product('0190f1c2-0000-7000-8000-0000000000ee').catch(codeOf);
    expect(unknown).toBe(ErrorCode.RuleBroken);
    expect(await h.count('SELECT count(*) AS n FROM products')).toBe(before + 1);
    expect(await h.count(`SELECT count(*) AS n FROM skus WHERE code = 'NEW-1'`)).toBe(0);
    // Another brand may use the same code.
    await expect(h.product((await h.brand()).id, { name: 'Other', skus: [{ code: 'DUP-1', priceFen: 100 }] })).resolves.toBeTruthy();
  });

  it("replaces a product's SKUs and its price on PATCH, refusing a code another product of the brand holds", async () => {
    const b = await h.brand();
    const other = await h.product(b.id, { name: 'Other', skus: [{ code: 'TAKEN', priceFen: 100 }] });
    const p = await h.product(b.id, { name: 'Basin', skus: [{ code: 'B-1', priceFen: 5000 }] });
    const changed = await h.products.update(
      {
        id: p.id,
        skus: [
          { code: 'B-1', priceFen: 4500 },
          { code: 'B-2', priceFen: 8000 },
        ],
      },
      admin,
    );
    expect(changed.skus.map((s) => [s.code, s.priceFen])).toEqual([
      ['B-1', 4500],
      ['B-2', 8000],
    ]);
    expect(changed.fromPriceFen).toBe(4500);

    const clash = await h.products.update({ id: p.id, name: 'Renamed', skus: [{ code: 'TAKEN', priceFen: 1 }] }, admin).catch(codeOf);
    expect(clash).toBe(ErrorCode.Conflict);
    const after = await h.products.get(p.id, admin);
    expect([after.name, after.fromPriceFen, after.skus.length]).toEqual(['Basin', 4500, 2]); // nothing changed
    expect((await h.products.get(other.id, admin)).skus.map((s) => s.code)).toEqual(['TAKEN']);

    const renamed = await h.products.update({ id: p.id, name: 'Basin Pro' }, admin); // SKUs left as they are
    expect([renamed.name, renamed.skus.length]).toEqual(['Basin Pro', 2]);
  });
});
