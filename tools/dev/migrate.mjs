#!/usr/bin/env node
// npm run migrate: applies every app's pending migrations to the configured (or local) database.
import { resolveInfrastructure } from './infra.mjs';
import { migrateAll } from './stack.mjs';

const infra = await resolveInfrastructure();
try {
  await migrateAll({ ...process.env, DATABASE_URL: infra.databaseUrl, REDIS_URL: infra.redisUrl });
} finally {
  await infra.stop();
}
