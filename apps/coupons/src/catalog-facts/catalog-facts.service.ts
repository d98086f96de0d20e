import { Injectable } from '@nestjs/common';
import { KnownBrandsRepository } from './known-brands.repository';
import { KnownStoresRepository } from './known-stores.repository';

/** What coupons knows of a deal's store and brand; undefined where it has no record. */
export interface StoreAndBrandFacts {
  storeCity: string | undefined;
  brandCategories: string[] | undefined;
}

/** Coupons' own copy of the catalog facts a quote needs, fed by the catalog's events. */
@Injectable()
export class CatalogFactsService {
  constructor(
    private readonly stores: KnownStoresRepository,
    private readonly brands: KnownBrandsRepository,
  ) {}

  /** Looks up only what a campaign scoped by these cities and categories needs. */
  async about(deal: { storeId: string; brandId: string }, scope: { cities: string[]; categories: string[] }): Promise<StoreAndBrandFacts> {
    return {
      storeCity: scope.cities.length ? await this.stores.cityOf(deal.storeId) : undefined,
      brandCategories: scope.categories.length ? await this.brands.categoriesOf(deal.brandId) : undefined,
    };
  }
}
