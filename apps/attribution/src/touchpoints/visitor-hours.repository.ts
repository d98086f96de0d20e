import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HOUR_MS } from './touchpoints.rules';

export interface VisitorHour {
  scope: string;
  visitorId: string;
  hour: number;
}

/** The hours of a visitor in a scope that a batch added: from its first to its last. */
export interface AddedSpan {
  scope: string;
  visitorId: string;
  first: number;
  last: number;
}

/**
 * funnel_visitor_hours: one row per scope, visitor and UTC hour seen, with the next hour the
 * visitor was seen. A visitor's rows change only under its funnel_visitors lock.
 */
@Injectable()
export class VisitorHoursRepository {
  constructor(private readonly db: DataSource) {}

  /** Adds the hours not recorded yet; answers those added. */
  async addNew(hours: VisitorHour[]): Promise<VisitorHour[]> {
    if (hours.length === 0) return [];
    const rows = await this.db.query<{ scope: string; visitor_id: string; hour: Date }[]>(
      `INSERT INTO funnel_visitor_hours (scope, visitor_id, hour)
       SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[])
       ON CONFLICT (scope, visitor_id, hour) DO NOTHING
       RETURNING scope, visitor_id, hour`,
      [hours.map((h) => h.scope), hours.map((h) => h.visitorId), hours.map((h) => new Date(h.hour))],
    );
    return rows.map((r) => ({ scope: r.scope, visitorId: r.visitor_id, hour: r.hour.getTime() }));
  }

  /**
   * Sets each row's next hour again around the hours just added: from the hour seen before the
   * first added to the one seen after the last added. The last row of that window keeps its own
   * (its next lies beyond, or there is none).
   */
  async relink(spans: AddedSpan[]): Promise<void> {
    if (spans.length === 0) return;
    await this.db.query(
      `WITH span AS (
         SELECT s.scope, s.visitor_id,
                coalesce((SELECT max(h.hour) FROM funnel_visitor_hours h
                           WHERE h.scope = s.scope AND h.visitor_id = s.visitor_id AND h.hour < s.first_hour), s.first_hour) AS lo,
                coalesce((SELECT min(h.hour) FROM funnel_visitor_hours h
                           WHERE h.scope = s.scope AND h.visitor_id = s.visitor_id AND h.hour > s.last_hour), s.last_hour) AS hi
           FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[]) AS s(scope, visitor_id, first_hour, last_hour)
       ), chain AS (
         SELECT h.scope, h.visitor_id, h.hour, h.next_hour, span.hi,
                lead(h.hour) OVER (PARTITION BY h.scope, h.visitor_id ORDER BY h.hour) AS new_next
           FROM span JOIN funnel_visitor_hours h
             ON h.scope = span.scope AND h.visitor_id = span.visitor_id AND h.hour BETWEEN span.lo AND span.hi
       )
       UPDATE funnel_visitor_hours h SET next_hour = c.new_next
         FROM chain c
        WHERE h.scope = c.scope AND h.visitor_id = c.visitor_id AND h.hour = c.hour
          AND c.hour < c.hi AND c.next_hour IS DISTINCT FROM c.new_next`,
      [spans.map((s) => s.scope), spans.map((s) => s.visitorId), spans.map((s) => new Date(s.first)), spans.map((s) => new Date(s.last))],
    );
  }

  /**
   * Per scope, the visitors seen before the whole hours [from, to) and next seen at or after
   * their end: seen on both sides, not inside.
   */
  async seenAround(from: number, to: number): Promise<Map<string, number>> {
    const rows = await this.db.query<{ scope: string; n: number }[]>(
      `SELECT scope, count(*)::int AS n FROM funnel_visitor_hours
        WHERE next_hour IS NOT NULL AND tstzrange(hour, next_hour, '[]') @> tstzrange($1, $2, '[]')
        GROUP BY scope`,
      [new Date(from - HOUR_MS), new Date(to)],
    );
    return new Map(rows.map((r) => [r.scope, r.n]));
  }

  /** Per scope, how many of the given visitors have no hour in [from, to) (all of them when the range is empty). */
  async unseenWithin(visitors: { scope: string; visitorId: string }[], from: number, to: number): Promise<Map<string, number>> {
    if (visitors.length === 0) return new Map();
    const rows = await this.db.query<{ scope: string; n: number }[]>(
      `SELECT v.scope, count(*)::int AS n
         FROM unnest($1::text[], $2::text[]) AS v(scope, visitor_id)
        WHERE NOT EXISTS (SELECT 1 FROM funnel_visitor_hours h
                           WHERE h.scope = v.scope AND h.visitor_id = v.visitor_id AND h.hour >= $3 AND h.hour < $4)
        GROUP BY v.scope`,
      [visitors.map((v) => v.scope), visitors.map((v) => v.visitorId), new Date(from), new Date(to)],
    );
    return new Map(rows.map((r) => [r.scope, r.n]));
  }
}
