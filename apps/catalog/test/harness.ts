import { Actor, BrandView, ProductDetailView, Role, SkuDto, StoreView } from '@o2o/contracts';
import { DomainError } from '@o2o/platform';
import { createServiceHarness, ServiceHarness } from '@o2o/testing';
import { DataSource } from 'typeorm';
import { BrandsService } from '../src/brands/brands.service';
import { CatalogModule } from '../src/catalog.module';
import { catalogMigrations } from '../src/migrations';
import { ProductsService } from '../src/products/products.service';
import { StoresService } from '../src/stores/stores.service';

export const admin: Actor = { kind: 'staff', userId: '0190f1c2-0000-7000-8000-0000000000ad', roles: [Role.Admin] };
export const ops: Actor = { kind: 'staff', userId: '0190f1c2-0000-7000-8000-0000000000a0', roles: [Role.Ops] };
export const agent: Actor = { kind: 'staff', userId: '0190f1c2-0000-7000-8000-0000000000a9', roles: [Role.Agent] };
export const partnerOf = (brandId: string): Actor => ({ kind: 'partner', keyId: 'k', brandId });

/** The code of a domain error, to compare outcomes; anything else as it is. */
export const codeOf = (e: unknown) => (e instanceof DomainError ? e.code : e);

/** The catalog service built from its own module, with the fixtures its tests share. */
export interface CatalogHarness extends ServiceHarness {
  ds: DataSource;
  stores: StoresService;
  brands: BrandsService;
  products: ProductsService;
  store(city?: string): Promise<StoreView>;
  brand(): Promise<BrandView>;
  /** A draft product of one SKU. */
  product(brandId: string, over?: { name?: string; category?: string; priceFen?: number; skus?: SkuDto[] }, actor?: Actor): Promise<ProductDetailView>;
  count(sql: string, params?: unknown[]): Promise<number>;
}

let seq = 0;
/** A name or code no other fixture has. */
export const unique = (prefix: string) => `${prefix}-${++seq}`;

export async function startCatalog(): Promise<CatalogHarness> {
  const harness = await createServiceHarness({ module: CatalogModule, schema: 'catalog', migrations: catalogMigrations });
  const ds = harness.get(DataSource);
  const stores = harness.get(StoresService);
  const brands = harness.get(BrandsService);
  const products = harness.get(ProductsService);
  return {
    ...harness,
    ds,
    stores,
    brands,
    products,
    store: (city = 'Shanghai') => stores.create({ name: unique('Store'), city, address: '1 Road' }, admin),
    brand: () => brands.create({ name: unique('Brand'), categories: ['bathroom'] }, admin),
    product: (brandId, over = {}, actor = admin) =>
      products.create(
        {
          brandId,
          name: over.name ?? unique('Product'),
          category: over.category ?? 'bathroom',
          skus: over.skus ?? [{ code: unique('S'), priceFen: over.priceFen ?? 1000 }],
        },
        actor,
      ),
    count: async (sql, params = []) => Number((await ds.query(sql, params))[0].n),
  };
}
