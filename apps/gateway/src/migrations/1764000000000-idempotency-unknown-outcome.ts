import { allowUnknownIdempotencyOutcome } from '@o2o/platform';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class IdempotencyUnknownOutcome1764000000000 implements MigrationInterface {
  name = 'IdempotencyUnknownOutcome1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await allowUnknownIdempotencyOutcome(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM idempotency_keys WHERE state = 'unknown'`);
    await q.query('ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_state_check');
    await q.query(`ALTER TABLE idempotency_keys ADD CONSTRAINT idempotency_keys_state_check CHECK (state IN ('in_flight', 'done'))`);
  }
}
