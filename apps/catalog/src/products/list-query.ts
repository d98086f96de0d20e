import { Actor, ProductQueryDto, ProductStatus } from '@o2o/contracts';
import { decodeIdCursor, DEFAULT_PAGE_SIZE, partnerBrand } from '@o2o/platform';
import { isCatalogManager } from '../access';
import { STORES_OF_PRODUCT_JSON } from '../displays/product-stores.repository';
import { SKUS_OF_PRODUCT_JSON } from './skus.repository';

// The SQL of the product reads, kept apart from ProductsRepository so that the benchmark's floor
// and its EXPLAIN run the very same statements.

/**
 * A product's detail in one round trip: its row, with its SKUs and the stores where it is on
 * display aggregated as JSON (ProductDetailRow). No row when there is no such product.
 */
export const PRODUCT_DETAIL_SQL = `SELECT p.*, ${SKUS_OF_PRODUCT_JSON} AS detail_skus, ${STORES_OF_PRODUCT_JSON} AS detail_stores FROM products p WHERE p.id = $1`;

/** The SKUs and stores of a product already read (a write's answer, inside its transaction), in one round trip. */
export const PRODUCT_DETAIL_PARTS_SQL = `SELECT ${SKUS_OF_PRODUCT_JSON} AS detail_skus, ${STORES_OF_PRODUCT_JSON} AS detail_stores`;

export interface ListQuery {
  sql: string;
  params: unknown[];
  size: number;
}

/** LIKE treats % and _ as wildcards; a shopper's text is matched literally. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** A product listing: newest first, keyset on id, every filter an indexed condition. */
export function productListQuery(query: ProductQueryDto, actor: Actor): ListQuery {
  const size = query.limit ?? DEFAULT_PAGE_SIZE;
  const params: unknown[] = [size + 1];
  const where: string[] = [];
  const add = (sql: (p: string) => string, value: unknown) => where.push(sql(`$${params.push(value)}`));

  const brand = partnerBrand(actor);
  if (brand) add((p) => `p.brand_id = ${p}`, brand);
  const mayFilterStatus = brand !== undefined || isCatalogManager(actor);
  add((p) => `p.status = ${p}`, mayFilterStatus && query.status ? query.status : ProductStatus.Published);

  if (query.category) add((p) => `p.category = ${p}`, query.category);
  if (query.style) add((p) => `p.style = ${p}`, query.style);
  if (query.brandId) add((p) => `p.brand_id = ${p}`, query.brandId);
  if (query.minPriceFen !== undefined) add((p) => `p.from_price_fen >= ${p}`, query.minPriceFen);
  if (query.maxPriceFen !== undefined) add((p) => `p.from_price_fen <= ${p}`, query.maxPriceFen);
  if (query.q) add((p) => `p.name ILIKE ${p}`, likePattern(query.q));
  if (query.city) add((p) => `p.id IN (SELECT ps.product_id FROM product_stores ps WHERE ps.city = ${p})`, query.city);
  if (query.storeId) add((p) => `p.id IN (SELECT ps.product_id FROM product_stores ps WHERE ps.store_id = ${p})`, query.storeId);
  const after = decodeIdCursor(query.cursor);
  if (after !== undefined) add((p) => `p.id < ${p}::uuid`, after);

  return { sql: `SELECT p.* FROM products p WHERE ${where.join(' AND ')} ORDER BY p.id DESC LIMIT $1`, params, size };
}
