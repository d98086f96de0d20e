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
  UpdateProductMessage,
} from '@o2o/contracts';
import { conflict, isUniqueViolation, newId, notFound, requireBrandAccess, ruleBroken, writeEvent } from '@o2o/platform';
import { DataSource } from 'typeorm';
import { requireProductWriter } from '../access';
import { BrandsRepository } from '../brands/brands.repository';
import { ProductStoresRepository } from '../displays/product-stores.repository';
import { BoothsRepository } from '../stores/booths.repository';
import { StoresRepository } from '../stores/stores.repository';
import { ProductRow, ProductsRepository, toProductDetailView, toProductView } from './products.repository';
import { assertDisplayable, assertDistinctCodes, canSee, fromPriceFen } from './products.rules';
import { SkusRepository } from './skus.repository';

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
  constructor(
    private readonly dataSource: DataSource,
    private readonly products: ProductsRepository,
    private readonly skus: SkusRepository,
    private readonly productStores: ProductStoresRepository,
    private readonly brands: BrandsRepository,
    private readonly stores: StoresRepository,
    private readonly booths: BoothsRepository,
  ) {}

  async create(dto: CreateProductDto, actor: Actor): Promise<ProductDetailView> {
    requireProductWriter(actor);
    requireBrandAccess(actor, dto.brandId, 'Brand');
    assertDistinctCodes(dto.skus);
    return withSkuConflicts(() =>
      this.dataSource.transaction(async () => {
        if (!(await this.brands.exists(dto.brandId))) throw ruleBroken(`Brand ${dto.brandId} does not exist`, 'unknown_brand');
        const row = await this.products.insert(newId(), dto.brandId, ProductStatus.Draft, {
          name: dto.name,
          category: dto.category,
          style: dto.style ?? null,
          description: dto.description ?? null,
          images: dto.images ?? [],
          fromPriceFen: fromPriceFen(dto.skus),
        });
        await this.skus.insert(row.id, row.brand_id, dto.skus);
        return this.detail(row);
      }),
    );
  }

  /** Given skus, the product's SKUs become exactly those, and its price follows. */
  async update({ id, skus, ...changes }: UpdateProductMessage, actor: Actor): Promise<ProductDetailView> {
    requireProductWriter(actor);
    if (skus) assertDistinctCodes(skus);
    return withSkuConflicts(() =>
      this.dataSource.transaction(async () => {
        const current = await this.lockForWrite(id, actor);
        if (skus) {
          await this.skus.deleteOfProduct(id);
          await this.skus.insert(id, current.brand_id, skus);
        }
        const row = await this.products.update(id, {
          name: changes.name ?? current.name,
          category: changes.category ?? current.category,
          style: changes.style ?? current.style,
          description: changes.description ?? current.description,
          images: changes.images ?? current.images,
          fromPriceFen: skus ? fromPriceFen(skus) : Number(current.from_price_fen),
        });
        return this.detail(row);
      }),
    );
  }

  /** Publishing twice is harmless: the second call changes nothing and emits nothing. */
  async setStatus(id: string, status: ProductStatus, actor: Actor): Promise<ProductDetailView> {
    requireProductWriter(actor);
    return this.dataSource.transaction(async () => {
      const current = await this.lockForWrite(id, actor);
      if (current.status === status) return this.detail(current);
      const row = await this.products.setStatus(id, status);
      if (status === ProductStatus.Published) {
        await writeEvent(this.dataSource.manager, EVENTS.productPublished, {
          id,
          brandId: row.brand_id,
          name: row.name,
          category: row.category,
          fromPriceFen: Number(row.from_price_fen),
        });
      } else {
        await writeEvent(this.dataSource.manager, EVENTS.productUnpublished, { id, brandId: row.brand_id });
      }
      return this.detail(row);
    });
  }

  /** Puts a product on display in exactly these stores; each must have the brand as a tenant. */
  async setStores({ id, storeIds }: SetProductStoresMessage, actor: Actor): Promise<ProductDetailView> {
    requireProductWriter(actor);
    return this.dataSource.transaction(async () => {
      const product = await this.lockForWrite(id, actor);
      const stores = await this.stores.findMany(storeIds);
      const tenantOf = await this.booths.tenantStoreIds(product.brand_id, storeIds);
      assertDisplayable(
        storeIds,
        stores.map((s) => s.id),
        tenantOf,
      );
      await this.productStores.replace(id, stores);
      return this.detail(await this.products.touch(id));
    });
  }

  async get(id: string, actor: Actor): Promise<ProductDetailView> {
    // One round trip: the product with its SKUs and stores (the parts of one another can't see are dropped).
    const row = await this.products.findDetail(id);
    if (!row || !canSee(toProductView(row), actor)) throw notFound('Product');
    return toProductDetailView(row, row);
  }

  async list(query: ProductQueryDto, actor: Actor): Promise<Page<ProductView>> {
    return this.products.list(query, actor);
  }

  /** Another brand's product answers 404 to a partner, as if it did not exist. */
  private async lockForWrite(id: string, actor: Actor): Promise<ProductRow> {
    const row = await this.products.findForUpdate(id);
    if (!row) throw notFound('Product');
    requireBrandAccess(actor, row.brand_id, 'Product');
    return row;
  }

  private async detail(row: ProductRow): Promise<ProductDetailView> {
    // Inside a write's transaction, on its connection: the SKUs and stores in one statement.
    return toProductDetailView(row, await this.products.detailParts(row.id));
  }
}
