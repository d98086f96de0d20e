import { Injectable } from '@nestjs/common';
import { SkuDto, SkuView } from '@o2o/contracts';
import { DataSource } from 'typeorm';

/** The SKUs of the product $1, cheapest first, as one JSON array of SkuRow: a column of the detail read. */
export const SKUS_OF_PRODUCT_JSON = `COALESCE((SELECT json_agg(json_build_object('code', k.code, 'name', k.name, 'attributes', k.attributes, 'price_fen', k.price_fen)
    ORDER BY k.price_fen, k.code) FROM skus k WHERE k.product_id = $1), '[]'::json)`;

export interface SkuRow {
  code: string;
  name: string | null;
  attributes: Record<string, unknown>;
  price_fen: string | number; // bigint arrives as text in a column, as a number inside JSON
}

export const toSkuView = (r: SkuRow): SkuView => ({ code: r.code, name: r.name, attributes: r.attributes, priceFen: Number(r.price_fen) });

/** SKU codes are unique within a brand (skus_brand_code): a clash fails the insert. */
@Injectable()
export class SkusRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(productId: string, brandId: string, skus: SkuDto[]): Promise<void> {
    for (const sku of skus) {
      await this.dataSource.query('INSERT INTO skus (product_id, brand_id, code, name, attributes, price_fen) VALUES ($1, $2, $3, $4, $5, $6)', [
        productId,
        brandId,
        sku.code,
        sku.name ?? null,
        JSON.stringify(sku.attributes ?? {}),
        sku.priceFen,
      ]);
    }
  }

  async deleteOfProduct(productId: string): Promise<void> {
    await this.dataSource.query('DELETE FROM skus WHERE product_id = $1', [productId]);
  }
}
