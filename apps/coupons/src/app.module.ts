import { Module } from '@nestjs/common';
import { ServicePlatformModule } from '@o2o/platform';
import { couponsMigrations } from './migrations';

@Module({
  imports: [ServicePlatformModule.forService({ name: 'coupons', migrations: couponsMigrations })],
})
export class CouponsModule {}
