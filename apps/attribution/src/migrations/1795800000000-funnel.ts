import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The funnel: raw rows per step (touchpoints; one row per consultation, booking, store visit and
 * deal, keyed by its own id so that a repeated event counts nothing), and the rollups the report
 * reads, each written in the transaction of the record it counts.
 *
 * - funnel_hours and funnel_days: per UTC hour (and per UTC day), dimension and key, the counts
 *   and amounts of the four steps after the visit. A range reads whole days from the days, the
 *   whole hours around them from the hours, and the partial hours at its edges from the raw rows.
 *   Every record has exactly one channel, so the channel rows add up to the totals.
 * - Distinct visitors cannot be added up from counts. Per scope (all, or one channel) and visitor:
 *   funnel_visitors keeps the first and last hour seen, funnel_visitor_hours one row per hour
 *   seen with the next hour seen, and funnel_visitor_bounds counts per hour the visitors first
 *   and last seen then. The visitors of whole hours [A, B) are then those last seen at or after A,
 *   less those first seen at or after B, less those seen before A and next at or after B.
 */
export class Funnel1795800000000 implements MigrationInterface {
  name = 'Funnel1795800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE touchpoints (
        id uuid PRIMARY KEY,
        visitor_id text NOT NULL,
        type text NOT NULL CHECK (type IN ('visit')),
        channel text NOT NULL,
        campaign text,
        keyword text,
        landing_page text,
        at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The report reads raw touchpoints only in the partial hours at a range's edges.
    await q.query('CREATE INDEX touchpoints_at ON touchpoints (at)');

    await q.query(`
      CREATE TABLE funnel_consultations (
        consultation_id uuid PRIMARY KEY,
        at timestamptz NOT NULL,
        channel text NOT NULL,
        city text NOT NULL,
        agent_id text
      )`);
    await q.query('CREATE INDEX funnel_consultations_at ON funnel_consultations (at)');
    await q.query(`
      CREATE TABLE funnel_bookings (
        booking_id uuid PRIMARY KEY,
        at timestamptz NOT NULL,
        channel text NOT NULL,
        city text NOT NULL,
        store_id uuid,
        agent_id text,
        brand_ids uuid[] NOT NULL DEFAULT '{}'
      )`);
    await q.query('CREATE INDEX funnel_bookings_at ON funnel_bookings (at)');
    // One check-in per booking: the booking's id is the visit's.
    await q.query(`
      CREATE TABLE funnel_store_visits (
        booking_id uuid PRIMARY KEY,
        at timestamptz NOT NULL,
        channel text NOT NULL,
        city text NOT NULL,
        store_id uuid,
        agent_id text,
        brand_ids uuid[] NOT NULL DEFAULT '{}'
      )`);
    await q.query('CREATE INDEX funnel_store_visits_at ON funnel_store_visits (at)');
    await q.query(`
      CREATE TABLE funnel_deals (
        deal_id uuid PRIMARY KEY,
        at timestamptz NOT NULL,
        channel text NOT NULL,
        city text,
        store_id uuid NOT NULL,
        brand_id uuid NOT NULL,
        agent_id text,
        amount_fen bigint NOT NULL CHECK (amount_fen >= 0),
        budget_fen bigint CHECK (budget_fen >= 0)
      )`);
    await q.query('CREATE INDEX funnel_deals_at ON funnel_deals (at)');

    await q.query(`
      CREATE TABLE funnel_hours (
        dim text NOT NULL CHECK (dim IN ('channel', 'city', 'store', 'agent', 'brand')),
        key text NOT NULL,
        hour timestamptz NOT NULL CHECK (date_trunc('hour', hour, 'UTC') = hour),
        consultations integer NOT NULL DEFAULT 0,
        bookings integer NOT NULL DEFAULT 0,
        store_visits integer NOT NULL DEFAULT 0,
        deals integer NOT NULL DEFAULT 0,
        deal_amount_fen bigint NOT NULL DEFAULT 0,
        budget_fen bigint NOT NULL DEFAULT 0,
        premium_fen bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (dim, hour, key)
      )`);
    // The same per UTC day: a month by store is some thousands of day rows instead of tens of thousands of hour rows.
    await q.query(`
      CREATE TABLE funnel_days (
        dim text NOT NULL CHECK (dim IN ('channel', 'city', 'store', 'agent', 'brand')),
        key text NOT NULL,
        day timestamptz NOT NULL CHECK (date_trunc('day', day, 'UTC') = day),
        consultations integer NOT NULL DEFAULT 0,
        bookings integer NOT NULL DEFAULT 0,
        store_visits integer NOT NULL DEFAULT 0,
        deals integer NOT NULL DEFAULT 0,
        deal_amount_fen bigint NOT NULL DEFAULT 0,
        budget_fen bigint NOT NULL DEFAULT 0,
        premium_fen bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (dim, day, key)
      )`);

    await q.query(`
      CREATE TABLE funnel_visitors (
        scope text NOT NULL,
        visitor_id text NOT NULL,
        first_hour timestamptz NOT NULL,
        last_hour timestamptz NOT NULL,
        PRIMARY KEY (scope, visitor_id),
        CHECK (first_hour <= last_hour)
      )`);
    await q.query(`
      CREATE TABLE funnel_visitor_hours (
        scope text NOT NULL,
        visitor_id text NOT NULL,
        hour timestamptz NOT NULL CHECK (date_trunc('hour', hour, 'UTC') = hour),
        next_hour timestamptz CHECK (next_hour > hour),
        PRIMARY KEY (scope, visitor_id, hour)
      )`);
    // The gaps between a visitor's hours that span a whole range: visitors seen on both sides of it, not inside.
    await q.query(`
      CREATE INDEX funnel_visitor_hours_gaps ON funnel_visitor_hours
        USING gist (tstzrange(hour, next_hour, '[]')) WHERE next_hour IS NOT NULL`);
    await q.query(`
      CREATE TABLE funnel_visitor_bounds (
        scope text NOT NULL,
        hour timestamptz NOT NULL CHECK (date_trunc('hour', hour, 'UTC') = hour),
        -- Moves arrive as signed deltas (an upsert checks the row it would insert), so no CHECK (>= 0) here.
        firsts integer NOT NULL DEFAULT 0,
        lasts integer NOT NULL DEFAULT 0,
        PRIMARY KEY (hour, scope)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'funnel_visitor_bounds',
      'funnel_visitor_hours',
      'funnel_visitors',
      'funnel_days',
      'funnel_hours',
      'funnel_deals',
      'funnel_store_visits',
      'funnel_bookings',
      'funnel_consultations',
      'touchpoints',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
