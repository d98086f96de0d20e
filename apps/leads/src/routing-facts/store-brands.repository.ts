import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** A brand tenant in a store (a booth), as the catalog announced it. */
export interface TenancyFact {
  storeId: string;
  brandId: string;
  city: string;
  asOf: string;
}

/** The store_brands table: which brands are tenants of which stores. */
@Injectable()
export class StoreBrandsRepository {
  constructor(private readonly db: DataSource) {}

  async record(fact: TenancyFact): Promise<void> {
    await this.db.query(
      `INSERT INTO store_brands (store_id, brand_id, city, as_of) VALUES ($1, $2, $3, $4)
       ON CONFLICT (store_id, brand_id) DO UPDATE SET city = EXCLUDED.city, as_of = EXCLUDED.as_of WHERE store_brands.as_of <= EXCLUDED.as_of`,
      [fact.storeId, fact.brandId, fact.city, fact.asOf],
    );
  }

  /** The (store, brand) tenancies among these brands in a city, in a stable order. */
  async tenancies(city: string, brandIds: string[]): Promise<{ storeId: string; brandId: string }[]> {
    const rows = await this.db.query<{ store_id: string; brand_id: string }[]>(
      `SELECT sb.store_id, sb.brand_id FROM store_brands sb
       LEFT JOIN known_stores ks ON ks.id = sb.store_id
       WHERE sb.brand_id = ANY($2::uuid[]) AND coalesce(ks.city, sb.city) = $1
       ORDER BY sb.store_id, sb.brand_id`,
      [city, brandIds],
    );
    return rows.map((r) => ({ storeId: r.store_id, brandId: r.brand_id }));
  }
}
