import { Actor, ProductStatus, SkuDto } from '@o2o/contracts';
import { conflict, partnerBrand, ruleBroken } from '@o2o/platform';
import { isCatalogManager } from '../access';

/** A product's price is that of its cheapest SKU. */
export const fromPriceFen = (skus: SkuDto[]) => Math.min(...skus.map((s) => s.priceFen));

export function assertDistinctCodes(skus: SkuDto[]): void {
  const codes = skus.map((s) => s.code);
  const repeated = codes.find((c, i) => codes.indexOf(c) !== i);
  if (repeated) throw conflict(`SKU code ${repeated} appears twice`);
}

/** Drafts are seen by those who manage them; a partner sees its own brand only. */
export function canSee(product: { brandId: string; status: ProductStatus }, actor: Actor): boolean {
  const brand = partnerBrand(actor);
  if (brand !== undefined) return product.brandId === brand;
  return product.status === ProductStatus.Published || isCatalogManager(actor);
}

/** A product goes on display only in stores that exist and have its brand as a tenant. */
export function assertDisplayable(storeIds: string[], found: string[], tenantOf: string[]): void {
  const unknown = storeIds.filter((s) => !found.includes(s));
  if (unknown.length) throw ruleBroken(`Unknown store: ${unknown.join(', ')}`, 'unknown_store');
  const notTenant = found.filter((s) => !tenantOf.includes(s));
  if (notTenant.length) throw ruleBroken(`The brand is not a tenant of store ${notTenant.join(', ')}`, 'brand_not_tenant');
}
