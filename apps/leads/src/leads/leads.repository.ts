import { Injectable } from '@nestjs/common';
import { LeadStatus, LeadView } from '@o2o/contracts';
import { queryRows } from '@o2o/platform';
import { DataSource } from 'typeorm';

/** A row of the leads table as Postgres returns it. */
export interface LeadRow {
  id: string;
  name: string;
  status: LeadStatus;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export const toLeadView = (row: LeadRow): LeadView => ({
  id: row.id,
  name: row.name,
  status: row.status,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

/** Every query of the leads table. Inside a transaction its queries join it. */
@Injectable()
export class LeadsRepository {
  constructor(private readonly db: DataSource) {}

  async insert(row: Pick<LeadRow, 'id' | 'name' | 'status' | 'created_by'>): Promise<LeadRow> {
    const [inserted] = await queryRows<LeadRow>(this.db, 'INSERT INTO leads (id, name, status, created_by) VALUES ($1, $2, $3, $4) RETURNING *', [
      row.id,
      row.name,
      row.status,
      row.created_by,
    ]);
    return inserted;
  }

  async find(id: string): Promise<LeadRow | undefined> {
    const [row] = await queryRows<LeadRow>(this.db, 'SELECT * FROM leads WHERE id = $1', [id]);
    return row;
  }

  /** Newest first, after the cursor's id (ids are time-ordered). */
  async page(limit: number, afterId?: string): Promise<LeadRow[]> {
    return queryRows<LeadRow>(this.db, 'SELECT * FROM leads WHERE ($1::uuid IS NULL OR id < $1) ORDER BY id DESC LIMIT $2', [afterId ?? null, limit]);
  }

  /** The conditional update: it moves only from a status that allows it; no row means a conflict. */
  async move(id: string, from: LeadStatus[], to: LeadStatus): Promise<LeadRow | undefined> {
    const [row] = await queryRows<LeadRow>(this.db, 'UPDATE leads SET status = $3, updated_at = now() WHERE id = $1 AND status = ANY($2) RETURNING *', [id, from, to]);
    return row;
  }
}
