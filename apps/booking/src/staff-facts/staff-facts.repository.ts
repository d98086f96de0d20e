import { Injectable } from '@nestjs/common';
import { StaffChangedEvent, StaffRole, Team } from '@o2o/contracts';
import { DataSource } from 'typeorm';

/** What booking knows of a staff member, as the last staff.changed said: where they work, in what role, and whether they still do. */
export type StaffFact = Omit<StaffChangedEvent, 'at'> & { asOf: string };

interface StaffFactRow {
  staff_id: string;
  store_id: string | null;
  brand_ids: string[];
  role: StaffRole;
  team: Team;
  active: boolean;
  as_of: Date;
}

const toStaffFact = (r: StaffFactRow): StaffFact => ({
  staffId: r.staff_id,
  storeId: r.store_id,
  brandIds: r.brand_ids,
  role: r.role,
  team: r.team,
  active: r.active,
  asOf: r.as_of.toISOString(),
});

/** The staff_facts table: booking's copy of the leads roster. */
@Injectable()
export class StaffFactsRepository {
  constructor(private readonly db: DataSource) {}

  /** Events may arrive out of order: an older fact never overwrites a newer one. */
  async record(f: StaffFact): Promise<void> {
    await this.db.query(
      `INSERT INTO staff_facts (staff_id, store_id, brand_ids, role, team, active, as_of) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (staff_id) DO UPDATE SET store_id = EXCLUDED.store_id, brand_ids = EXCLUDED.brand_ids, role = EXCLUDED.role,
         team = EXCLUDED.team, active = EXCLUDED.active, as_of = EXCLUDED.as_of
       WHERE staff_facts.as_of <= EXCLUDED.as_of`,
      [f.staffId, f.storeId, f.brandIds, f.role, f.team, f.active, f.asOf],
    );
  }

  async find(staffId: string): Promise<StaffFact | undefined> {
    const [row] = await this.db.query<StaffFactRow[]>('SELECT * FROM staff_facts WHERE staff_id = $1', [staffId]);
    return row && toStaffFact(row);
  }
}
