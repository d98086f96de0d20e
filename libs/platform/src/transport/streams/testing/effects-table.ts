import { MigrationInterface, QueryRunner } from 'typeorm';

/** The fixture's visible effect: one row per command that committed. */
export class FixtureEffects1764000000001 implements MigrationInterface {
  name = 'FixtureEffects1764000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE effects (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        request_key text NOT NULL,
        replica text NOT NULL,
        written_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query('CREATE INDEX effects_request_key ON effects (request_key)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE effects');
  }
}
