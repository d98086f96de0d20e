import { Module } from '@nestjs/common';
import { ServicePlatformModule } from '@o2o/platform';
import { leadsMigrations } from './migrations';

@Module({
  imports: [ServicePlatformModule.forService({ name: 'leads', migrations: leadsMigrations })],
})
export class LeadsModule {}
