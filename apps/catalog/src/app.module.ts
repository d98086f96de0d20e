import { Module } from '@nestjs/common';
import { ServicePlatformModule } from '@o2o/platform';
import { catalogMigrations } from './migrations';

@Module({
  imports: [ServicePlatformModule.forService({ name: 'catalog', migrations: catalogMigrations })],
})
export class CatalogModule {}
