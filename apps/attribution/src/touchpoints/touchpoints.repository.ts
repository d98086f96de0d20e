import { Injectable } from '@nestjs/common';
import { Channel } from '@o2o/contracts';
import { DataSource } from 'typeorm';

export interface TouchpointRow {
  id: string;
  visitor_id: string;
  type: string;
  channel: Channel;
  campaign: string | null;
  keyword: string | null;
  landing_page: string | null;
  at: Date;
}

/** A visitor seen in a channel. */
export interface VisitorInChannel {
  visitorId: string;
  channel: string;
}

/** Raw touchpoints: written a batch at a time, read only in the partial hours at a report's edges. */
@Injectable()
export class TouchpointsRepository {
  constructor(private readonly db: DataSource) {}

  /** One statement for the whole batch. */
  async insertMany(rows: TouchpointRow[]): Promise<void> {
    await this.db.query(
      `INSERT INTO touchpoints (id, visitor_id, type, channel, campaign, keyword, landing_page, at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[])`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.visitor_id),
        rows.map((r) => r.type),
        rows.map((r) => r.channel),
        rows.map((r) => r.campaign),
        rows.map((r) => r.keyword),
        rows.map((r) => r.landing_page),
        rows.map((r) => r.at),
      ],
    );
  }

  /** The visitors seen, per channel, in short ranges (at most two: a report's partial edge hours). */
  async visitorsWithin(ranges: { from: number; to: number }[]): Promise<VisitorInChannel[]> {
    if (ranges.length === 0) return [];
    const [a, b = a] = ranges;
    const rows = await this.db.query<{ visitor_id: string; channel: string }[]>(
      `SELECT DISTINCT visitor_id, channel FROM touchpoints
        WHERE (at >= $1 AND at < $2) OR (at >= $3 AND at < $4)`,
      [new Date(a.from), new Date(a.to), new Date(b.from), new Date(b.to)],
    );
    return rows.map((r) => ({ visitorId: r.visitor_id, channel: r.channel }));
  }
}
