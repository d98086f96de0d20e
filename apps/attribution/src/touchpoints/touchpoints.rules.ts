import { Channel } from '@o2o/contracts';

export const HOUR_MS = 3_600_000;

/** [from, to) in epoch milliseconds. */
export interface TimeRange {
  from: number;
  to: number;
}

/** The UTC hour an instant falls in, as epoch milliseconds. */
export const hourOf = (t: number): number => Math.floor(t / HOUR_MS) * HOUR_MS;

/**
 * Distinct visitors are kept per scope: every visitor, and the visitors of each channel (the only
 * dimension a visit has).
 */
export const ALL_VISITORS = 'all';
export const channelScope = (channel: string): string => `channel:${channel}`;
export const channelOfScope = (scope: string): string | undefined => (scope.startsWith('channel:') ? scope.slice('channel:'.length) : undefined);

export interface Sighting {
  visitorId: string;
  channel: Channel;
  at: number;
}

/** A visitor's hours in one scope, as one batch brings them: sorted, each once. */
export interface VisitorHours {
  scope: string;
  visitorId: string;
  hours: number[];
}

/** The (scope, visitor) pairs of a batch, ordered by scope then visitor: locks are taken in this order, so batches cannot deadlock. */
export function visitorHoursOf(sightings: Sighting[]): VisitorHours[] {
  const byVisitor = new Map<string, { scope: string; visitorId: string; hours: Set<number> }>();
  for (const s of sightings) {
    for (const scope of [ALL_VISITORS, channelScope(s.channel)]) {
      const id = `${scope}\u0000${s.visitorId}`;
      const entry = byVisitor.get(id) ?? { scope, visitorId: s.visitorId, hours: new Set<number>() };
      entry.hours.add(hourOf(s.at));
      byVisitor.set(id, entry);
    }
  }
  return [...byVisitor.values()]
    .map((v) => ({ scope: v.scope, visitorId: v.visitorId, hours: [...v.hours].sort((a, b) => a - b) }))
    .sort((a, b) => compareText(a.scope, b.scope) || compareText(a.visitorId, b.visitorId));
}

/** Byte order, as Postgres compares text under the C collation and as lock ordering needs: stable whatever the locale. */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A visitor's first and last hour seen in a scope. */
export interface Bounds {
  first: number;
  last: number;
}

/** The bounds once the batch's hours are added. */
export const boundsAfter = (before: Bounds | null, hours: number[]): Bounds => ({
  first: Math.min(before?.first ?? Infinity, hours[0]),
  last: Math.max(before?.last ?? -Infinity, hours[hours.length - 1]),
});

export interface BoundsChange {
  scope: string;
  before: Bounds | null;
  after: Bounds;
}

export interface BoundsDelta {
  scope: string;
  hour: number;
  firsts: number;
  lasts: number;
}

/**
 * How the per-hour counts of visitors first and last seen move: a new visitor adds one first and
 * one last; a visitor seen earlier than before moves its first, later than before its last. Net
 * per (scope, hour), without the zeros, ordered by hour then scope (the lock order).
 */
export function boundsDeltas(changes: BoundsChange[]): BoundsDelta[] {
  const deltas = new Map<string, BoundsDelta>();
  const add = (scope: string, hour: number, field: 'firsts' | 'lasts', n: number) => {
    const id = `${hour}\u0000${scope}`;
    const d = deltas.get(id) ?? { scope, hour, firsts: 0, lasts: 0 };
    d[field] += n;
    deltas.set(id, d);
  };
  for (const { scope, before, after } of changes) {
    if (before?.first !== after.first) {
      if (before) add(scope, before.first, 'firsts', -1);
      add(scope, after.first, 'firsts', 1);
    }
    if (before?.last !== after.last) {
      if (before) add(scope, before.last, 'lasts', -1);
      add(scope, after.last, 'lasts', 1);
    }
  }
  return [...deltas.values()].filter((d) => d.firsts !== 0 || d.lasts !== 0).sort((a, b) => a.hour - b.hour || compareText(a.scope, b.scope));
}

/** Distinct visitors in a report range: of all, and of each channel. */
export interface DistinctVisitors {
  all: number;
  byChannel: Map<string, number>;
}

export function distinctVisitorsOf(perScope: Map<string, number>): DistinctVisitors {
  const byChannel = new Map<string, number>();
  for (const [scope, n] of perScope) {
    const channel = channelOfScope(scope);
    if (channel !== undefined && n > 0) byChannel.set(channel, n);
  }
  return { all: perScope.get(ALL_VISITORS) ?? 0, byChannel };
}
