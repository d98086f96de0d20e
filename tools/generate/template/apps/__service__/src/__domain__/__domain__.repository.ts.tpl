import { Injectable } from '@nestjs/common';
import { __Thing__Status, __Thing__View } from '@o2o/contracts';
import { queryRows } from '@o2o/platform';
import { DataSource } from 'typeorm';

/** A row of the __domain__ table as Postgres returns it. */
export interface __Thing__Row {
  id: string;
  name: string;
  status: __Thing__Status;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export const to__Thing__View = (row: __Thing__Row): __Thing__View => ({
  id: row.id,
  name: row.name,
  status: row.status,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

/** Every query of the __domain__ table. Inside a transaction its queries join it. */
@Injectable()
export class __Domain__Repository {
  constructor(private readonly db: DataSource) {}

  async insert(row: Pick<__Thing__Row, 'id' | 'name' | 'status' | 'created_by'>): Promise<__Thing__Row> {
    const [inserted] = await queryRows<__Thing__Row>(this.db, 'INSERT INTO __domain__ (id, name, status, created_by) VALUES ($1, $2, $3, $4) RETURNING *', [
      row.id,
      row.name,
      row.status,
      row.created_by,
    ]);
    return inserted;
  }

  async find(id: string): Promise<__Thing__Row | undefined> {
    const [row] = await queryRows<__Thing__Row>(this.db, 'SELECT * FROM __domain__ WHERE id = $1', [id]);
    return row;
  }

  /** Newest first, after the cursor's id (ids are time-ordered). */
  async page(limit: number, afterId?: string): Promise<__Thing__Row[]> {
    return queryRows<__Thing__Row>(this.db, 'SELECT * FROM __domain__ WHERE ($1::uuid IS NULL OR id < $1) ORDER BY id DESC LIMIT $2', [afterId ?? null, limit]);
  }

  /** The conditional update: it moves only from a status that allows it; no row means a conflict. */
  async move(id: string, from: __Thing__Status[], to: __Thing__Status): Promise<__Thing__Row | undefined> {
    const [row] = await queryRows<__Thing__Row>(this.db, 'UPDATE __domain__ SET status = $3, updated_at = now() WHERE id = $1 AND status = ANY($2) RETURNING *', [id, from, to]);
    return row;
  }
}
