import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A login made with a staff member is reserved first (pending, disabled) and activated once the
 * leads service has the person: `reservation` names the request that reserved it, so that only
 * its own retry resumes it. A staff member has at most one login.
 */
export class StaffLogins1795420000000 implements MigrationInterface {
  name = 'StaffLogins1795420000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN state text NOT NULL DEFAULT 'active' CONSTRAINT users_state_check CHECK (state IN ('pending', 'active'))`);
    await q.query('ALTER TABLE users ADD COLUMN reservation text');
    await q.query(`ALTER TABLE users ADD CONSTRAINT users_pending_disabled CHECK (state = 'active' OR NOT active)`);
    await q.query('CREATE UNIQUE INDEX users_staff_id ON users (staff_id) WHERE staff_id IS NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX users_staff_id');
    await q.query(`DELETE FROM users WHERE state = 'pending'`);
    await q.query('ALTER TABLE users DROP CONSTRAINT users_pending_disabled');
    await q.query('ALTER TABLE users DROP COLUMN reservation');
    await q.query('ALTER TABLE users DROP COLUMN state');
  }
}
