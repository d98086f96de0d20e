import { Module } from '@nestjs/common';
import { ServicePlatformModule } from '@o2o/platform';
import { BrandsController } from './brands/brands.controller';
import { BrandsRepository } from './brands/brands.repository';
import { BrandsService } from './brands/brands.service';
import { ProductStoresRepository } from './displays/product-stores.repository';
import { catalogMigrations } from './migrations';
import { ProductsController } from './products/products.controller';
import { ProductsRepository } from './products/products.repository';
import { ProductsService } from './products/products.service';
import { SkusRepository } from './products/skus.repository';
import { BoothsRepository } from './stores/booths.repository';
import { StoresController } from './stores/stores.controller';
import { StoresRepository } from './stores/stores.repository';
import { StoresService } from './stores/stores.service';

@Module({
  imports: [ServicePlatformModule.forService({ name: 'catalog', migrations: catalogMigrations })],
  controllers: [StoresController, BrandsController, ProductsController],
  providers: [
    StoresService,
    BrandsService,
    ProductsService,
    StoresRepository,
    BoothsRepository,
    BrandsRepository,
    ProductsRepository,
    SkusRepository,
    ProductStoresRepository,
  ],
})
export class CatalogModule {}
