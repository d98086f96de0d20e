import { createIdempotencyTable } from '@o2o/platform';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class GatewayTables1763856000000 implements MigrationInterface {
  name = 'GatewayTables1763856000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY,
        username text NOT NULL UNIQUE,
        password_hash text NOT NULL,
        roles text[] NOT NULL,
        staff_id uuid,
        store_id uuid,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY,
        brand_id uuid NOT NULL,
        key_hash text NOT NULL UNIQUE,
        key_prefix text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await q.query('CREATE INDEX api_keys_brand ON api_keys (brand_id)');
    await createIdempotencyTable(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE idempotency_keys');
    await q.query('DROP TABLE api_keys');
    await q.query('DROP TABLE users');
  }
}
