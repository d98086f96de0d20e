import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Booking's copy of the leads roster, fed by staff.changed: who may close a deal at a store (an
 * active salesperson or manager of it). as_of is the event's time: an older event never
 * overwrites a newer one.
 */
export class StaffFacts1795900000100 implements MigrationInterface {
  name = 'StaffFacts1795900000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE staff_facts (
        staff_id uuid PRIMARY KEY,
        store_id uuid,
        brand_ids uuid[] NOT NULL DEFAULT '{}',
        role text NOT NULL,
        team text NOT NULL,
        active boolean NOT NULL,
        as_of timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE staff_facts');
  }
}
