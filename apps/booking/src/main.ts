import 'reflect-metadata';
import { runService } from '@o2o/platform';
import { bookingMigrations } from './migrations';
import { BookingModule } from './booking.module';

void runService('booking', BookingModule, bookingMigrations);
