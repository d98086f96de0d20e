import 'reflect-metadata';
import { runService } from '@o2o/platform';
import { CouponsModule } from './app.module';
import { couponsMigrations } from './migrations';

void runService('coupons', CouponsModule, couponsMigrations);
