import { MigrationInterface, QueryRunner } from 'typeorm';

/** The record of handled requests behind exactly-once commands (see RequestLedger). */
export class RequestLedger1764000000000 implements MigrationInterface {
  name = 'RequestLedger1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE handled_requests (
        request_id text PRIMARY KEY,
        pattern text NOT NULL,
        request_hash text NOT NULL,
        answer jsonb,
        handled_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX handled_requests_handled_at ON handled_requests (handled_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE handled_requests');
  }
}
