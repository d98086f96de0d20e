import 'reflect-metadata';
import { runMigrations } from '@o2o/platform';
import { __service__Migrations } from './migrations';

void runMigrations('__service__', __service__Migrations).catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
