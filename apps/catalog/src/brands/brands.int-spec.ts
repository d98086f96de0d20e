import { ANONYMOUS, ErrorCode } from '@o2o/contracts';
import { admin, agent, CatalogHarness, ops, partnerOf, startCatalog } from '../../test/harness';

describe('brands (real Postgres)', () => {
  let h: CatalogHarness;

  beforeAll(async () => {
    h = await startCatalog();
  });
  afterAll(() => h.close());

  it('lets catalog managers create brands, each announced once in the outbox', async () => {
    const made = await h.brands.create({ name: 'Nine Mu', categories: ['bathroom', 'tiles'] }, ops);
    expect(made).toEqual({ id: expect.any(String), name: 'Nine Mu', categories: ['bathroom', 'tiles'], createdAt: expect.any(String) });
    expect(await h.count(`SELECT count(*) AS n FROM outbox WHERE type = 'brand.created' AND payload->>'id' = $1`, [made.id])).toBe(1);

    const before = await h.count('SELECT count(*) AS n FROM brands');
    for (const actor of [agent, partnerOf(made.id), ANONYMOUS]) {
      await expect(h.brands.create({ name: 'Sneaky', categories: ['tiles'] }, actor)).rejects.toMatchObject({ code: ErrorCode.Forbidden });
    }
    expect(await h.count('SELECT count(*) AS n FROM brands')).toBe(before);
  });

  it("shows a partner its own brand only: another's answers 404", async () => {
    const [mine, theirs] = [await h.brand(), await h.brand()];
    expect(await h.brands.get(mine.id, partnerOf(mine.id))).toEqual(mine);
    await expect(h.brands.get(theirs.id, partnerOf(mine.id))).rejects.toMatchObject({ code: ErrorCode.NotFound });
    expect(await h.brands.get(theirs.id, ANONYMOUS)).toEqual(theirs);
    await expect(h.brands.get('0190f1c2-0000-7000-8000-0000000000ee', admin)).rejects.toMatchObject({ code: ErrorCode.NotFound });
  });

  it('pages through every brand once, in id order', async () => {
    for (let i = 0; i < 5; i++) await h.brand();
    const all = await h.count('SELECT count(*) AS n FROM brands');
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await h.brands.list({ limit: 2, cursor });
      seen.push(...page.items.map((b) => b.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(all);
    expect(seen).toEqual([...seen].sort());
  });
});
