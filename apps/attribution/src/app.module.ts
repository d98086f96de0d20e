import { Module } from '@nestjs/common';
import { ServicePlatformModule } from '@o2o/platform';
import { attributionMigrations } from './migrations';

@Module({
  imports: [ServicePlatformModule.forService({ name: 'attribution', migrations: attributionMigrations })],
})
export class AttributionModule {}
