import { Module } from '@nestjs/common';
import { ServicePlatformModule } from '@o2o/platform';
import { BrandsController } from './brands/brands.controller';
import { BrandsService } from './brands/brands.service';
import { catalogMigrations } from './migrations';
import { ProductsController } from './products/products.controller';
import { ProductsService } from './products/products.service';
import { StoresController } from './stores/stores.controller';
import { StoresService } from './stores/stores.service';

@Module({
  imports: [ServicePlatformModule.forService({ name: 'catalog', migrations: catalogMigrations })],
  controllers: [StoresController, BrandsController, ProductsController],
  providers: [StoresService, BrandsService, ProductsService],
})
export class CatalogModule {}
