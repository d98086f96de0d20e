import { Module } from '@nestjs/common';
import { ServicePlatformModule } from '@o2o/platform';
import { bookingMigrations } from './migrations';

@Module({
  imports: [ServicePlatformModule.forService({ name: 'booking', migrations: bookingMigrations })],
})
export class BookingModule {}
