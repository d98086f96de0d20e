import { QueryRunner } from 'typeorm';

/**
 * Tables every service keeps next to its own: the outbox of events it emits, and the ids of
 * events it has already consumed. Called from each service's first migration.
 */
export async function createPlatformTables(q: QueryRunner): Promise<void> {
  await q.query(`
    CREATE TABLE outbox (
      id uuid PRIMARY KEY,
      type text NOT NULL,
      payload jsonb NOT NULL,
      occurred_at timestamptz NOT NULL DEFAULT now(),
      published_at timestamptz
    )`);
  await q.query(`CREATE INDEX outbox_unpublished ON outbox (occurred_at, id) WHERE published_at IS NULL`);
  await q.query(`
    CREATE TABLE processed_events (
      event_id uuid PRIMARY KEY,
      type text NOT NULL,
      processed_at timestamptz NOT NULL DEFAULT now()
    )`);
}

export async function dropPlatformTables(q: QueryRunner): Promise<void> {
  await q.query('DROP TABLE processed_events');
  await q.query('DROP TABLE outbox');
}

/** The table behind Idempotency-Key handling, kept by whoever answers the POSTs. */
export async function createIdempotencyTable(q: QueryRunner): Promise<void> {
  await q.query(`
    CREATE TABLE idempotency_keys (
      scope text NOT NULL,
      key text NOT NULL,
      request_hash text NOT NULL,
      state text NOT NULL CHECK (state IN ('in_flight', 'done')),
      response_status int,
      response_body jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      completed_at timestamptz,
      PRIMARY KEY (scope, key)
    )`);
  await q.query('CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at)');
}

/** Lets an Idempotency-Key record an unknown outcome (a 5xx), kept for the retry to resolve. */
export async function allowUnknownIdempotencyOutcome(q: QueryRunner): Promise<void> {
  await q.query('ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_state_check');
  await q.query(`ALTER TABLE idempotency_keys ADD CONSTRAINT idempotency_keys_state_check CHECK (state IN ('in_flight', 'done', 'unknown'))`);
}
