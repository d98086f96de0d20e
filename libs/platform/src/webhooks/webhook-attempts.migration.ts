import { MigrationInterface, QueryRunner } from 'typeorm';

/** Every delivery attempt of a partner webhook, kept for the partner to read (never the receiver's body). */
export class WebhookAttempts1764000000100 implements MigrationInterface {
  name = 'WebhookAttempts1764000000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_attempts (
        id uuid PRIMARY KEY,
        brand_id uuid NOT NULL,
        event_id uuid NOT NULL,
        type text NOT NULL,
        url text NOT NULL,
        attempt int NOT NULL CHECK (attempt > 0),
        status_code int,
        error text,
        at timestamptz NOT NULL DEFAULT now(),
        next_attempt_at timestamptz,
        UNIQUE (brand_id, event_id, attempt)
      )`);
    await q.query('CREATE INDEX webhook_attempts_brand ON webhook_attempts (brand_id, id DESC)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE webhook_attempts');
  }
}
