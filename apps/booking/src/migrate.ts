import 'reflect-metadata';
import { runMigrations } from '@o2o/platform';
import { bookingMigrations } from './migrations';

void runMigrations('booking', bookingMigrations).catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
