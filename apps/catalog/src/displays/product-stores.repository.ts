import { Injectable } from '@nestjs/common';
import { ProductStoreView } from '@o2o/contracts';
import { DataSource } from 'typeorm';

/** Where a product is on display, by city and name (also run by the benchmark's floor). */
export const STORES_OF_PRODUCT_SQL =
  'SELECT s.id, s.name, s.city FROM product_stores ps JOIN stores s ON s.id = ps.store_id WHERE ps.product_id = $1 ORDER BY s.city, s.name';

/**
 * Which stores show which products. Each row carries its store's city, so that a listing filtered
 * by city reads one index; a store that moves takes its rows along.
 */
@Injectable()
export class ProductStoresRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The product is on display in exactly these stores afterwards. */
  async replace(productId: string, stores: { id: string; city: string }[]): Promise<void> {
    await this.dataSource.query('DELETE FROM product_stores WHERE product_id = $1', [productId]);
    for (const s of stores)
      await this.dataSource.query('INSERT INTO product_stores (product_id, store_id, city) VALUES ($1, $2, $3)', [productId, s.id, s.city]);
  }

  async moveStore(storeId: string, city: string): Promise<void> {
    await this.dataSource.query('UPDATE product_stores SET city = $2 WHERE store_id = $1', [storeId, city]);
  }

  async storesOf(productId: string): Promise<ProductStoreView[]> {
    return this.dataSource.query(STORES_OF_PRODUCT_SQL, [productId]);
  }
}
