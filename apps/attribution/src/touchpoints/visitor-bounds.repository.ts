import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BoundsDelta } from './touchpoints.rules';

/** funnel_visitor_bounds: per UTC hour and scope, how many visitors were first and last seen then. */
@Injectable()
export class VisitorBoundsRepository {
  constructor(private readonly db: DataSource) {}

  /** Adds the deltas, in the order given (the lock order). */
  async apply(deltas: BoundsDelta[]): Promise<void> {
    if (deltas.length === 0) return;
    await this.db.query(
      `INSERT INTO funnel_visitor_bounds AS b (scope, hour, firsts, lasts)
       SELECT scope, hour, firsts, lasts
         FROM unnest($1::text[], $2::timestamptz[], $3::int[], $4::int[]) WITH ORDINALITY AS d(scope, hour, firsts, lasts, n)
        ORDER BY n
       ON CONFLICT (hour, scope) DO UPDATE SET firsts = b.firsts + EXCLUDED.firsts, lasts = b.lasts + EXCLUDED.lasts`,
      [deltas.map((d) => d.scope), deltas.map((d) => new Date(d.hour)), deltas.map((d) => d.firsts), deltas.map((d) => d.lasts)],
    );
  }

  /**
   * Per scope, the visitors last seen at or after `from` less those first seen at or after `to`:
   * everyone seen in the whole hours [from, to), plus those seen on both sides but not inside.
   */
  async lastFromLessFirstFrom(from: number, to: number): Promise<Map<string, number>> {
    const rows = await this.db.query<{ scope: string; n: number }[]>(
      `SELECT scope, (coalesce(sum(lasts), 0) - coalesce(sum(firsts) FILTER (WHERE hour >= $2), 0))::int AS n
         FROM funnel_visitor_bounds WHERE hour >= $1
        GROUP BY scope`,
      [new Date(from), new Date(to)],
    );
    return new Map(rows.map((r) => [r.scope, r.n]));
  }
}
