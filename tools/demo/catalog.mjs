// The lasting part of the demo world: stores, brands, products, people, the card campaign and the
// commission rules. Each is found by name first and made only when missing, so a rerun reuses it.

import { ApiError, inPool, until } from './http.mjs';
import { AGENTS, BRANDS, CAMPAIGN, COMMISSION_RULES, PERSON_NAMES, STAFF_PASSWORD, STORE_TEAM, STORES } from './dataset.mjs';

const DAY_MS = 86_400_000;
const CONCURRENCY = 4;

/** Everything the traffic needs to know about the world, ids included. */
export async function ensureWorld(admin, progress) {
  progress.step('stores and brands');
  const stores = await ensureStores(admin, progress);
  const brands = await ensureBrands(admin, progress);
  progress.step('tenancies and products');
  await inPool(
    stores.flatMap((store) => brands.map((brand, i) => ({ store, brand, booth: `${String.fromCharCode(65 + (i % 5))}${Math.floor(i / 5) + 1}-${100 + i}` }))),
    CONCURRENCY,
    async ({ store, brand, booth }) => {
      // PUT is idempotent: a tenancy already there is left as it is.
      await admin.put(`/v1/stores/${store.id}/brands/${brand.id}`, { booth });
      progress.tick();
    },
  );
  await inPool(brands, CONCURRENCY, (brand) => ensureProducts(admin, brand, stores, progress));
  progress.step('staff and logins');
  const people = await ensurePeople(admin, stores, brands, progress);
  progress.step('campaign, rules and policy');
  const campaign = await ensureCampaign(admin);
  progress.tick();
  await ensureRules(admin);
  progress.tick();
  await waitForBookingToKnow(admin, stores, progress);
  return { stores, brands, campaign, ...people };
}

/** The world as the dataset describes it, without ids: enough to estimate a batch before it is set up. */
export function worldSketch() {
  const brands = BRANDS.map((b) => ({ ...b, id: b.name, products: b.products.map((p) => ({ ...p, id: p.name })) }));
  const stores = STORES.map((s) => ({ ...s, id: s.code }));
  const storeStaff = stores.flatMap((store) =>
    STORE_TEAM.map((m) => ({
      id: `${store.code}-${m.suffix}`,
      storeId: store.id,
      role: m.role ?? 'store_staff',
      brandIds: m.brands === 'all' ? brands.map((b) => b.id) : m.brands.map((i) => brands[i].id),
    })),
  );
  return { stores, brands, agents: AGENTS.map((a) => ({ ...a, id: a.username })), storeStaff };
}

/** Units of work ensureWorld reports, for the progress bar. */
export const worldUnits = () =>
  STORES.length + BRANDS.length + STORES.length * BRANDS.length + BRANDS.length * 2 + STORES.length * STORE_TEAM.length + AGENTS.length + 2 + STORES.length;

async function ensureStores(admin, progress) {
  const found = await admin.all('/v1/stores');
  const out = [];
  for (const spec of STORES) {
    const existing = found.find((s) => s.name === spec.name && s.city === spec.city);
    const store =
      existing ??
      (await admin.post('/v1/stores', {
        name: spec.name,
        city: spec.city,
        district: spec.district,
        address: spec.address,
        timeZone: 'Asia/Shanghai',
        opensAt: '10:00',
        closesAt: '21:00',
        slotMinutes: 60,
        slotCapacity: 6,
      }));
    out.push({ ...spec, id: store.id, reused: Boolean(existing), opensAt: store.opensAt, closesAt: store.closesAt, slotMinutes: store.slotMinutes });
    progress.tick();
  }
  return out;
}

async function ensureBrands(admin, progress) {
  const found = await admin.all('/v1/brands');
  const out = [];
  for (const spec of BRANDS) {
    const existing = found.find((b) => b.name === spec.name);
    const brand = existing ?? (await admin.post('/v1/brands', { name: spec.name, categories: [spec.category] }));
    out.push({ ...spec, id: brand.id, reused: Boolean(existing), products: [] });
    progress.tick();
  }
  return out;
}

/** The brand's products by name, made, put on display in every store and published when missing. */
async function ensureProducts(admin, brand, stores, progress) {
  // Drafts too: a run stopped between making a product and publishing it finishes the job.
  const found = [...(await admin.all(`/v1/products?brandId=${brand.id}`)), ...(await admin.all(`/v1/products?brandId=${brand.id}&status=draft`))];
  for (const spec of BRANDS.find((b) => b.name === brand.name).products) {
    let product = found.find((p) => p.name === spec.name);
    product ??= await admin.post('/v1/products', {
      brandId: brand.id,
      name: spec.name,
      category: brand.category,
      style: spec.style,
      description: `${spec.name}: on display in our stores, one price online and offline.`,
      skus: spec.skus,
    });
    if (product.status !== 'published') {
      await admin.put(`/v1/products/${product.id}/stores`, { storeIds: stores.map((s) => s.id) });
      await admin.post(`/v1/products/${product.id}/publish`);
    }
    brand.products.push({ id: product.id, name: spec.name, skus: spec.skus });
    progress.tick();
  }
}

/**
 * Online agents and each store's team, found by username in the staff list or made with their
 * logins; then each signs in, so every action is taken by its own person (and rate-limit bucket).
 */
async function ensurePeople(admin, stores, brands, progress) {
  const roster = await admin.all('/v1/staff');
  const byUsername = new Map(roster.filter((s) => s.username).map((s) => [s.username, s]));
  let nameIndex = 0;

  const wanted = [
    ...AGENTS.map((a) => ({ username: a.username, body: { name: a.name, team: 'online', brandIds: brands.map((b) => b.id), dailyCapacity: 60 } })),
    ...stores.flatMap((store) =>
      STORE_TEAM.map((member) => ({
        username: `demo-${store.code}-${member.suffix}`,
        store,
        body: {
          name: `${member.name} ${PERSON_NAMES[nameIndex++ % PERSON_NAMES.length]} (${store.code})`,
          team: 'offline',
          storeId: store.id,
          brandIds: member.brands === 'all' ? brands.map((b) => b.id) : member.brands.map((i) => brands[i].id),
          dailyCapacity: 40,
          ...(member.role ? { role: member.role } : {}),
        },
      })),
    ),
  ];

  const people = await inPool(wanted, CONCURRENCY, async (w) => {
    let staff = byUsername.get(w.username);
    if (!staff) {
      try {
        staff = await admin.post('/v1/staff', { ...w.body, active: true, username: w.username, password: STAFF_PASSWORD });
      } catch (e) {
        // Taken meanwhile, or by a login the roster does not list: read it back by name.
        if (!(e instanceof ApiError && e.status === 409)) throw e;
        staff = (await admin.all('/v1/staff')).find((s) => s.username === w.username);
        if (!staff) throw new Error(`the username ${w.username} is taken by a login that is not on the staff roster`);
      }
    }
    const login = await admin.as(undefined).post('/v1/auth/login', { username: w.username, password: STAFF_PASSWORD });
    progress.tick();
    return {
      id: staff.id,
      name: staff.name ?? w.body.name,
      username: w.username,
      role: staff.role,
      storeId: staff.storeId ?? w.store?.id ?? null,
      brandIds: staff.brandIds ?? w.body.brandIds,
      api: admin.as(login.accessToken),
    };
  });
  return { agents: people.filter((p) => !p.storeId), storeStaff: people.filter((p) => p.storeId) };
}

/** The 1-yuan card campaign, made again under a dated name only when the one found has run out. */
async function ensureCampaign(admin) {
  const campaigns = await admin.all('/v1/card-campaigns');
  const usable = campaigns.find(
    (c) => c.name.startsWith(CAMPAIGN.name) && Date.parse(c.validFrom) <= Date.now() && Date.parse(c.validTo) > Date.now() + 30 * DAY_MS && c.remaining !== 0,
  );
  if (usable) return usable;
  const dated = campaigns.some((c) => c.name === CAMPAIGN.name) ? `${CAMPAIGN.name} ${new Date().toISOString().slice(0, 10)}` : CAMPAIGN.name;
  return admin.post('/v1/card-campaigns', {
    name: dated,
    priceFen: CAMPAIGN.priceFen,
    benefit: CAMPAIGN.benefit,
    validFrom: new Date(Date.now() - DAY_MS).toISOString(),
    validTo: new Date(Date.now() + CAMPAIGN.validDays * DAY_MS).toISOString(),
    perPhoneLimit: 1,
  });
}

/** Commission rules and an assignment policy, put only when the stack has none of its own. */
async function ensureRules(admin) {
  try {
    await admin.get('/v1/commission-rules');
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 404)) throw e;
    await admin.put('/v1/commission-rules', COMMISSION_RULES);
  }
  try {
    await admin.get('/v1/assignment-policy');
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 404)) throw e;
    await admin.put('/v1/assignment-policy', { strategy: 'least_loaded', contactSlaMinutes: 30, protectionDays: 30 });
  }
}

/** Booking learns of stores from catalog's events: its slots answer once it has. */
async function waitForBookingToKnow(admin, stores, progress) {
  const day = new Date(Date.now() + DAY_MS).toISOString().slice(0, 10);
  for (const store of stores) {
    await until(
      `booking to know store ${store.name}`,
      async () => {
        try {
          return (await admin.get(`/v1/stores/${store.id}/slots?date=${day}`)).length > 0;
        } catch (e) {
          if (e instanceof ApiError && e.status === 404) return false;
          throw e;
        }
      },
      30_000,
      200,
    );
    progress.tick();
  }
}
