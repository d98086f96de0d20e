// One batch of traffic: planned up front from a seeded generator, then played through the API
// step by step (visits, consultations, bookings, cards, confirmations, check-ins, deals, refunds),
// each action taken by the person who would take it. Everything made is recorded for the manifest.

import { ApiError, inPool, sleep } from './http.mjs';
import { CAMPAIGN, CHANNELS, LANDING_PAGES, SHAPE, STYLES, randomSource } from './dataset.mjs';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const CONCURRENCY = 6;
const TOUCHPOINTS_PER_CALL = 500;
const HEAVY_CATEGORIES = new Set(['cabinets', 'tiles', 'doors']);
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周'];
const TITLES = ['女士', '先生'];

/**
 * A batch's identity. The phone block comes from the clock (2-second steps, wrapping after about
 * 16 days), so two batches never share a phone; the run id keeps visitor ids and keys apart.
 */
export function batchIdentity(now = Date.now()) {
  const runId = `demo-${now.toString(36)}${Math.floor(Math.random() * 36 ** 3)
    .toString(36)
    .padStart(3, '0')}`;
  const block = Math.floor(now / 2000) % 700_000;
  const phonePrefix = `1${3 + Math.floor(block / 100_000)}${String(block % 100_000).padStart(5, '0')}`;
  let seed = 0;
  for (const ch of runId) seed = (Math.imul(seed, 31) + ch.charCodeAt(0)) >>> 0;
  return { runId, phonePrefix, seed };
}

/** The start of an appointment slot `daysAhead` days from now, at a store's local hour (Shanghai time). */
function slotStart(store, daysAhead, slotIndex) {
  const localDay = new Date(Date.now() + SHANGHAI_OFFSET_MS + daysAhead * DAY_MS).toISOString().slice(0, 10);
  const [h, m] = (store.opensAt ?? '10:00').split(':').map(Number);
  const minutes = h * 60 + m + slotIndex * (store.slotMinutes ?? 60);
  return new Date(Date.parse(`${localDay}T00:00:00Z`) - SHANGHAI_OFFSET_MS + minutes * MINUTE_MS).toISOString();
}

function slotsPerDay(store) {
  const toMinutes = (hhmm) =>
    hhmm
      .split(':')
      .map(Number)
      .reduce((h, m) => h * 60 + m);
  return Math.max(1, Math.floor((toMinutes(store.closesAt ?? '21:00') - toMinutes(store.opensAt ?? '10:00')) / (store.slotMinutes ?? 60)));
}

/** Decides the whole batch: who visits, who goes on to each later step, and with whom. */
export function planBatch(world, identity, scale) {
  const rng = randomSource(identity.seed);
  const now = Date.now();
  let phones = 0;
  const newPhone = () => {
    if (phones >= 10_000) throw new Error('a batch has at most 10,000 phones: lower DEMO_SCALE');
    return `${identity.phonePrefix}${String(phones++).padStart(4, '0')}`;
  };
  const customerName = () => `${rng.pick(SURNAMES)}${rng.pick(TITLES)}`;
  const closerFor = (store, brand) => {
    const team = world.storeStaff.filter((s) => s.storeId === store.id);
    const sellers = team.filter((s) => s.role !== 'store_manager' && s.brandIds.includes(brand.id));
    // Now and then the manager closes a deal on the floor.
    return sellers.length === 0 || rng.chance(0.1) ? team.find((s) => s.role === 'store_manager') : rng.pick(sellers);
  };
  const managerOf = (store) => world.storeStaff.find((s) => s.storeId === store.id && s.role === 'store_manager');
  const dealItems = (brand, withCard) => {
    const product = rng.pick(brand.products);
    const sku = rng.pick(product.skus);
    let qty = sku.priceFen < 300_000 ? rng.int(1, 2) : 1;
    // A card holder buys enough to use the card (its minimum spend).
    if (withCard) while (qty * sku.priceFen < CAMPAIGN.benefit.minSpendFen) qty++;
    return [{ productId: product.id, skuCode: sku.code, qty, priceFen: sku.priceFen }];
  };

  const visitors = [];
  const visitorCount = Math.max(30, Math.round(SHAPE.visitors * scale));
  for (let i = 0; i < visitorCount; i++) {
    const channel = rng.weighted(CHANNELS, (c) => c.share);
    const first = now - MINUTE_MS - rng.next() * SHAPE.spreadDays * DAY_MS;
    const touches = [first];
    for (let t = rng.int(0, 2); t > 0; t--) touches.push(Math.min(now - MINUTE_MS, touches[touches.length - 1] + rng.int(1, 40) * MINUTE_MS));
    visitors.push({
      visitorId: `${identity.runId}-v${i}`,
      channel: channel.key,
      campaign: channel.campaigns.length ? rng.pick(channel.campaigns) : undefined,
      keyword: channel.keywords.length ? rng.pick(channel.keywords) : undefined,
      touches: touches.map((t) => new Date(t).toISOString()),
      consults: rng.chance(channel.consultRate),
    });
  }

  const journeys = visitors
    .filter((v) => v.consults)
    .map((visitor, i) => {
      const store = rng.pick(world.stores);
      const brand = rng.pick(world.brands);
      const interest = rng.pick(brand.products).skus[0].priceFen;
      const journey = {
        key: `${identity.runId}-j${i}`,
        visitor,
        agent: rng.pick(world.agents),
        phone: newPhone(),
        name: customerName(),
        store,
        brand,
        style: rng.pick(STYLES),
        budgetFen: Math.round((interest * (0.7 + rng.next() * 0.5)) / 10_000) * 10_000,
        areaSqm: rng.int(50, 160),
        books: rng.chance(SHAPE.bookRate),
      };
      if (!journey.books) return journey;
      journey.kind = HEAVY_CATEGORIES.has(brand.category) && rng.chance(0.4) ? 'home_measure' : 'store_visit';
      journey.slot = { daysAhead: rng.int(1, 14), index: rng.int(0, slotsPerDay(store) - 1) };
      journey.buysCard = rng.chance(SHAPE.cardRate);
      journey.paysCard = journey.buysCard && rng.chance(SHAPE.payRate);
      journey.cancels = rng.chance(SHAPE.cancelRate);
      journey.checksIn = !journey.cancels && rng.chance(SHAPE.checkInRate);
      journey.closer = closerFor(store, brand);
      journey.deals = journey.checksIn && rng.chance(SHAPE.dealRate);
      if (journey.deals) {
        // Most card holders bring the card; a few forget it (attribution then flags the deal).
        journey.usesCard = journey.paysCard && rng.chance(0.9);
        journey.items = dealItems(brand, journey.usesCard);
        journey.refund = rng.chance(SHAPE.refundRate) ? (rng.chance(0.5) ? 'full' : 'partial') : null;
        journey.manager = managerOf(store);
      }
      return journey;
    });

  const dealsWithBooking = journeys.filter((j) => j.deals).length;
  const walkIns = Array.from({ length: Math.round(dealsWithBooking * SHAPE.walkInRate) }, (_, i) => {
    const store = rng.pick(world.stores);
    const brand = rng.pick(world.brands);
    return {
      key: `${identity.runId}-w${i}`,
      phone: newPhone(),
      name: customerName(),
      store,
      brand,
      closer: closerFor(store, brand),
      items: dealItems(brand, false),
      refund: rng.chance(SHAPE.refundRate) ? 'full' : null,
      manager: managerOf(store),
    };
  });
  // At least one refund in a batch with a few deals, so the demo always shows a clawback.
  const closing = [...journeys.filter((j) => j.deals), ...walkIns];
  if (closing.length >= 3 && !closing.some((d) => d.refund)) closing[0].refund = 'partial';

  return { visitors, journeys, walkIns };
}

/** How many calls a plan takes, for the progress bar. */
export function planUnits(plan) {
  const booked = plan.journeys.filter((j) => j.books);
  const deals = booked.filter((j) => j.deals).length + plan.walkIns.length;
  return (
    Math.ceil(plan.visitors.length / TOUCHPOINTS_PER_CALL) +
    plan.journeys.length +
    booked.length * 2 +
    booked.filter((j) => j.buysCard).length +
    booked.filter((j) => j.paysCard).length +
    booked.filter((j) => j.cancels).length +
    booked.filter((j) => j.checksIn).length +
    deals +
    [...plan.journeys, ...plan.walkIns].filter((j) => j.refund).length
  );
}

/** Plays the plan through the API; answers what was made, for the manifest and the report. */
export async function playBatch(plan, world, publicApi, progress) {
  const made = { visitors: [], consultations: [], bookings: [], cards: [], checkIns: [], deals: [], refunds: [] };
  const booked = plan.journeys.filter((j) => j.books);

  progress.step('visits (touchpoints)');
  const chunks = [];
  for (let i = 0; i < plan.visitors.length; i += TOUCHPOINTS_PER_CALL) chunks.push(plan.visitors.slice(i, i + TOUCHPOINTS_PER_CALL));
  await inPool(chunks, 2, async (chunk, n) => {
    const events = chunk.flatMap((v) =>
      v.touches.map((at, t) => ({
        visitorId: v.visitorId,
        type: 'visit',
        channel: v.channel,
        ...(v.campaign ? { campaign: v.campaign } : {}),
        ...(v.keyword ? { keyword: v.keyword } : {}),
        landingPage: LANDING_PAGES[(t + v.visitorId.length) % LANDING_PAGES.length],
        at,
      })),
    );
    // A batch of visits may hold more than 500 events (visitors come back): split it again.
    for (let i = 0; i < events.length; i += TOUCHPOINTS_PER_CALL) {
      await publicApi.post('/v1/touchpoints', { events: events.slice(i, i + TOUCHPOINTS_PER_CALL) }, `${plan.visitors[0].visitorId}-tp-${n}-${i}`);
    }
    for (const v of chunk) made.visitors.push({ visitorId: v.visitorId, channel: v.channel, campaign: v.campaign ?? null, touches: v.touches });
    progress.tick();
  });

  progress.step('consultations');
  await inPool(plan.journeys, CONCURRENCY, async (j) => {
    const { visitor } = j;
    const consultation = await j.agent.api.post(
      '/v1/consultations',
      {
        visitorId: visitor.visitorId,
        channel: visitor.channel,
        ...(visitor.campaign ? { campaign: visitor.campaign } : {}),
        agentId: j.agent.id,
        phone: j.phone,
        city: j.store.city,
        style: j.style,
        budgetFen: j.budgetFen,
        areaSqm: j.areaSqm,
        notes: `interested in ${j.brand.name} (${j.brand.category})`,
      },
      `${j.key}-consultation`,
    );
    j.consultationId = consultation.id;
    made.consultations.push({ id: consultation.id, visitorId: visitor.visitorId, channel: visitor.channel, agentId: j.agent.id, city: j.store.city });
    progress.tick();
  });

  progress.step('bookings');
  await inPool(booked, CONCURRENCY, async (j) => {
    const booking = await retryWhileBookingCatchesUp(`${j.key}-booking`, (key) =>
      j.agent.api.post(
        '/v1/bookings',
        {
          consultationId: j.consultationId,
          customer: { name: j.name, phone: j.phone },
          city: j.store.city,
          storeId: j.store.id,
          brandIds: [j.brand.id],
          kind: j.kind,
          preferredAt: slotStart(j.store, j.slot.daysAhead, j.slot.index),
          ...(j.kind === 'home_measure' ? { address: `${j.areaSqm} Lane ${j.areaSqm % 17}, ${j.store.district ?? j.store.city}` } : {}),
          budgetFen: j.budgetFen,
          style: j.style,
          areaSqm: j.areaSqm,
          source: {
            channel: j.visitor.channel,
            ...(j.visitor.campaign ? { campaign: j.visitor.campaign } : {}),
            agentId: j.agent.id,
            visitorId: j.visitor.visitorId,
          },
        },
        key,
      ),
    );
    j.bookingId = booking.id;
    made.bookings.push({
      id: booking.id,
      consultationId: j.consultationId,
      channel: j.visitor.channel,
      storeId: j.store.id,
      brandId: j.brand.id,
      kind: j.kind,
    });
    progress.tick();
  });

  progress.step('privilege cards (1 yuan, sandbox payment)');
  await inPool(
    booked.filter((j) => j.buysCard),
    CONCURRENCY,
    async (j) => {
      const card = await publicApi.post(
        '/v1/cards',
        {
          campaignId: world.campaign.id,
          phone: j.phone,
          source: {
            channel: j.visitor.channel,
            ...(j.visitor.campaign ? { campaign: j.visitor.campaign } : {}),
            agentId: j.agent.id,
            visitorId: j.visitor.visitorId,
          },
        },
        `${j.key}-card`,
      );
      progress.tick();
      if (j.paysCard) {
        await publicApi.post(`/v1/payments/sandbox/${card.payment.orderId}/complete`);
        progress.tick();
      }
      j.cardNo = card.cardNo;
      made.cards.push({ cardNo: card.cardNo, channel: j.visitor.channel, paid: j.paysCard, priceFen: card.payment.amountFen });
    },
  );

  progress.step('confirmations and cancellations');
  await inPool(booked, CONCURRENCY, async (j) => {
    j.appointmentAt = await confirmIntoAFreeSlot(j);
    progress.tick();
    if (j.cancels) {
      await j.agent.api.post(`/v1/bookings/${j.bookingId}/cancel`, { reason: 'the customer changed plans' }, `${j.key}-cancel`);
      progress.tick();
    }
    const record = made.bookings.find((b) => b.id === j.bookingId);
    Object.assign(record, { appointmentAt: j.appointmentAt, status: j.cancels ? 'cancelled' : 'confirmed' });
  });

  progress.step('store visits (check-ins)');
  await inPool(
    booked.filter((j) => j.checksIn),
    CONCURRENCY,
    async (j) => {
      await j.closer.api.post(`/v1/bookings/${j.bookingId}/check-in`, { storeId: j.store.id }, `${j.key}-check-in`);
      made.bookings.find((b) => b.id === j.bookingId).status = 'visited';
      made.checkIns.push({ bookingId: j.bookingId, channel: j.visitor.channel, storeId: j.store.id, staffId: j.closer.id });
      progress.tick();
    },
  );

  progress.step('deals');
  const closing = [...booked.filter((j) => j.deals), ...plan.walkIns];
  await inPool(closing, CONCURRENCY, async (d) => {
    const amountFen = d.items.reduce((s, i) => s + i.qty * i.priceFen, 0);
    const card = d.usesCard ? d.cardNo : undefined;
    const deal = await retryWhileCardActivates(`${d.key}-deal`, (key) =>
      d.closer.api.post(
        '/v1/deals',
        {
          storeId: d.store.id,
          brandId: d.brand.id,
          staffId: d.closer.id,
          customer: { phone: d.phone, name: d.name },
          ...(d.bookingId ? { bookingId: d.bookingId } : {}),
          ...(card ? { cardNo: card } : {}),
          amountFen,
          items: d.items,
        },
        key,
      ),
    );
    d.dealId = deal.id;
    d.amountFen = amountFen;
    made.deals.push({
      id: deal.id,
      // What attribution credits: the card's source, else the booking's, else nothing (a new phone).
      channel: d.visitor?.channel ?? 'none',
      via: card ? 'card' : d.bookingId ? 'booking' : 'none',
      amountFen,
      discountFen: deal.discountFen,
      budgetFen: d.bookingId ? d.budgetFen : null,
      storeId: d.store.id,
      brandId: d.brand.id,
      staffId: d.closer.id,
      bookingId: d.bookingId ?? null,
      cardNo: card ?? null,
    });
    progress.tick();
  });

  progress.step('refunds');
  await inPool(
    closing.filter((d) => d.refund),
    CONCURRENCY,
    async (d) => {
      const partial = d.refund === 'partial' ? Math.floor(d.amountFen / 3) : undefined;
      const refund = await d.manager.api.post(
        `/v1/deals/${d.dealId}/refund`,
        { ...(partial ? { amountFen: partial } : {}), reason: partial ? 'one piece returned' : 'the customer withdrew' },
        `${d.key}-refund`,
      );
      made.refunds.push({ id: refund.id, dealId: d.dealId, amountFen: refund.amountFen, full: refund.full });
      progress.tick();
    },
  );
  return made;
}

/**
 * Booking learns of new stores, tenancies and staff from events, so a first run may be refused for
 * a moment. A refusal is stored under its key, so each try takes a fresh one.
 */
async function retryWhileBookingCatchesUp(baseKey, attempt) {
  for (let n = 0; ; n++) {
    try {
      return await attempt(n === 0 ? baseKey : `${baseKey}-${n}`);
    } catch (e) {
      const catchingUp = e instanceof ApiError && e.status === 422 && ['unknown_store', 'brand_not_in_store', 'staff_not_at_store'].includes(e.reason);
      if (!catchingUp || n >= 20) throw e;
      await sleep(500);
    }
  }
}

/** A card paid a moment ago may not be active yet when its deal closes: wait and try again under a new key. */
async function retryWhileCardActivates(baseKey, attempt) {
  for (let n = 0; ; n++) {
    try {
      return await attempt(n === 0 ? baseKey : `${baseKey}-${n}`);
    } catch (e) {
      const notYet =
        e instanceof ApiError && e.status === 422 && ['card_pending_payment', 'unknown_store', 'brand_not_in_store', 'staff_not_at_store'].includes(e.reason);
      if (!notYet || n >= 20) throw e;
      await sleep(500);
    }
  }
}

/** Confirms the booking into its planned slot, or the next one with room; answers the appointment. */
async function confirmIntoAFreeSlot(j) {
  const perDay = slotsPerDay(j.store);
  for (let n = 0; n < 40; n++) {
    const index = (j.slot.index + n) % perDay;
    const daysAhead = j.slot.daysAhead + Math.floor((j.slot.index + n) / perDay);
    const appointmentAt = slotStart(j.store, daysAhead, index);
    try {
      await j.agent.api.post(`/v1/bookings/${j.bookingId}/confirm`, { appointmentAt }, `${j.key}-confirm-${n}`);
      return appointmentAt;
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 409 && e.reason === 'slot_full')) throw e;
    }
  }
  throw new Error(`no free slot for booking ${j.bookingId} in the next weeks`);
}
