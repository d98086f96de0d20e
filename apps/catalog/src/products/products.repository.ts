import { Injectable } from '@nestjs/common';
import { Actor, Page, ProductDetailView, ProductQueryDto, ProductStatus, ProductStoreView, ProductView } from '@o2o/contracts';
import { queryRows, toPage } from '@o2o/platform';
import { DataSource } from 'typeorm';
import { PRODUCT_DETAIL_PARTS_SQL, PRODUCT_DETAIL_SQL, productListQuery } from './list-query';
import { SkuRow, toSkuView } from './skus.repository';

export interface ProductRow {
  id: string;
  brand_id: string;
  name: string;
  category: string;
  style: string | null;
  description: string | null;
  images: string[];
  status: ProductStatus;
  from_price_fen: string; // bigint arrives as text
  created_at: Date;
  updated_at: Date;
}

/** What a product's owner edits; its price follows from its SKUs. */
export interface ProductFields {
  name: string;
  category: string;
  style: string | null;
  description: string | null;
  images: string[];
  fromPriceFen: number;
}

export const toProductView = (r: ProductRow): ProductView => ({
  id: r.id,
  brandId: r.brand_id,
  name: r.name,
  category: r.category,
  style: r.style,
  description: r.description,
  images: r.images,
  status: r.status,
  fromPriceFen: Number(r.from_price_fen),
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

/** What PRODUCT_DETAIL_PARTS_SQL reads, and PRODUCT_DETAIL_SQL along with the product's row. */
export interface ProductDetailParts {
  detail_skus: SkuRow[];
  detail_stores: ProductStoreView[];
}

export type ProductDetailRow = ProductRow & ProductDetailParts;

export const toProductDetailView = (row: ProductRow, parts: ProductDetailParts): ProductDetailView => ({
  ...toProductView(row),
  skus: parts.detail_skus.map(toSkuView),
  stores: parts.detail_stores,
});

@Injectable()
export class ProductsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(id: string, brandId: string, status: ProductStatus, p: ProductFields): Promise<ProductRow> {
    const [row]: ProductRow[] = await this.dataSource.query(
      `INSERT INTO products (id, brand_id, name, category, style, description, images, status, from_price_fen)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
      [id, brandId, p.name, p.category, p.style, p.description, p.images, status, p.fromPriceFen],
    );
    return row;
  }

  async update(id: string, p: ProductFields): Promise<ProductRow> {
    const [row] = await queryRows<ProductRow>(
      this.dataSource,
      `UPDATE products SET name = $2, category = $3, style = $4, description = $5, images = $6, from_price_fen = $7, updated_at = now()
        WHERE id = $1 RETURNING *`,
      [id, p.name, p.category, p.style, p.description, p.images, p.fromPriceFen],
    );
    return row;
  }

  async setStatus(id: string, status: ProductStatus): Promise<ProductRow> {
    const [row] = await queryRows<ProductRow>(this.dataSource, 'UPDATE products SET status = $2, updated_at = now() WHERE id = $1 RETURNING *', [id, status]);
    return row;
  }

  /** Marks a change of what hangs off the product (where it is on display). */
  async touch(id: string): Promise<ProductRow> {
    const [row] = await queryRows<ProductRow>(this.dataSource, 'UPDATE products SET updated_at = now() WHERE id = $1 RETURNING *', [id]);
    return row;
  }

  /** The product with its SKUs and stores, in one round trip (also run by the benchmark's floor). */
  async findDetail(id: string): Promise<ProductDetailRow | undefined> {
    const [row]: ProductDetailRow[] = await this.dataSource.query(PRODUCT_DETAIL_SQL, [id]);
    return row;
  }

  /** The SKUs and stores of a product, in one round trip. */
  async detailParts(id: string): Promise<ProductDetailParts> {
    const [parts]: ProductDetailParts[] = await this.dataSource.query(PRODUCT_DETAIL_PARTS_SQL, [id]);
    return parts;
  }

  /** Locks the product until the transaction ends. */
  async findForUpdate(id: string): Promise<ProductRow | undefined> {
    const [row]: ProductRow[] = await this.dataSource.query('SELECT * FROM products WHERE id = $1 FOR UPDATE', [id]);
    return row;
  }

  /** Newest first, keyset-paginated on id, so pages never repeat or skip while rows arrive. */
  async list(query: ProductQueryDto, actor: Actor): Promise<Page<ProductView>> {
    const { sql, params, size } = productListQuery(query, actor);
    const rows: ProductRow[] = await this.dataSource.query(sql, params);
    return toPage(rows, size, (r) => [r.id], toProductView);
  }
}
