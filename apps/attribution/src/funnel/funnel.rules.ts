import {
  FUNNEL_GROUP_BY,
  FUNNEL_NONE_KEY,
  FunnelFiguresView,
  FunnelGroupBy,
  FunnelRowView,
  isCalendarDay,
  MAX_FUNNEL_RANGE_DAYS,
  parseInstant,
} from '@o2o/contracts';
import { DistinctVisitors, HOUR_MS, TimeRange } from '../touchpoints/touchpoints.rules';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

export type Range = TimeRange;

/** The UTC day an instant falls in, as epoch milliseconds. */
export const dayOf = (t: number): number => Math.floor(t / DAY_MS) * DAY_MS;

/**
 * A report range cut where the rollups can answer it: the whole UTC days inside it from the daily
 * rollups, the whole UTC hours either side of them from the hourly ones, and the partial hours at
 * its edges from the raw rows. `whole` is all the whole hours (days included), which the distinct
 * visitors are counted over. A range that holds no whole hour is all edge.
 */
export interface RangeSplit {
  whole: Range | null;
  days: Range | null;
  hours: Range[];
  edges: Range[];
}

export function splitRange({ from, to }: Range): RangeSplit {
  const firstHour = Math.ceil(from / HOUR_MS) * HOUR_MS;
  const lastHour = Math.floor(to / HOUR_MS) * HOUR_MS;
  if (firstHour >= lastHour) return { whole: null, days: null, hours: [], edges: from < to ? [{ from, to }] : [] };
  const edges: Range[] = [];
  if (from < firstHour) edges.push({ from, to: firstHour });
  if (lastHour < to) edges.push({ from: lastHour, to });
  const whole = { from: firstHour, to: lastHour };
  const firstDay = Math.ceil(firstHour / DAY_MS) * DAY_MS;
  const lastDay = Math.floor(lastHour / DAY_MS) * DAY_MS;
  if (firstDay >= lastDay) return { whole, days: null, hours: [whole], edges };
  const hours: Range[] = [];
  if (firstHour < firstDay) hours.push({ from: firstHour, to: firstDay });
  if (lastDay < lastHour) hours.push({ from: lastDay, to: lastHour });
  return { whole, days: { from: firstDay, to: lastDay }, hours, edges };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The local date and minutes after local midnight of an instant in a time zone. */
export function wallClock(instant: number, timeZone: string): { date: string; minutes: number } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

/** How far a time zone is ahead of UTC at an instant, in milliseconds (whole minutes). */
function offsetAt(instant: number, timeZone: string): number {
  const { date, minutes } = wallClock(instant, timeZone);
  return Date.parse(`${date}T00:00:00Z`) + minutes * MINUTE_MS - Math.floor(instant / MINUTE_MS) * MINUTE_MS;
}

/**
 * The first instant of a local day: its midnight, or, where the clocks skip midnight (São Paulo
 * before 2019), the moment they jump to.
 */
export function startOfLocalDay(date: string, timeZone: string): number {
  const wall = Date.parse(`${date}T00:00:00Z`);
  // The offsets either side of any change that night: one of them holds at its first instant.
  const candidates = [...new Set([wall - DAY_MS, wall, wall + DAY_MS].map((t) => wall - offsetAt(t, timeZone)))].sort((a, b) => a - b);
  const onDay = candidates.filter((t) => wallClock(t, timeZone).date === date);
  return onDay.find((t) => wallClock(t, timeZone).minutes === 0) ?? onDay[0] ?? candidates[0];
}

/** A report bound as an instant: a date is midnight in the time zone, an instant is itself. */
export function resolveBound(value: string, timeZone: string): number | undefined {
  if (isCalendarDay(value)) return startOfLocalDay(value, timeZone);
  return parseInstant(value);
}

export interface RangeProblem {
  field: 'from' | 'to';
  message: string;
}

/** The report range, or what is wrong with it. */
export function reportRange(from: string, to: string, timeZone: string): Range | RangeProblem[] {
  const start = resolveBound(from, timeZone);
  const end = resolveBound(to, timeZone);
  const problems: RangeProblem[] = [];
  if (start === undefined) problems.push({ field: 'from', message: 'must be a date (YYYY-MM-DD) or an ISO 8601 instant with its offset' });
  if (end === undefined) problems.push({ field: 'to', message: 'must be a date (YYYY-MM-DD) or an ISO 8601 instant with its offset' });
  if (start === undefined || end === undefined) return problems;
  if (end <= start) return [{ field: 'to', message: 'must be after from' }];
  // A day more than the limit in milliseconds would refuse a year that crosses a change of clocks.
  if (end - start > MAX_FUNNEL_RANGE_DAYS * DAY_MS + HOUR_MS) return [{ field: 'to', message: `must be at most ${MAX_FUNNEL_RANGE_DAYS} days after from` }];
  return { from: start, to: end };
}

/** n / d as a fraction from 0 to 1: null without a denominator, 1 when the later step outnumbers the earlier. */
export function rate(n: number, d: number): number | null {
  if (d === 0) return null;
  return Math.min(1, n / d);
}

/** What a deal brought above the customer's stated budget; nothing when the budget is not known. */
export const premiumOf = (amountFen: number, budgetFen: number | null): number => (budgetFen === null ? 0 : Math.max(0, amountFen - budgetFen));

export type Dimension = FunnelGroupBy;
export const DIMENSIONS: readonly Dimension[] = FUNNEL_GROUP_BY;

/** Where a record of a step is counted: its channel, city, store, agent and brands, `none` for those it lacks. */
export interface StepDimensions {
  channel: string;
  city: string | null;
  storeId: string | null;
  agentId: string | null;
  brandIds: string[];
}

export interface DimensionKey {
  dim: Dimension;
  key: string;
}

/** The (dimension, key) pairs a record counts under, once each, ordered (the lock order of its rollup rows). */
export function dimensionKeys(r: StepDimensions): DimensionKey[] {
  const brands = [...new Set(r.brandIds)].sort();
  const keys: DimensionKey[] = [
    { dim: 'channel', key: r.channel },
    { dim: 'city', key: r.city ?? FUNNEL_NONE_KEY },
    { dim: 'store', key: r.storeId ?? FUNNEL_NONE_KEY },
    { dim: 'agent', key: r.agentId ?? FUNNEL_NONE_KEY },
    ...(brands.length > 0 ? brands : [FUNNEL_NONE_KEY]).map((key) => ({ dim: 'brand' as const, key })),
  ];
  return keys.sort((a, b) => (a.dim < b.dim ? -1 : a.dim > b.dim ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The counts of the four steps after the visit, and the deals' money. */
export interface StepCounts {
  consultations: number;
  bookings: number;
  storeVisits: number;
  deals: number;
  dealAmountFen: number;
  budgetFen: number;
  premiumFen: number;
}

export const NO_COUNTS: StepCounts = { consultations: 0, bookings: 0, storeVisits: 0, deals: 0, dealAmountFen: 0, budgetFen: 0, premiumFen: 0 };

export const addCounts = (a: StepCounts, b: Partial<StepCounts>): StepCounts => ({
  consultations: a.consultations + (b.consultations ?? 0),
  bookings: a.bookings + (b.bookings ?? 0),
  storeVisits: a.storeVisits + (b.storeVisits ?? 0),
  deals: a.deals + (b.deals ?? 0),
  dealAmountFen: a.dealAmountFen + (b.dealAmountFen ?? 0),
  budgetFen: a.budgetFen + (b.budgetFen ?? 0),
  premiumFen: a.premiumFen + (b.premiumFen ?? 0),
});

/** Counts from several sources (rollup hours, raw edges), added up per (dimension, key). */
export class CountsByKey {
  private readonly byKey = new Map<string, Map<string, StepCounts>>();

  add(dim: Dimension, key: string, counts: Partial<StepCounts>): void {
    const keys = this.byKey.get(dim) ?? new Map<string, StepCounts>();
    keys.set(key, addCounts(keys.get(key) ?? NO_COUNTS, counts));
    this.byKey.set(dim, keys);
  }

  of(dim: Dimension): Map<string, StepCounts> {
    return this.byKey.get(dim) ?? new Map();
  }
}

export function figures(visits: number, c: StepCounts): FunnelFiguresView {
  return {
    visits,
    consultations: c.consultations,
    bookings: c.bookings,
    storeVisits: c.storeVisits,
    deals: c.deals,
    consultationRate: rate(c.consultations, visits),
    bookingRate: rate(c.bookings, c.consultations),
    toStoreRate: rate(c.storeVisits, c.bookings),
    dealRate: rate(c.deals, c.storeVisits),
    dealAmountFen: c.dealAmountFen,
    budgetFen: c.budgetFen,
    premiumFen: c.premiumFen,
  };
}

const byKey = (a: string, b: string): number => (a === b ? 0 : a === FUNNEL_NONE_KEY ? 1 : b === FUNNEL_NONE_KEY ? -1 : a < b ? -1 : 1);

/**
 * The report's rows and total. Visits have only a channel: grouped by channel they go under
 * their channel, grouped by anything else all under `none`. Every record has exactly one
 * channel, so the channel counts add up to the total; brand rows need not (a booking with two
 * brands is in both).
 */
export function assembleFunnel(groupBy: Dimension, counts: CountsByKey, visits: DistinctVisitors): { rows: FunnelRowView[]; total: FunnelFiguresView } {
  const grouped = counts.of(groupBy);
  const visitsOf = (key: string): number => (groupBy === 'channel' ? (visits.byChannel.get(key) ?? 0) : key === FUNNEL_NONE_KEY ? visits.all : 0);
  const keys = new Set([...grouped.keys(), ...(groupBy === 'channel' ? visits.byChannel.keys() : visits.all > 0 ? [FUNNEL_NONE_KEY] : [])]);
  const rows = [...keys]
    .sort(byKey)
    .map((key) => ({ key, ...figures(visitsOf(key), grouped.get(key) ?? NO_COUNTS) }))
    .filter((r) => r.visits > 0 || r.consultations > 0 || r.bookings > 0 || r.storeVisits > 0 || r.deals > 0);
  const total = [...counts.of('channel').values()].reduce(addCounts, NO_COUNTS);
  return { rows, total: figures(visits.all, total) };
}
