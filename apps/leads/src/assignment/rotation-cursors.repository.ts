import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The brand key of a rotation over all a store's brands. */
const ANY_BRAND = '00000000-0000-0000-0000-000000000000';

/** The rotation_cursors table: the last person given a lead per store and brand, for round robin. */
@Injectable()
export class RotationCursorsRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Serialises routing per store until the transaction ends, so that two leads never both take
   * the last unit of someone's capacity or the same turn. Taken in a stable order: no deadlock.
   */
  async lockStores(storeIds: string[]): Promise<void> {
    for (const storeId of [...new Set(storeIds)].sort()) {
      await this.db.query(`SELECT pg_advisory_xact_lock(hashtextextended('leads-route:' || $1, 0))`, [storeId]);
    }
  }

  async last(storeId: string, brandId: string | null): Promise<string | undefined> {
    const [row] = await this.db.query<{ last_staff_id: string }[]>('SELECT last_staff_id FROM rotation_cursors WHERE store_id = $1 AND brand_id = $2', [
      storeId,
      brandId ?? ANY_BRAND,
    ]);
    return row?.last_staff_id;
  }

  async advance(storeId: string, brandId: string | null, staffId: string): Promise<void> {
    await this.db.query(
      `INSERT INTO rotation_cursors (store_id, brand_id, last_staff_id) VALUES ($1, $2, $3)
       ON CONFLICT (store_id, brand_id) DO UPDATE SET last_staff_id = EXCLUDED.last_staff_id, updated_at = now()`,
      [storeId, brandId ?? ANY_BRAND, staffId],
    );
  }
}
