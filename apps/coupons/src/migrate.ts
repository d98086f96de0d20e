import 'reflect-metadata';
import { runMigrations } from '@o2o/platform';
import { couponsMigrations } from './migrations';

void runMigrations('coupons', couponsMigrations).catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
