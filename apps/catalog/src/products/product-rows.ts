import { ProductStatus, ProductView, SkuView } from '@o2o/contracts';

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

export interface SkuRow {
  code: string;
  name: string | null;
  attributes: Record<string, unknown>;
  price_fen: string;
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

export const toSkuView = (r: SkuRow): SkuView => ({ code: r.code, name: r.name, attributes: r.attributes, priceFen: Number(r.price_fen) });

/** LIKE treats % and _ as wildcards; a shopper's text is matched literally. */
export const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The three reads of a product's detail (also run by the benchmark's floor). */
export const PRODUCT_DETAIL_SQL = {
  product: 'SELECT * FROM products WHERE id = $1',
  skus: 'SELECT code, name, attributes, price_fen FROM skus WHERE product_id = $1 ORDER BY price_fen, code',
  stores: 'SELECT s.id, s.name, s.city FROM product_stores ps JOIN stores s ON s.id = ps.store_id WHERE ps.product_id = $1 ORDER BY s.city, s.name',
} as const;
