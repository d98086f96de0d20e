import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Bounds } from './touchpoints.rules';

/** A visitor in a scope (every visitor, or a channel's), with its first and last hour seen. */
export interface VisitorBounds extends Bounds {
  scope: string;
  visitorId: string;
}

interface VisitorRow {
  scope: string;
  visitor_id: string;
  first_hour: Date;
  last_hour: Date;
}

const bounds = (r: VisitorRow): VisitorBounds => ({ scope: r.scope, visitorId: r.visitor_id, first: r.first_hour.getTime(), last: r.last_hour.getTime() });

/**
 * funnel_visitors: each visitor's first and last hour per scope. Its row is also the lock that
 * orders the changes to the visitor's hours: every batch takes the rows of its visitors, in
 * (scope, visitor) order, before touching their hours.
 */
@Injectable()
export class VisitorsRepository {
  constructor(private readonly db: DataSource) {}

  /** Adds the visitors not seen before in their scope, with the given bounds; answers those added (and so locked). */
  async addNew(visitors: VisitorBounds[]): Promise<VisitorBounds[]> {
    if (visitors.length === 0) return [];
    const rows = await this.db.query<VisitorRow[]>(
      `INSERT INTO funnel_visitors (scope, visitor_id, first_hour, last_hour)
       SELECT scope, visitor_id, first_hour, last_hour
         FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[]) WITH ORDINALITY AS v(scope, visitor_id, first_hour, last_hour, n)
        ORDER BY n
       ON CONFLICT (scope, visitor_id) DO NOTHING
       RETURNING scope, visitor_id, first_hour, last_hour`,
      [visitors.map((v) => v.scope), visitors.map((v) => v.visitorId), visitors.map((v) => new Date(v.first)), visitors.map((v) => new Date(v.last))],
    );
    return rows.map(bounds);
  }

  /** Locks visitors already seen, in the order given, and answers their bounds. */
  async lock(visitors: { scope: string; visitorId: string }[]): Promise<VisitorBounds[]> {
    if (visitors.length === 0) return [];
    const rows = await this.db.query<VisitorRow[]>(
      `SELECT f.scope, f.visitor_id, f.first_hour, f.last_hour
         FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS v(scope, visitor_id, n)
         JOIN funnel_visitors f ON f.scope = v.scope AND f.visitor_id = v.visitor_id
        ORDER BY v.n
          FOR UPDATE OF f`,
      [visitors.map((v) => v.scope), visitors.map((v) => v.visitorId)],
    );
    return rows.map(bounds);
  }

  async setBounds(visitors: VisitorBounds[]): Promise<void> {
    if (visitors.length === 0) return;
    await this.db.query(
      `UPDATE funnel_visitors f SET first_hour = v.first_hour, last_hour = v.last_hour
         FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[]) AS v(scope, visitor_id, first_hour, last_hour)
        WHERE f.scope = v.scope AND f.visitor_id = v.visitor_id`,
      [visitors.map((v) => v.scope), visitors.map((v) => v.visitorId), visitors.map((v) => new Date(v.first)), visitors.map((v) => new Date(v.last))],
    );
  }
}
