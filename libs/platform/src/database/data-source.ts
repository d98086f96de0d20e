import { Client } from 'pg';
import { DataSource, MixedList } from 'typeorm';

export interface DatabaseOptions {
  url: string;
  /** The Postgres schema this service owns. Nothing else reads or writes it. */
  schema: string;
  entities?: MixedList<Function>;
  migrations: MixedList<Function>;
  poolSize?: number;
  applicationName?: string;
}

/** A data source bound to one schema: unqualified table names in raw SQL resolve there first. */
export function createDataSource(options: DatabaseOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: options.entities ?? [],
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: {
      max: options.poolSize ?? 10,
      options: `-c search_path=${options.schema},public`,
      application_name: options.applicationName ?? options.schema,
    },
  });
}

/**
 * Creates the schema and runs pending migrations, each in its own transaction. An advisory lock
 * keeps two replicas starting together from migrating at once.
 */
export async function migrate(options: DatabaseOptions): Promise<string[]> {
  const lock = new Client({ connectionString: options.url });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', [`o2o-migrate:${options.schema}`]);
    await lock.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
    const ds = createDataSource({ ...options, poolSize: 2 });
    await ds.initialize();
    try {
      const ran = await ds.runMigrations({ transaction: 'each' });
      return ran.map((m) => m.name);
    } finally {
      await ds.destroy();
    }
  } finally {
    await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [`o2o-migrate:${options.schema}`]).catch(() => undefined);
    await lock.end();
  }
}
