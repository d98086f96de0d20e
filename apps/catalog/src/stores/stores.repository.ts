import { Injectable } from '@nestjs/common';
import { StoreView } from '@o2o/contracts';
import { queryRows } from '@o2o/platform';
import { DataSource } from 'typeorm';

export interface StoreRow {
  id: string;
  name: string;
  city: string;
  district: string | null;
  address: string;
  time_zone: string;
  opens_at: string;
  closes_at: string;
  slot_minutes: number;
  slot_capacity: number;
  created_at: Date;
  updated_at: Date;
}

/** A store's settings as written: everything but its timestamps. */
export interface StoreFields {
  name: string;
  city: string;
  district: string | null;
  address: string;
  timeZone: string;
  opensAt: string;
  closesAt: string;
  slotMinutes: number;
  slotCapacity: number;
}

export const toStoreView = (r: StoreRow): StoreView => ({
  id: r.id,
  name: r.name,
  city: r.city,
  district: r.district,
  address: r.address,
  timeZone: r.time_zone,
  opensAt: r.opens_at,
  closesAt: r.closes_at,
  slotMinutes: r.slot_minutes,
  slotCapacity: r.slot_capacity,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

const values = (s: StoreFields) => [s.name, s.city, s.district, s.address, s.timeZone, s.opensAt, s.closesAt, s.slotMinutes, s.slotCapacity];

@Injectable()
export class StoresRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(id: string, store: StoreFields): Promise<StoreRow> {
    const [row]: StoreRow[] = await this.dataSource.query(
      `INSERT INTO stores (id, name, city, district, address, time_zone, opens_at, closes_at, slot_minutes, slot_capacity)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
      [id, ...values(store)],
    );
    return row;
  }

  async update(id: string, store: StoreFields): Promise<StoreRow | undefined> {
    const [row] = await queryRows<StoreRow>(
      this.dataSource,
      `UPDATE stores SET name = $2, city = $3, district = $4, address = $5, time_zone = $6, opens_at = $7, closes_at = $8,
              slot_minutes = $9, slot_capacity = $10, updated_at = now()
        WHERE id = $1 RETURNING *`,
      [id, ...values(store)],
    );
    return row;
  }

  async find(id: string): Promise<StoreRow | undefined> {
    const [row]: StoreRow[] = await this.dataSource.query('SELECT * FROM stores WHERE id = $1', [id]);
    return row;
  }

  /** Locks the store until the transaction ends. */
  async findForUpdate(id: string): Promise<StoreRow | undefined> {
    const [row]: StoreRow[] = await this.dataSource.query('SELECT * FROM stores WHERE id = $1 FOR UPDATE', [id]);
    return row;
  }

  async findMany(ids: string[]): Promise<StoreRow[]> {
    if (ids.length === 0) return [];
    return this.dataSource.query('SELECT * FROM stores WHERE id = ANY($1)', [ids]);
  }

  /** Keyset on id: LIMIT size + 1 tells whether another page follows. */
  async page(size: number, after: string | undefined, city: string | undefined): Promise<StoreRow[]> {
    const params: unknown[] = [size + 1];
    const where: string[] = [];
    if (city) where.push(`city = $${params.push(city)}`);
    if (after) where.push(`id > $${params.push(after)}`);
    return this.dataSource.query(`SELECT * FROM stores ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT $1`, params);
  }
}
