import {
  ATTRIBUTION,
  BookingCreatedEvent,
  BookingVisitedEvent,
  Channel,
  ConsultationRecordedEvent,
  DealClosedEvent,
  FUNNEL_NONE_KEY,
  FunnelFiguresView,
  FunnelGroupBy,
  FunnelRowView,
  Role,
  TouchpointReceiptView,
} from '@o2o/contracts';
import { DomainError, EventConsumer, newId } from '@o2o/platform';
import { ServiceHarness } from '@o2o/testing';
import { DataSource } from 'typeorm';
import { DealCredit, FunnelSteps } from '../src/events/steps';
import { startAttribution } from './harness';

export const admin = { kind: 'staff' as const, userId: '0190f1c2-0000-7000-8000-0000000000ad', roles: [Role.Admin] };

/** The attribution service with the funnel's seams at hand. */
export interface FunnelHarness extends ServiceHarness {
  ds: DataSource;
  steps: FunnelSteps;
  consumer: EventConsumer;
}

export async function startFunnel(): Promise<FunnelHarness> {
  const h = await startAttribution();
  return { ...h, ds: h.get(DataSource), steps: h.get(FunnelSteps), consumer: h.get(EventConsumer) };
}

/** A funnel step applied as the event listener applies it: inside a transaction of its own. */
export const inTransaction = (h: FunnelHarness, step: (steps: FunnelSteps) => Promise<void>): Promise<void> => h.ds.transaction(() => step(h.steps));

/** What a refused call carried: its code and the fields it named. */
export async function refusal(call: Promise<unknown>): Promise<{ code: string; fields: string[] }> {
  try {
    await call;
  } catch (e) {
    if (e instanceof DomainError) return { code: e.code, fields: (e.errors ?? []).map((f) => f.field) };
    return { code: String(e), fields: [] };
  }
  return { code: 'succeeded', fields: [] };
}

export async function count(h: FunnelHarness, table: string): Promise<number> {
  const [{ n }] = await h.ds.query(`SELECT count(*)::int AS n FROM ${table}`);
  return n as number;
}

export const FUNNEL_TABLES = [
  'touchpoints',
  'funnel_visitors',
  'funnel_visitor_hours',
  'funnel_visitor_bounds',
  'funnel_consultations',
  'funnel_bookings',
  'funnel_store_visits',
  'funnel_deals',
  'funnel_hours',
  'funnel_days',
];

/** Row counts of the funnel's tables, and the sums of its rollups: to show that a refusal or a repeat changed nothing. */
export async function snapshot(h: FunnelHarness): Promise<Record<string, unknown>> {
  const counts = Object.fromEntries(await Promise.all(FUNNEL_TABLES.map(async (t) => [t, await count(h, t)] as const)));
  const [hours] = await h.ds.query(
    'SELECT sum(consultations)::int AS c, sum(bookings)::int AS b, sum(store_visits)::int AS v, sum(deals)::int AS d, sum(deal_amount_fen)::bigint AS a FROM funnel_hours',
  );
  const [days] = await h.ds.query(
    'SELECT sum(consultations)::int AS c, sum(bookings)::int AS b, sum(store_visits)::int AS v, sum(deals)::int AS d, sum(deal_amount_fen)::bigint AS a FROM funnel_days',
  );
  const [bounds] = await h.ds.query('SELECT sum(firsts)::int AS f, sum(lasts)::int AS l FROM funnel_visitor_bounds');
  return { ...counts, hours, days, bounds };
}

export interface TouchpointEvent {
  visitorId: string;
  type: 'visit';
  channel: Channel;
  campaign?: string;
  at?: string;
}

export const recordTouchpoints = (h: FunnelHarness, body: object, requestId?: string): Promise<TouchpointReceiptView> =>
  h.call<TouchpointReceiptView>(ATTRIBUTION.recordTouchpoints, body, { requestId });

/** A small deterministic generator, so that a failing dataset can be rebuilt. */
export function random(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
  };
}

const HOUR = 3_600_000;

/**
 * Instants over the days from `start`, biased to the awkward ones: on an hour, a millisecond
 * either side of it, on a half hour (a Kolkata midnight), and anywhere.
 */
export function instantAround(r: ReturnType<typeof random>, start: number, days: number): string {
  const hour = start + r.int(days * 24) * HOUR;
  const within = r.pick([0, 1, HOUR - 1, HOUR / 2, HOUR / 2 - 1, r.int(HOUR), r.int(HOUR), r.int(HOUR)]);
  return new Date(hour + within).toISOString();
}

export interface Dataset {
  touchpointBatches: TouchpointEvent[][];
  consultations: ConsultationRecordedEvent[];
  bookings: BookingCreatedEvent[];
  visits: BookingVisitedEvent[];
  deals: { event: DealClosedEvent; credit: DealCredit }[];
}

const CHANNELS = Object.values(Channel);
const CITIES = ['Shanghai', 'Beijing', 'Chengdu'];

/** A known dataset over several days: several channels, cities, stores, agents and brands, and visitors who come back. */
export function buildDataset(seed: number, start: number, days: number): Dataset {
  const r = random(seed);
  const stores = Array.from({ length: 4 }, () => newId());
  const brands = Array.from({ length: 4 }, () => newId());
  const agents = ['agent-1', 'agent-2', 'agent-3', null];
  const visitors = Array.from({ length: 60 }, (_, i) => `visitor-${i}`);
  const at = () => instantAround(r, start, days);

  // Batches arrive out of order: later batches reach back before earlier ones.
  const touchpointBatches = Array.from({ length: 14 }, (_, b) =>
    Array.from({ length: b % 4 === 0 ? 1 : 5 + r.int(40) }, () => ({
      visitorId: r.pick(visitors),
      type: 'visit' as const,
      channel: r.pick(CHANNELS),
      at: at(),
    })),
  );
  const source = () => ({ channel: r.pick(CHANNELS), campaign: r.pick(['spring', null]), agentId: r.pick(agents), visitorId: r.pick(visitors) });
  const consultations = Array.from({ length: 60 }, () => ({
    consultationId: newId(),
    phone: null,
    city: r.pick(CITIES),
    source: source(),
    budgetFen: null,
    recordedAt: at(),
  }));
  const bookings: BookingCreatedEvent[] = Array.from({ length: 50 }, () => ({
    bookingId: newId(),
    consultationId: null,
    leadId: null,
    phone: '13900000000',
    city: r.pick(CITIES),
    storeId: r.pick([...stores, null]),
    brandIds: r.pick([[], [r.pick(brands)], [brands[0], brands[1]], [r.pick(brands), r.pick(brands)]]),
    kind: 'store_visit',
    source: source(),
    budgetFen: r.pick([400_000, null]),
    at: at(),
  }));
  const visits: BookingVisitedEvent[] = bookings
    .filter(() => r.next() < 0.6)
    .map((b) => ({ ...b, storeId: b.storeId ?? r.pick(stores), visitedAt: at(), at: at() }));
  const deals = Array.from({ length: 30 }, () => {
    const budgetFen = r.pick([400_000, 650_000, null]);
    const event: DealClosedEvent = {
      dealId: newId(),
      storeId: r.pick(stores),
      brandId: r.pick(brands),
      staffId: newId(),
      phone: '13900000000',
      city: r.pick(CITIES),
      bookingId: null,
      consultationId: null,
      leadId: null,
      cardNo: null,
      source: null,
      amountFen: 100_000 + r.int(20) * 50_000,
      discountFen: 0,
      payableFen: 0,
      budgetFen,
      closedAt: at(),
    };
    const credit: DealCredit = r.next() < 0.3 ? { channel: 'none', agentId: null } : { channel: r.pick(CHANNELS), agentId: r.pick(agents) };
    return { event, credit };
  });
  return { touchpointBatches, consultations, bookings, visits, deals };
}

/** Every record of the dataset through the real seams: touchpoints by the command, the rest by FunnelSteps. */
export async function applyDataset(h: FunnelHarness, d: Dataset): Promise<void> {
  for (const batch of d.touchpointBatches) await recordTouchpoints(h, batch.length === 1 ? batch[0] : { events: batch });
  for (const e of d.consultations) await inTransaction(h, (s) => s.consultationRecorded(e));
  for (const e of d.bookings) await inTransaction(h, (s) => s.bookingCreated(e));
  for (const e of d.visits) await inTransaction(h, (s) => s.bookingVisited(e));
  for (const { event, credit } of d.deals) await inTransaction(h, (s) => s.dealClosed(event, credit));
}

const KEY_OF: Record<'consultation' | 'booking' | 'deal', Record<FunnelGroupBy, string>> = {
  consultation: { channel: 'channel', city: 'city', store: `'none'`, agent: `coalesce(agent_id, 'none')`, brand: `'none'` },
  booking: {
    channel: 'channel',
    city: 'city',
    store: `coalesce(store_id::text, 'none')`,
    agent: `coalesce(agent_id, 'none')`,
    brand: `unnest(CASE WHEN cardinality(brand_ids) = 0 THEN ARRAY['none'] ELSE brand_ids::text[] END)`,
  },
  deal: { channel: 'channel', city: `coalesce(city, 'none')`, store: 'store_id::text', agent: `coalesce(agent_id, 'none')`, brand: 'brand_id::text' },
};

const rateOf = (n: number, d: number): number | null => (d === 0 ? null : Math.min(1, n / d));

function withRates(f: Omit<FunnelFiguresView, 'consultationRate' | 'bookingRate' | 'toStoreRate' | 'dealRate'>): FunnelFiguresView {
  return {
    ...f,
    consultationRate: rateOf(f.consultations, f.visits),
    bookingRate: rateOf(f.bookings, f.consultations),
    toStoreRate: rateOf(f.storeVisits, f.bookings),
    dealRate: rateOf(f.deals, f.storeVisits),
  };
}

/** The funnel as plain SQL counts over the raw rows in [from, to): what the rollups must agree with. */
export async function referenceFunnel(
  ds: DataSource,
  from: Date,
  to: Date,
  groupBy: FunnelGroupBy,
): Promise<{ rows: FunnelRowView[]; total: FunnelFiguresView }> {
  const q = async (sql: string): Promise<Map<string, Record<string, number>>> => {
    const rows: Record<string, string>[] = await ds.query(sql, [from, to]);
    return new Map(rows.map(({ key, ...rest }) => [key, Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, Number(v)]))]));
  };
  const inRange = 'at >= $1 AND at < $2';
  const visitKey = groupBy === 'channel' ? 'channel' : `'none'`;
  const parts = {
    visits: await q(`SELECT ${visitKey} AS key, count(DISTINCT visitor_id) AS n FROM touchpoints WHERE ${inRange} GROUP BY 1`),
    consultations: await q(`SELECT ${KEY_OF.consultation[groupBy]} AS key, count(*) AS n FROM funnel_consultations WHERE ${inRange} GROUP BY 1`),
    bookings: await q(`SELECT ${KEY_OF.booking[groupBy]} AS key, count(*) AS n FROM funnel_bookings WHERE ${inRange} GROUP BY 1`),
    storeVisits: await q(`SELECT ${KEY_OF.booking[groupBy]} AS key, count(*) AS n FROM funnel_store_visits WHERE ${inRange} GROUP BY 1`),
    deals: await q(
      `SELECT ${KEY_OF.deal[groupBy]} AS key, count(*) AS n, sum(amount_fen) AS amount, coalesce(sum(budget_fen), 0) AS budget,
              sum(CASE WHEN budget_fen IS NULL THEN 0 ELSE greatest(0, amount_fen - budget_fen) END) AS premium
         FROM funnel_deals WHERE ${inRange} GROUP BY 1`,
    ),
  };
  const totals = {
    visits: (await q(`SELECT 'all' AS key, count(DISTINCT visitor_id) AS n FROM touchpoints WHERE ${inRange}`)).get('all')!.n,
    consultations: (await q(`SELECT 'all' AS key, count(*) AS n FROM funnel_consultations WHERE ${inRange}`)).get('all')!.n,
    bookings: (await q(`SELECT 'all' AS key, count(*) AS n FROM funnel_bookings WHERE ${inRange}`)).get('all')!.n,
    storeVisits: (await q(`SELECT 'all' AS key, count(*) AS n FROM funnel_store_visits WHERE ${inRange}`)).get('all')!.n,
    deals: (
      await q(
        `SELECT 'all' AS key, count(*) AS n, coalesce(sum(amount_fen), 0) AS amount, coalesce(sum(budget_fen), 0) AS budget,
                coalesce(sum(CASE WHEN budget_fen IS NULL THEN 0 ELSE greatest(0, amount_fen - budget_fen) END), 0) AS premium
           FROM funnel_deals WHERE ${inRange}`,
      )
    ).get('all')!,
  };
  const keys = new Set(Object.values(parts).flatMap((m) => [...m.keys()]));
  const rows = [...keys]
    .sort((a, b) => (a === b ? 0 : a === FUNNEL_NONE_KEY ? 1 : b === FUNNEL_NONE_KEY ? -1 : a < b ? -1 : 1))
    .map((key) => {
      const deal = parts.deals.get(key);
      return {
        key,
        ...withRates({
          visits: parts.visits.get(key)?.n ?? 0,
          consultations: parts.consultations.get(key)?.n ?? 0,
          bookings: parts.bookings.get(key)?.n ?? 0,
          storeVisits: parts.storeVisits.get(key)?.n ?? 0,
          deals: deal?.n ?? 0,
          dealAmountFen: deal?.amount ?? 0,
          budgetFen: deal?.budget ?? 0,
          premiumFen: deal?.premium ?? 0,
        }),
      };
    });
  const total = withRates({
    visits: totals.visits,
    consultations: totals.consultations,
    bookings: totals.bookings,
    storeVisits: totals.storeVisits,
    deals: totals.deals.n,
    dealAmountFen: totals.deals.amount,
    budgetFen: totals.deals.budget,
    premiumFen: totals.deals.premium,
  });
  return { rows, total };
}

/**
 * The rollups of distinct visitors hold what the raw touchpoints say: each visitor's first and
 * last hour, each hour seen once with the next one, and per hour the visitors first and last
 * seen then. Answers the rows that disagree (none when consistent).
 */
export async function visitorRollupProblems(ds: DataSource): Promise<Record<string, unknown[]>> {
  const seen = `SELECT 'all' AS scope, visitor_id, date_trunc('hour', at, 'UTC') AS hour FROM touchpoints
                UNION SELECT 'channel:' || channel, visitor_id, date_trunc('hour', at, 'UTC') FROM touchpoints`;
  const hours = await ds.query(
    `WITH seen AS (${seen}), expected AS (
       SELECT scope, visitor_id, hour, lead(hour) OVER (PARTITION BY scope, visitor_id ORDER BY hour) AS next_hour FROM seen)
     SELECT * FROM ((SELECT * FROM expected EXCEPT SELECT scope, visitor_id, hour, next_hour FROM funnel_visitor_hours)
              UNION ALL (SELECT scope, visitor_id, hour, next_hour FROM funnel_visitor_hours EXCEPT SELECT * FROM expected)) d`,
  );
  const visitors = await ds.query(
    `WITH seen AS (${seen}), expected AS (SELECT scope, visitor_id, min(hour) AS first_hour, max(hour) AS last_hour FROM seen GROUP BY 1, 2)
     SELECT * FROM ((SELECT * FROM expected EXCEPT SELECT scope, visitor_id, first_hour, last_hour FROM funnel_visitors)
              UNION ALL (SELECT scope, visitor_id, first_hour, last_hour FROM funnel_visitors EXCEPT SELECT * FROM expected)) d`,
  );
  const bounds = await ds.query(
    `WITH seen AS (${seen}), v AS (SELECT scope, visitor_id, min(hour) AS first_hour, max(hour) AS last_hour FROM seen GROUP BY 1, 2),
          expected AS (
            SELECT scope, hour, sum(firsts)::int AS firsts, sum(lasts)::int AS lasts FROM (
              SELECT scope, first_hour AS hour, 1 AS firsts, 0 AS lasts FROM v UNION ALL SELECT scope, last_hour, 0, 1 FROM v) x
             GROUP BY 1, 2)
     SELECT * FROM ((SELECT * FROM expected EXCEPT SELECT scope, hour, firsts, lasts FROM funnel_visitor_bounds WHERE firsts <> 0 OR lasts <> 0)
              UNION ALL (SELECT scope, hour, firsts, lasts FROM funnel_visitor_bounds WHERE firsts <> 0 OR lasts <> 0 EXCEPT SELECT * FROM expected)) d`,
  );
  return Object.fromEntries(Object.entries({ hours, visitors, bounds }).filter(([, rows]) => rows.length > 0));
}
