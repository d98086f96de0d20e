import 'reflect-metadata';
import { runMigrations } from '@o2o/platform';
import { catalogMigrations } from './migrations';

void runMigrations('catalog', catalogMigrations).catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
