import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Where the product $1 is on display, by city and name, as one JSON array of ProductStoreView: a column of the detail read. */
export const STORES_OF_PRODUCT_JSON = `COALESCE((SELECT json_agg(json_build_object('id', s.id, 'name', s.name, 'city', s.city) ORDER BY s.city, s.name)
    FROM product_stores ps JOIN stores s ON s.id = ps.store_id WHERE ps.product_id = $1), '[]'::json)`;

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
}
