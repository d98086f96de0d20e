import 'reflect-metadata';
import { runMigrations } from '@o2o/platform';
import { attributionMigrations } from './migrations';

void runMigrations('attribution', attributionMigrations).catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
