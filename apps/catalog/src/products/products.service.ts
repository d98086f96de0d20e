import { Injectable } from '@nestjs/common';
import {
  Actor,
  CreateProductDto,
  EVENTS,
  Page,
  ProductDetailView,
  ProductQueryDto,
  ProductStatus,
  ProductView,
  SetProductStoresMessage,
  SkuDto,
  UpdateProductMessage,
} from '@o2o/contracts';
import { conflict, isUniqueViolation, newId, notFound, partnerBrand, requireBrandAccess, ruleBroken, toPage, writeEvent } from '@o2o/platform';
import { DataSource, EntityManager } from 'typeorm';
import { isCatalogManager } from '../access';
import { productListQuery } from './list-query';
import { PRODUCT_DETAIL_SQL, ProductRow, SkuRow, toProductView, toSkuView } from './product-rows';

/** A product's price is that of its cheapest SKU. */
const cheapest = (skus: SkuDto[]) => Math.min(...skus.map((s) => s.priceFen));

function assertDistinctCodes(skus: SkuDto[]): void {
  const codes = skus.map((s) => s.code);
  const repeated = codes.find((c, i) => codes.indexOf(c) !== i);
  if (repeated) throw conflict(`SKU code ${repeated} appears twice`);
}

/** SKU codes are unique within a brand; the constraint decides, and its breach is a 409. */
async function withSkuConflicts<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict('A SKU code of this product already exists for this brand');
    throw e;
  }
}

@Injectable()
export class ProductsService {
  constructor(private readonly dataSource: DataSource) {}

  async create(dto: CreateProductDto, actor: Actor): Promise<ProductDetailView> {
    requireBrandAccess(actor, dto.brandId, 'Brand');
    assertDistinctCodes(dto.skus);
    const id = newId();
    return withSkuConflicts(() =>
      this.dataSource.transaction(async (m) => {
        const [brand] = await m.query('SELECT id FROM brands WHERE id = $1', [dto.brandId]);
        if (!brand) throw ruleBroken(`Brand ${dto.brandId} does not exist`, 'unknown_brand');
        await m.query(
          `INSERT INTO products (id, brand_id, name, category, style, description, images, status, from_price_fen)
           VALUES ($1, $2, $3, $4, $5, $6, $7, 'draft', $8)`,
          [id, dto.brandId, dto.name, dto.category, dto.style ?? null, dto.description ?? null, dto.images ?? [], cheapest(dto.skus)],
        );
        await this.insertSkus(m, id, dto.brandId, dto.skus);
        return this.detail(m, id);
      }),
    );
  }

  async update({ id, skus, ...changes }: UpdateProductMessage, actor: Actor): Promise<ProductDetailView> {
    if (skus) assertDistinctCodes(skus);
    return withSkuConflicts(() =>
      this.dataSource.transaction(async (m) => {
        const current = await this.findForWrite(m, id, actor);
        if (skus) {
          await m.query('DELETE FROM skus WHERE product_id = $1', [id]);
          await this.insertSkus(m, id, current.brand_id, skus);
        }
        await m.query(
          `UPDATE products SET name = $2, category = $3, style = $4, description = $5, images = $6, from_price_fen = $7, updated_at = now()
            WHERE id = $1`,
          [
            id,
            changes.name ?? current.name,
            changes.category ?? current.category,
            changes.style ?? current.style,
            changes.description ?? current.description,
            changes.images ?? current.images,
            skus ? cheapest(skus) : current.from_price_fen,
          ],
        );
        return this.detail(m, id);
      }),
    );
  }

  private async insertSkus(m: EntityManager, productId: string, brandId: string, skus: SkuDto[]): Promise<void> {
    for (const sku of skus) {
      await m.query('INSERT INTO skus (product_id, brand_id, code, name, attributes, price_fen) VALUES ($1, $2, $3, $4, $5, $6)', [
        productId,
        brandId,
        sku.code,
        sku.name ?? null,
        JSON.stringify(sku.attributes ?? {}),
        sku.priceFen,
      ]);
    }
  }

  /** Publishing twice is harmless: the second call changes nothing and emits nothing. */
  async setStatus(id: string, status: ProductStatus, actor: Actor): Promise<ProductDetailView> {
    return this.dataSource.transaction(async (m) => {
      const current = await this.findForWrite(m, id, actor);
      if (current.status !== status) {
        await m.query('UPDATE products SET status = $2, updated_at = now() WHERE id = $1', [id, status]);
        if (status === ProductStatus.Published) {
          await writeEvent(m, EVENTS.productPublished, {
            id,
            brandId: current.brand_id,
            name: current.name,
            category: current.category,
            fromPriceFen: Number(current.from_price_fen),
          });
        } else {
          await writeEvent(m, EVENTS.productUnpublished, { id, brandId: current.brand_id });
        }
      }
      return this.detail(m, id);
    });
  }

  /** Puts a product on display in exactly these stores; each must have the brand as a tenant. */
  async setStores({ id, storeIds }: SetProductStoresMessage, actor: Actor): Promise<ProductDetailView> {
    return this.dataSource.transaction(async (m) => {
      const product = await this.findForWrite(m, id, actor);
      const stores: { id: string; city: string; tenant: boolean }[] = storeIds.length
        ? await m.query(
            `SELECT s.id, s.city, EXISTS (SELECT 1 FROM booths b WHERE b.store_id = s.id AND b.brand_id = $2) AS tenant
               FROM stores s WHERE s.id = ANY($1)`,
            [storeIds, product.brand_id],
          )
        : [];
      const unknown = storeIds.filter((s) => !stores.some((r) => r.id === s));
      if (unknown.length) throw ruleBroken(`Unknown store: ${unknown.join(', ')}`, 'unknown_store');
      const notTenant = stores.filter((s) => !s.tenant).map((s) => s.id);
      if (notTenant.length) throw ruleBroken(`The brand is not a tenant of store ${notTenant.join(', ')}`, 'brand_not_tenant');
      await m.query('DELETE FROM product_stores WHERE product_id = $1', [id]);
      for (const s of stores) await m.query('INSERT INTO product_stores (product_id, store_id, city) VALUES ($1, $2, $3)', [id, s.id, s.city]);
      await m.query('UPDATE products SET updated_at = now() WHERE id = $1', [id]);
      return this.detail(m, id);
    });
  }

  async get(id: string, actor: Actor): Promise<ProductDetailView> {
    const [row]: ProductRow[] = await this.dataSource.query('SELECT * FROM products WHERE id = $1', [id]);
    if (!row || !this.canSee(row, actor)) throw notFound('Product');
    return this.detail(this.dataSource.manager, id);
  }

  /** Newest first, keyset-paginated on id, so pages never repeat or skip while rows arrive. */
  async list(query: ProductQueryDto, actor: Actor): Promise<Page<ProductView>> {
    const { sql, params, size } = productListQuery(query, actor);
    const rows: ProductRow[] = await this.dataSource.query(sql, params);
    return toPage(rows, size, (r) => [r.id], toProductView);
  }

  /** Drafts are seen by those who manage them; a partner sees its own brand only. */
  private canSee(row: ProductRow, actor: Actor): boolean {
    const brand = partnerBrand(actor);
    if (brand !== undefined) return row.brand_id === brand;
    return row.status === ProductStatus.Published || isCatalogManager(actor);
  }

  private async findForWrite(m: EntityManager, id: string, actor: Actor): Promise<ProductRow> {
    const [row]: ProductRow[] = await m.query('SELECT * FROM products WHERE id = $1 FOR UPDATE', [id]);
    if (!row) throw notFound('Product');
    requireBrandAccess(actor, row.brand_id, 'Product');
    return row;
  }

  private async detail(m: EntityManager, id: string): Promise<ProductDetailView> {
    // One connection inside a transaction: the three reads go one after another.
    const [row]: ProductRow[] = await m.query(PRODUCT_DETAIL_SQL.product, [id]);
    const skus: SkuRow[] = await m.query(PRODUCT_DETAIL_SQL.skus, [id]);
    const stores: { id: string; name: string; city: string }[] = await m.query(PRODUCT_DETAIL_SQL.stores, [id]);
    return { ...toProductView(row), skus: skus.map(toSkuView), stores };
  }
}
