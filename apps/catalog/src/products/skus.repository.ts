import { Injectable } from '@nestjs/common';
import { SkuDto, SkuView } from '@o2o/contracts';
import { DataSource } from 'typeorm';

/** A product's SKUs, cheapest first (also run by the benchmark's floor). */
export const SKUS_OF_PRODUCT_SQL = 'SELECT code, name, attributes, price_fen FROM skus WHERE product_id = $1 ORDER BY price_fen, code';

export interface SkuRow {
  code: string;
  name: string | null;
  attributes: Record<string, unknown>;
  price_fen: string; // bigint arrives as text
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

  async ofProduct(productId: string): Promise<SkuView[]> {
    const rows: SkuRow[] = await this.dataSource.query(SKUS_OF_PRODUCT_SQL, [productId]);
    return rows.map(toSkuView);
  }
}
