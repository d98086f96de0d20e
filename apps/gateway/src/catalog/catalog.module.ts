import { Module } from '@nestjs/common';
import { BrandsRoutes } from './brands.routes';
import { ProductsRoutes } from './products.routes';
import { StoresRoutes } from './stores.routes';

/** The catalog service's routes: stores and their booths, brands, products. */
@Module({ controllers: [StoresRoutes, BrandsRoutes, ProductsRoutes] })
export class CatalogGatewayModule {}
