import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each brand's partner webhook (one per brand), and an index for the sweep that re-schedules
 * deliveries of recent lead events whose jobs were never scheduled (see webhooks/webhook-notifier.ts).
 */
export class BrandWebhooks1795600000000 implements MigrationInterface {
  name = 'BrandWebhooks1795600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE brand_webhooks (
        brand_id uuid PRIMARY KEY,
        url text NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
        secret text NOT NULL CHECK (length(secret) BETWEEN 16 AND 200),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX outbox_partner_lead_events ON outbox (occurred_at) WHERE type IN ('lead.assigned', 'lead.reassigned')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX outbox_partner_lead_events');
    await q.query('DROP TABLE brand_webhooks');
  }
}
