import { Injectable } from '@nestjs/common';
import { BoothView } from '@o2o/contracts';
import { DataSource } from 'typeorm';

export interface BoothRow {
  store_id: string;
  brand_id: string;
  booth: string | null;
  joined_at: Date;
}

export const toBoothView = (r: BoothRow): BoothView => ({ storeId: r.store_id, brandId: r.brand_id, booth: r.booth });

/** A brand's booths: the stores it is a tenant of. */
@Injectable()
export class BoothsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Makes the brand a tenant, or renames its booth. */
  async put(storeId: string, brandId: string, booth: string | null): Promise<BoothRow> {
    const [row]: BoothRow[] = await this.dataSource.query(
      `INSERT INTO booths (store_id, brand_id, booth) VALUES ($1, $2, $3)
       ON CONFLICT (store_id, brand_id) DO UPDATE SET booth = EXCLUDED.booth RETURNING *`,
      [storeId, brandId, booth],
    );
    return row;
  }

  /** Those of the stores where the brand is a tenant. */
  async tenantStoreIds(brandId: string, storeIds: string[]): Promise<string[]> {
    if (storeIds.length === 0) return [];
    const rows: { store_id: string }[] = await this.dataSource.query('SELECT store_id FROM booths WHERE brand_id = $1 AND store_id = ANY($2)', [
      brandId,
      storeIds,
    ]);
    return rows.map((r) => r.store_id);
  }
}
