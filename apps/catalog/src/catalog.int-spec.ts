import { Actor, ANONYMOUS, ErrorCode, ProductStatus, Role } from '@o2o/contracts';
import { createDataSource, DomainError } from '@o2o/platform';
import { createTestDatabase, TestDatabase } from '@o2o/testing';
import { DataSource } from 'typeorm';
import { BrandsService } from './brands/brands.service';
import { catalogMigrations } from './migrations';
import { ProductsService } from './products/products.service';
import { StoresService } from './stores/stores.service';

const admin: Actor = { kind: 'staff', userId: 'u-admin', roles: [Role.Admin] };
const partnerOf = (brandId: string): Actor => ({ kind: 'partner', keyId: 'k', brandId });
const codeOf = (e: unknown) => (e instanceof DomainError ? e.code : e);

describe('catalog (real Postgres)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let stores: StoresService;
  let brands: BrandsService;
  let products: ProductsService;
  let seq = 0;

  beforeAll(async () => {
    db = await createTestDatabase([{ schema: 'catalog', migrations: catalogMigrations }]);
    ds = await createDataSource({ url: db.url, schema: 'catalog', migrations: [] }).initialize();
    stores = new StoresService(ds);
    brands = new BrandsService(ds);
    products = new ProductsService(ds);
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  const store = (city = 'Shanghai') => stores.create({ name: `Store ${++seq}`, city, address: '1 Road' });
  const brand = () => brands.create({ name: `Brand ${++seq}`, categories: ['bathroom'] });
  const product = (brandId: string, over: Partial<{ name: string; category: string; priceFen: number }> = {}, actor: Actor = admin) =>
    products.create({ brandId, name: over.name ?? `Product ${++seq}`, category: over.category ?? 'bathroom', skus: [{ code: `S-${++seq}`, priceFen: over.priceFen ?? 1000 }] }, actor);
  const count = async (sql: string, params: unknown[] = []) => Number((await ds.query(sql, params))[0].n);

  it('puts a product on display only where its brand is a tenant, and names unknown stores', async () => {
    const [s, b] = [await store(), await brand()];
    const p = await product(b.id);
    await expect(products.setStores({ id: p.id, storeIds: [s.id] }, admin)).rejects.toMatchObject({ code: ErrorCode.RuleBroken, reason: 'brand_not_tenant' });
    await expect(products.setStores({ id: p.id, storeIds: ['0190f1c2-0000-7000-8000-0000000000ff'] }, admin)).rejects.toMatchObject({ code: ErrorCode.RuleBroken, reason: 'unknown_store' });
    expect(await count('SELECT count(*) AS n FROM product_stores WHERE product_id = $1', [p.id])).toBe(0);

    await stores.join({ storeId: s.id, brandId: b.id, booth: 'B2-018' });
    const shown = await products.setStores({ id: p.id, storeIds: [s.id] }, admin);
    expect(shown.stores).toEqual([{ id: s.id, name: s.name, city: 'Shanghai' }]);
  });

  it('shows only published products to the public, and records publish events in the outbox', async () => {
    const b = await brand();
    const p = await product(b.id, { name: 'Hidden basin' });
    await expect(products.get(p.id, ANONYMOUS)).rejects.toMatchObject({ code: ErrorCode.NotFound });
    expect((await products.list({ brandId: b.id }, ANONYMOUS)).items).toEqual([]);

    await products.setStatus(p.id, ProductStatus.Published, admin);
    await products.setStatus(p.id, ProductStatus.Published, admin); // again: no second event
    expect((await products.list({ brandId: b.id }, ANONYMOUS)).items.map((i) => i.id)).toEqual([p.id]);
    expect(await count(`SELECT count(*) AS n FROM outbox WHERE type = 'product.published' AND payload->>'id' = $1`, [p.id])).toBe(1);

    await products.setStatus(p.id, ProductStatus.Draft, admin);
    expect((await products.list({ brandId: b.id }, ANONYMOUS)).items).toEqual([]);
    expect(await count(`SELECT count(*) AS n FROM outbox WHERE type = 'product.unpublished' AND payload->>'id' = $1`, [p.id])).toBe(1);
  });

  it('keeps a partner to its own brand: another brand answers 404 for reads and writes', async () => {
    const [mine, theirs] = [await brand(), await brand()];
    const partner = partnerOf(mine.id);
    const own = await product(mine.id, {}, partner);
    const foreign = await product(theirs.id);
    await products.setStatus(foreign.id, ProductStatus.Published, admin);

    await expect(product(theirs.id, {}, partner)).rejects.toMatchObject({ code: ErrorCode.NotFound });
    await expect(products.get(foreign.id, partner)).rejects.toMatchObject({ code: ErrorCode.NotFound });
    await expect(products.update({ id: foreign.id, name: 'mine now' }, partner)).rejects.toMatchObject({ code: ErrorCode.NotFound });
    await expect(products.setStatus(foreign.id, ProductStatus.Draft, partner)).rejects.toMatchObject({ code: ErrorCode.NotFound });
    expect((await products.get(own.id, partner)).status).toBe('draft'); // its own drafts, yes
    const listed = await products.list({ status: ProductStatus.Draft }, partner);
    expect(listed.items.map((i) => i.brandId)).toEqual([mine.id]);
    expect((await products.get(foreign.id, admin)).name).toBe(foreign.name);
  });

  it('finds Chinese names by substring and Latin names case-insensitively', async () => {
    const b = await brand();
    const names = ['智能马桶一体机', 'Smart Toilet Pro', '浴室柜', '100% wool rug'];
    for (const name of names) await products.setStatus((await product(b.id, { name })).id, ProductStatus.Published, admin);
    const find = async (q: string) => (await products.list({ brandId: b.id, q }, ANONYMOUS)).items.map((i) => i.name);
    expect(await find('马桶')).toEqual(['智能马桶一体机']);
    expect(await find('一体')).toEqual(['智能马桶一体机']);
    expect(await find('toilet')).toEqual(['Smart Toilet Pro']);
    expect(await find('SMART')).toEqual(['Smart Toilet Pro']);
    expect(await find('100%')).toEqual(['100% wool rug']);
    expect(await find('%')).toEqual(['100% wool rug']); // a literal percent, not a wildcard
  });

  it('filters by city, category, store and price on the cheapest SKU', async () => {
    const b = await brand();
    const [sh, bj] = [await store('Shanghai-f'), await store('Beijing-f')];
    for (const s of [sh, bj]) await stores.join({ storeId: s.id, brandId: b.id });
    const cheap = await products.create({ brandId: b.id, name: 'Tap', category: 'bathroom', skus: [{ code: `A-${++seq}`, priceFen: 500 }, { code: `B-${++seq}`, priceFen: 9000 }] }, admin);
    const dear = await product(b.id, { category: 'tiles', priceFen: 50_000 });
    for (const [p, s] of [[cheap, sh], [dear, bj]] as const) {
      await products.setStatus(p.id, ProductStatus.Published, admin);
      await products.setStores({ id: p.id, storeIds: [s.id] }, admin);
    }
    const ids = async (q: object) => (await products.list({ brandId: b.id, ...q }, ANONYMOUS)).items.map((i) => i.id);
    expect(await ids({ city: 'Shanghai-f' })).toEqual([cheap.id]);
    expect(await ids({ city: 'Beijing-f', category: 'tiles' })).toEqual([dear.id]);
    expect(await ids({ storeId: sh.id })).toEqual([cheap.id]);
    expect(await ids({ maxPriceFen: 500 })).toEqual([cheap.id]);
    expect(await ids({ minPriceFen: 501 })).toEqual([dear.id]);
    expect((await products.get(cheap.id, ANONYMOUS)).fromPriceFen).toBe(500);

    await stores.update({ id: sh.id, city: 'Hangzhou-f' }); // a store that moves takes its display along
    expect(await ids({ city: 'Hangzhou-f' })).toEqual([cheap.id]);
    expect(await ids({ city: 'Shanghai-f' })).toEqual([]);
  });

  it('pages without duplicates or gaps while new products arrive', async () => {
    const b = await brand();
    const original: string[] = [];
    for (let i = 0; i < 25; i++) {
      const p = await product(b.id);
      await products.setStatus(p.id, ProductStatus.Published, admin);
      original.push(p.id);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await products.list({ brandId: b.id, limit: 7, cursor }, ANONYMOUS);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor ?? undefined;
      // Newcomers arrive mid-walk; they sort before the cursor, so the walk neither repeats nor skips.
      const newcomer = await product(b.id);
      await products.setStatus(newcomer.id, ProductStatus.Published, admin);
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...original].sort());
  });

  it('refuses a duplicate SKU code within a brand (409) and an unknown brand (422), writing nothing', async () => {
    const b = await brand();
    const before = await count('SELECT count(*) AS n FROM products');
    await products.create({ brandId: b.id, name: 'First', category: 'bathroom', skus: [{ code: 'DUP-1', priceFen: 100 }] }, admin);
    const dup = await products.create({ brandId: b.id, name: 'Second', category: 'bathroom', skus: [{ code: 'NEW-1', priceFen: 100 }, { code: 'DUP-1', priceFen: 100 }] }, admin).catch(codeOf);
    expect(dup).toBe(ErrorCode.Conflict);
    const twice = await products.create({ brandId: b.id, name: 'Third', category: 'bathroom', skus: [{ code: 'X', priceFen: 1 }, { code: 'X', priceFen: 2 }] }, admin).catch(codeOf);
    expect(twice).toBe(ErrorCode.Conflict);
    const unknown = await product('0190f1c2-0000-7000-8000-0000000000ee').catch(codeOf);
    expect(unknown).toBe(ErrorCode.RuleBroken);
    expect(await count('SELECT count(*) AS n FROM products')).toBe(before + 1);
    expect(await count(`SELECT count(*) AS n FROM skus WHERE code = 'NEW-1'`)).toBe(0);
    // Another brand may use the same code.
    await expect(products.create({ brandId: (await brand()).id, name: 'Other', category: 'bathroom', skus: [{ code: 'DUP-1', priceFen: 100 }] }, admin)).resolves.toBeTruthy();
  });

  it('replaces a product\'s SKUs and its price on PATCH, refusing a code another product of the brand holds', async () => {
    const b = await brand();
    const other = await products.create({ brandId: b.id, name: 'Other', category: 'bathroom', skus: [{ code: 'TAKEN', priceFen: 100 }] }, admin);
    const p = await products.create({ brandId: b.id, name: 'Basin', category: 'bathroom', skus: [{ code: 'B-1', priceFen: 5000 }] }, admin);
    const changed = await products.update({ id: p.id, skus: [{ code: 'B-1', priceFen: 4500 }, { code: 'B-2', priceFen: 8000 }] }, admin);
    expect(changed.skus.map((s) => [s.code, s.priceFen])).toEqual([['B-1', 4500], ['B-2', 8000]]);
    expect(changed.fromPriceFen).toBe(4500);

    const clash = await products.update({ id: p.id, name: 'Renamed', skus: [{ code: 'TAKEN', priceFen: 1 }] }, admin).catch(codeOf);
    expect(clash).toBe(ErrorCode.Conflict);
    const after = await products.get(p.id, admin);
    expect([after.name, after.fromPriceFen, after.skus.length]).toEqual(['Basin', 4500, 2]); // nothing changed
    expect((await products.get(other.id, admin)).skus.map((s) => s.code)).toEqual(['TAKEN']);

    const renamed = await products.update({ id: p.id, name: 'Basin Pro' }, admin); // SKUs left as they are
    expect([renamed.name, renamed.skus.length]).toEqual(['Basin Pro', 2]);
  });
});
