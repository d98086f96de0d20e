import 'reflect-metadata';
import { loadConfig, migrate, ServiceConfig } from '@o2o/platform';
import { gatewayMigrations } from './migrations';

async function main() {
  const config = loadConfig(ServiceConfig);
  const ran = await migrate({ url: config.DATABASE_URL, schema: 'gateway', migrations: gatewayMigrations });
  process.stdout.write(`gateway: ${ran.length ? `applied ${ran.join(', ')}` : 'up to date'}\n`);
}

void main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
