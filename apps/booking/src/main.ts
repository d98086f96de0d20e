import 'reflect-metadata';
import { runService } from '@o2o/platform';
import { BookingModule } from './app.module';
import { bookingMigrations } from './migrations';

void runService('booking', BookingModule, bookingMigrations);
