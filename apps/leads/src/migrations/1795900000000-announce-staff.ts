import { newId } from '@o2o/platform';
import { MigrationInterface, QueryRunner } from 'typeorm';

interface StaffSnapshot {
  id: string;
  store_id: string | null;
  brand_ids: string[];
  role: string;
  team: string;
  active: boolean;
  updated_at: Date;
}

const PAGE = 500;

/**
 * Booking learns who may close a deal at a store from staff.changed, which leads writes with every
 * staff change from now on. Staff made before that were never announced: this writes one
 * staff.changed row to the outbox for each, unpublished, for the relay to send like any other.
 * The payload is spelled out here (not taken from the service) so the migration stays as written.
 */
export class AnnounceStaff1795900000000 implements MigrationInterface {
  name = 'AnnounceStaff1795900000000';

  async up(q: QueryRunner): Promise<void> {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows: StaffSnapshot[] = await q.query(
        'SELECT id, store_id, brand_ids, role, team, active, updated_at FROM staff WHERE id > $1 ORDER BY id LIMIT $2',
        [after, PAGE],
      );
      if (rows.length === 0) return;
      const payloads = rows.map((r) =>
        JSON.stringify({
          staffId: r.id,
          storeId: r.store_id,
          brandIds: r.brand_ids,
          role: r.role,
          team: r.team,
          active: r.active,
          at: r.updated_at.toISOString(),
        }),
      );
      // clock_timestamp(), as writeEvent stamps events: later than any change already announced.
      await q.query(
        `INSERT INTO outbox (id, type, payload, occurred_at)
         SELECT id, 'staff.changed', payload, clock_timestamp() FROM unnest($1::uuid[], $2::jsonb[]) AS e (id, payload)`,
        [rows.map(() => newId()), payloads],
      );
      after = rows[rows.length - 1].id;
    }
  }

  async down(): Promise<void> {
    // Nothing to undo: the rows are events, true when written, and may have been sent already.
  }
}
