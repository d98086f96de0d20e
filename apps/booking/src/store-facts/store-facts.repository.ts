import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** What booking knows of a store: where it is and how its appointments are laid out. */
export interface StoreFact {
  id: string;
  name: string;
  city: string;
  timeZone: string;
  opensAt: string;
  closesAt: string;
  slotMinutes: number;
  slotCapacity: number;
  asOf: string;
}

interface StoreRow {
  id: string;
  name: string;
  city: string;
  time_zone: string;
  opens_at: string;
  closes_at: string;
  slot_minutes: number;
  slot_capacity: number;
  as_of: Date;
}

const toStoreFact = (r: StoreRow): StoreFact => ({
  id: r.id,
  name: r.name,
  city: r.city,
  timeZone: r.time_zone,
  opensAt: r.opens_at,
  closesAt: r.closes_at,
  slotMinutes: r.slot_minutes,
  slotCapacity: r.slot_capacity,
  asOf: r.as_of.toISOString(),
});

export interface TenancyFact {
  storeId: string;
  brandId: string;
  city: string;
  asOf: string;
}

/** The stores and store_brands tables: booking's copy of the catalog's stores and their tenants. */
@Injectable()
export class StoreFactsRepository {
  constructor(private readonly db: DataSource) {}

  /** Events may arrive out of order: an older fact never overwrites a newer one. */
  async recordStore(f: StoreFact): Promise<void> {
    await this.db.query(
      `INSERT INTO stores (id, name, city, time_zone, opens_at, closes_at, slot_minutes, slot_capacity, as_of)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, city = EXCLUDED.city, time_zone = EXCLUDED.time_zone,
         opens_at = EXCLUDED.opens_at, closes_at = EXCLUDED.closes_at, slot_minutes = EXCLUDED.slot_minutes,
         slot_capacity = EXCLUDED.slot_capacity, as_of = EXCLUDED.as_of
       WHERE stores.as_of <= EXCLUDED.as_of`,
      [f.id, f.name, f.city, f.timeZone, f.opensAt, f.closesAt, f.slotMinutes, f.slotCapacity, f.asOf],
    );
  }

  async recordTenancy(f: TenancyFact): Promise<void> {
    await this.db.query(
      `INSERT INTO store_brands (store_id, brand_id, city, as_of) VALUES ($1, $2, $3, $4)
       ON CONFLICT (store_id, brand_id) DO UPDATE SET city = EXCLUDED.city, as_of = EXCLUDED.as_of WHERE store_brands.as_of <= EXCLUDED.as_of`,
      [f.storeId, f.brandId, f.city, f.asOf],
    );
  }

  async store(id: string): Promise<StoreFact | undefined> {
    const [row] = await this.db.query<StoreRow[]>('SELECT * FROM stores WHERE id = $1', [id]);
    return row && toStoreFact(row);
  }

  /** Of these brands, the ones that are not tenants of the store. */
  async notTenantsOf(storeId: string, brandIds: string[]): Promise<string[]> {
    if (brandIds.length === 0) return [];
    const rows = await this.db.query<{ brand_id: string }[]>('SELECT brand_id FROM store_brands WHERE store_id = $1 AND brand_id = ANY($2::uuid[])', [
      storeId,
      brandIds,
    ]);
    const tenants = new Set(rows.map((r) => r.brand_id));
    return brandIds.filter((b) => !tenants.has(b));
  }

  /** Of these brands, the ones with no store in the city (through the store's current city). */
  async notInCity(city: string, brandIds: string[]): Promise<string[]> {
    if (brandIds.length === 0) return [];
    const rows = await this.db.query<{ brand_id: string }[]>(
      `SELECT DISTINCT sb.brand_id FROM store_brands sb JOIN stores s ON s.id = sb.store_id
       WHERE s.city = $1 AND sb.brand_id = ANY($2::uuid[])`,
      [city, brandIds],
    );
    const present = new Set(rows.map((r) => r.brand_id));
    return brandIds.filter((b) => !present.has(b));
  }
}
