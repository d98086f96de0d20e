import 'reflect-metadata';
import { runMigrations } from '@o2o/platform';
import { leadsMigrations } from './migrations';

void runMigrations('leads', leadsMigrations).catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
