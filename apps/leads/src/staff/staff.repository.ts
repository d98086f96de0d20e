import { Injectable } from '@nestjs/common';
import { StaffChangedEvent, StaffRole, StaffView, Team } from '@o2o/contracts';
import { queryRows } from '@o2o/platform';
import { DataSource } from 'typeorm';

/** A row of the staff table as Postgres returns it. */
export interface StaffRow {
  id: string;
  name: string;
  team: Team;
  role: StaffRole;
  store_id: string | null;
  brand_ids: string[];
  daily_capacity: number;
  active: boolean;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export type NewStaff = Pick<StaffRow, 'id' | 'name' | 'team' | 'role' | 'store_id' | 'brand_ids' | 'daily_capacity' | 'active' | 'created_by'>;
export type StaffChange = Partial<Pick<StaffRow, 'active' | 'daily_capacity' | 'brand_ids'>>;

export const staffView = (row: StaffRow): StaffView => ({
  id: row.id,
  name: row.name,
  team: row.team,
  role: row.role,
  storeId: row.store_id,
  brandIds: row.brand_ids,
  dailyCapacity: row.daily_capacity,
  active: row.active,
  createdAt: row.created_at.toISOString(),
});

/** The staff.changed payload: what other services may keep of a staff member (the migration that announced the roster once writes the same). */
export const staffChanged = (row: StaffRow): StaffChangedEvent => ({
  staffId: row.id,
  storeId: row.store_id,
  brandIds: row.brand_ids,
  role: row.role,
  team: row.team,
  active: row.active,
  at: row.updated_at.toISOString(),
});

/** Every query of the staff table. Inside a transaction its queries join it. */
@Injectable()
export class StaffRepository {
  constructor(private readonly db: DataSource) {}

  async insert(row: NewStaff): Promise<StaffRow> {
    const [inserted] = await queryRows<StaffRow>(
      this.db,
      `INSERT INTO staff (id, name, team, role, store_id, brand_ids, daily_capacity, active, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
      [row.id, row.name, row.team, row.role, row.store_id, row.brand_ids, row.daily_capacity, row.active, row.created_by],
    );
    return inserted;
  }

  async find(id: string): Promise<StaffRow | undefined> {
    const [row] = await queryRows<StaffRow>(this.db, 'SELECT * FROM staff WHERE id = $1', [id]);
    return row;
  }

  /** Changes only the fields given; a store manager's change is limited to their store. */
  async update(id: string, change: StaffChange, inStore?: string): Promise<StaffRow | undefined> {
    const [row] = await queryRows<StaffRow>(
      this.db,
      `UPDATE staff SET active = coalesce($2, active), daily_capacity = coalesce($3, daily_capacity), brand_ids = coalesce($4, brand_ids), updated_at = now()
       WHERE id = $1 AND ($5::uuid IS NULL OR store_id = $5) RETURNING *`,
      [id, change.active ?? null, change.daily_capacity ?? null, change.brand_ids ?? null, inStore ?? null],
    );
    return row;
  }

  /** Oldest first (ids are time-ordered), after the cursor's id. */
  async page(filter: { limit: number; afterId?: string; storeId?: string; team?: Team; inStore?: string }): Promise<StaffRow[]> {
    return queryRows<StaffRow>(
      this.db,
      `SELECT * FROM staff
       WHERE ($1::uuid IS NULL OR id > $1) AND ($2::uuid IS NULL OR store_id = $2) AND ($3::text IS NULL OR team = $3)
         AND ($4::uuid IS NULL OR store_id = $4)
       ORDER BY id LIMIT $5`,
      [filter.afterId ?? null, filter.storeId ?? null, filter.team ?? null, filter.inStore ?? null, filter.limit],
    );
  }

  /**
   * The active salespeople of a store who sell the brand (those with no brands sell all the
   * store's brands), in rotation order. Capacity is checked by the caller.
   */
  async salespeople(storeId: string, brandId: string | null): Promise<StaffRow[]> {
    return queryRows<StaffRow>(
      this.db,
      `SELECT * FROM staff
       WHERE store_id = $1 AND team = 'offline' AND active AND role IN ('store_staff', 'store_manager')
         AND ($2::uuid IS NULL OR cardinality(brand_ids) = 0 OR $2 = ANY(brand_ids))
       ORDER BY id`,
      [storeId, brandId],
    );
  }
}
