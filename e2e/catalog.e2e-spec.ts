import { Client } from 'pg';
import { http, RunningStack, startStack } from './support/stack';

jest.setTimeout(180_000);

describe('catalog through the gateway', () => {
  let stack: RunningStack;
  let admin: string;
  let db: Client;
  const as = (token: string) => ({ token });

  beforeAll(async () => {
    stack = await startStack();
    admin = (await http<{ accessToken: string }>(stack.url, 'POST', '/v1/auth/login', { body: { username: 'admin', password: 'admin' } })).body.accessToken;
    db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    if (stack) await stack.stop();
  });

  const productCount = async () => Number((await db.query('SELECT count(*) AS n FROM catalog.products')).rows[0].n);
  const newBrand = async (name: string) =>
    (await http<{ id: string }>(stack.url, 'POST', '/v1/brands', { ...as(admin), body: { name, categories: ['bathroom'] } })).body.id;

  it('answers each kind of bad input as the contract says, and writes nothing', async () => {
    const brandId = await newBrand('Careful brand');
    const good = { brandId, name: '智能马桶一体机', category: 'bathroom', skus: [{ code: 'OK-1', priceFen: 399900 }] };
    expect((await http(stack.url, 'POST', '/v1/products', { ...as(admin), body: good })).status).toBe(201);
    const before = await productCount();

    const cases: [string, unknown, number, string?][] = [
      ['zero price', { ...good, skus: [{ code: 'Z', priceFen: 0 }] }, 400, 'skus.0.priceFen'],
      ['negative price', { ...good, skus: [{ code: 'N', priceFen: -1 }] }, 400, 'skus.0.priceFen'],
      ['empty name', { ...good, name: '' }, 400, 'name'],
      ['over-long name', { ...good, name: 'x'.repeat(201) }, 400, 'name'],
      ['non-URL image', { ...good, images: ['javascript:alert(1)'] }, 400, 'images'],
      ['duplicate SKU code within the brand', { ...good, skus: [{ code: 'OK-1', priceFen: 100 }] }, 409],
      ['unknown brand', { ...good, brandId: '0190f1c2-0000-7000-8000-0000000000aa', skus: [{ code: 'U', priceFen: 100 }] }, 422],
    ];
    for (const [what, body, status, field] of cases) {
      const res = await http<{ errors?: { field: string }[] }>(stack.url, 'POST', '/v1/products', { ...as(admin), body });
      expect({ what, status: res.status, problem: res.type.includes('problem+json') }).toEqual({ what, status, problem: true });
      if (field) expect(res.body.errors?.map((e) => e.field)).toContain(field);
    }
    expect(await productCount()).toBe(before);

    const badZone = await http<{ errors: { field: string }[] }>(stack.url, 'POST', '/v1/stores', {
      ...as(admin),
      body: { name: 'S', city: 'C', address: 'A', timeZone: 'Mars/Olympus' },
    });
    expect(badZone.status).toBe(400);
    expect(badZone.body.errors.map((e) => e.field)).toContain('timeZone');

    const drafts = await http<{ items: { id: string }[] }>(stack.url, 'GET', `/v1/products?brandId=${brandId}&status=draft`, as(admin));
    const id = drafts.body.items[0].id;
    const badCursor = await http(stack.url, 'GET', `/v1/products?cursor=${Buffer.from('["nope"]').toString('base64url')}`);
    expect([badCursor.status, badCursor.type.includes('problem+json')]).toEqual([400, true]);
    expect((await http(stack.url, 'GET', '/v1/products?maxPriceFen=99999999999999999999')).status).toBe(400);
    const badId = await http<{ errors: { field: string }[] }>(stack.url, 'GET', '/v1/products/not-a-uuid');
    expect(badId.status).toBe(400);
    expect(badId.body.errors).toEqual([{ field: 'id', message: 'id must be a UUID' }]);

    const unknownStore = await http(stack.url, 'PUT', `/v1/products/${id}/stores`, {
      ...as(admin),
      body: { storeIds: ['0190f1c2-0000-7000-8000-0000000000bb'] },
    });
    expect(unknownStore.status).toBe(422);
  });

  it('replays a product POST under the same Idempotency-Key and refuses the key for another body', async () => {
    const brandId = await newBrand('Replayed brand');
    const body = { brandId, name: 'Mirror', category: 'bathroom', skus: [{ code: 'M1', priceFen: 19900 }] };
    const send = (b: object) => http<{ id: string }>(stack.url, 'POST', '/v1/products', { ...as(admin), body: b, headers: { 'idempotency-key': 'mirror-1' } });
    const first = await send(body);
    const again = await send({ ...body, skus: [{ priceFen: 19900, code: 'M1' }] }); // same JSON, keys in another order
    const other = await send({ ...body, name: 'Mirror XL' });
    expect([first.status, again.status, other.status]).toEqual([201, 201, 422]);
    expect(again.body.id).toBe(first.body.id);
    expect(Number((await db.query('SELECT count(*) AS n FROM catalog.products WHERE brand_id = $1', [brandId])).rows[0].n)).toBe(1);
  });

  it('keeps a partner key to its own brand, and the public to published products', async () => {
    const [mine, theirs] = [await newBrand('Mine'), await newBrand('Theirs')];
    const key = (await http<{ key: string }>(stack.url, 'POST', `/v1/brands/${mine}/api-keys`, as(admin))).body.key;
    const partner = { headers: { 'x-api-key': key } };
    const own = await http<{ id: string; status: string }>(stack.url, 'POST', '/v1/products', {
      ...partner,
      body: { brandId: mine, name: 'Basin', category: 'bathroom', skus: [{ code: 'B1', priceFen: 99900 }] },
    });
    expect(own.status).toBe(201);
    const foreign = await http<{ id: string }>(stack.url, 'POST', '/v1/products', {
      ...as(admin),
      body: { brandId: theirs, name: 'Tile', category: 'tiles', skus: [{ code: 'T1', priceFen: 9900 }] },
    });
    await http(stack.url, 'POST', `/v1/products/${foreign.body.id}/publish`, as(admin));

    expect(
      (
        await http(stack.url, 'POST', '/v1/products', {
          ...partner,
          body: { brandId: theirs, name: 'X', category: 'tiles', skus: [{ code: 'X1', priceFen: 1 }] },
        })
      ).status,
    ).toBe(404);
    expect((await http(stack.url, 'GET', `/v1/products/${foreign.body.id}`, partner)).status).toBe(404);
    expect((await http(stack.url, 'PATCH', `/v1/products/${foreign.body.id}`, { ...partner, body: { name: 'mine' } })).status).toBe(404);
    expect((await http(stack.url, 'POST', `/v1/products/${foreign.body.id}/unpublish`, partner)).status).toBe(404);
    expect((await http(stack.url, 'POST', '/v1/stores', { ...partner, body: { name: 'S', city: 'C', address: 'A' } })).status).toBe(403);

    expect((await http(stack.url, 'GET', `/v1/products/${own.body.id}`)).status).toBe(404); // a draft, to the public
    expect((await http(stack.url, 'POST', `/v1/products/${own.body.id}/publish`, partner)).status).toBe(200);
    expect((await http<{ status: string }>(stack.url, 'GET', `/v1/products/${own.body.id}`)).body.status).toBe('published');
  });

  it('answers public catalog reads with an ETag and Cache-Control, 304 to a matching If-None-Match, and a new body once the product changes', async () => {
    const get = async (pathname: string, headers: Record<string, string> = {}) => {
      const res = await fetch(stack.url + pathname, { headers });
      const text = await res.text();
      return { status: res.status, etag: res.headers.get('etag'), cacheControl: res.headers.get('cache-control'), text };
    };
    const brandId = await newBrand('Conditional brand');
    const made = await http<{ id: string }>(stack.url, 'POST', '/v1/products', {
      ...as(admin),
      body: { brandId, name: 'Vanity 80', category: 'bathroom', skus: [{ code: 'V80', priceFen: 259900 }] },
    });
    const id = made.body.id;
    expect((await http(stack.url, 'POST', `/v1/products/${id}/publish`, as(admin))).status).toBe(200);

    const detail = `/v1/products/${id}`;
    const list = `/v1/products?brandId=${brandId}`;
    const seen: Record<string, string> = {};
    for (const pathname of [detail, list, '/v1/brands', `/v1/brands/${brandId}`, '/v1/stores']) {
      const first = await get(pathname);
      expect({ pathname, status: first.status, cacheControl: first.cacheControl }).toEqual({ pathname, status: 200, cacheControl: 'public, max-age=30' });
      expect(first.etag).toMatch(/^W\/"[^"]+"$/);
      seen[pathname] = first.etag!;
      // The same answer again: 304, no body, the same validator.
      const again = await get(pathname, { 'if-none-match': first.etag! });
      expect({ pathname, status: again.status, text: again.text, etag: again.etag }).toEqual({ pathname, status: 304, text: '', etag: first.etag });
      // A list of tags, one of them current, matches too; another tag does not.
      expect((await get(pathname, { 'if-none-match': `W/"other", ${first.etag}` })).status).toBe(304);
      expect((await get(pathname, { 'if-none-match': 'W/"other"' })).status).toBe(200);
    }
    expect(JSON.parse((await get(detail)).text).name).toBe('Vanity 80');

    // A caller with credentials may see more than the public: private, revalidated each time.
    const staff = await get(detail, { authorization: `Bearer ${admin}` });
    expect([staff.status, staff.cacheControl]).toEqual([200, 'private, no-cache']);

    // The product changes: the old tags get the new body, never a 304.
    const renamed = await fetch(`${stack.url}${detail}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Vanity 80 Pro' }),
    });
    expect([renamed.status, renamed.headers.get('etag')]).toEqual([200, null]); // a write is never cacheable
    const changed = await get(detail, { 'if-none-match': seen[detail] });
    expect(changed.status).toBe(200);
    expect(JSON.parse(changed.text).name).toBe('Vanity 80 Pro');
    expect(changed.etag).not.toBe(seen[detail]);
    const changedList = await get(list, { 'if-none-match': seen[list] });
    expect(changedList.status).toBe(200);
    expect((JSON.parse(changedList.text) as { items: { name: string }[] }).items.map((p) => p.name)).toEqual(['Vanity 80 Pro']);
    expect((await get(detail, { 'if-none-match': changed.etag! })).status).toBe(304);

    // Unpublished, it is gone for the public, whatever tag the client holds.
    expect((await http(stack.url, 'POST', `/v1/products/${id}/unpublish`, as(admin))).status).toBe(200);
    const gone = await get(detail, { 'if-none-match': changed.etag! });
    expect([gone.status, gone.etag]).toEqual([404, null]);
    const emptied = await get(list, { 'if-none-match': changedList.etag! });
    expect(emptied.status).toBe(200);
    expect(JSON.parse(emptied.text).items).toEqual([]);
  });
});
