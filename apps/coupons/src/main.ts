import 'reflect-metadata';
import { runService } from '@o2o/platform';
import { CouponsModule } from './coupons.module';
import { couponsMigrations } from './migrations';

void runService('coupons', CouponsModule, couponsMigrations);
