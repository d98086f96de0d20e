import { createHash } from 'node:crypto';
import { DataSource, MixedList } from 'typeorm';
import { adminDatabaseUrl, databaseUrl, uniqueSuffix, withAdminClient } from './infra';

export interface SchemaMigrations {
  schema: string;
  migrations: MixedList<Function>;
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/**
 * Applies one schema's migrations to the template. Kept apart from the service kit's migrate
 * (which the kit's own tests use through this library) so that the two libraries do not import
 * each other.
 */
async function migrateTemplate(url: string, schema: string, migrations: MixedList<Function>): Promise<void> {
  const ds = new DataSource({
    type: 'postgres',
    url,
    schema,
    migrations,
    migrationsTableName: 'migrations',
    extra: { options: `-c search_path=${schema},public` },
  });
  await ds.initialize();
  try {
    await ds.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
}

/** Names and source of the migrations: a migration edited in place makes a new template. */
const migrationFingerprints = (m: MixedList<Function>) => (Array.isArray(m) ? m : Object.values(m)).map((f) => `${f.name}:${String(f)}`);

/**
 * A database of this test file's own, cloned from a template migrated once per set of
 * migrations. Cloning takes a fraction of a second; migrating every file would not.
 */
export async function createTestDatabase(schemas: SchemaMigrations[]): Promise<TestDatabase> {
  const admin = await adminDatabaseUrl();
  const fingerprint = createHash('sha1')
    .update(JSON.stringify(schemas.map((s) => [s.schema, migrationFingerprints(s.migrations)])))
    .digest('hex')
    .slice(0, 12);
  const template = `o2o_tpl_${fingerprint}`;
  const name = `o2o_t_${uniqueSuffix()}`;

  await withAdminClient(async (client) => {
    // One runner at a time builds the template and clones it; others wait their turn.
    await client.query('SELECT pg_advisory_lock(hashtext($1))', ['o2o-test-template']);
    try {
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
      if (exists.rowCount === 0) {
        await client.query(`CREATE DATABASE ${template}_build`).catch(() => undefined);
        try {
          for (const s of schemas) await migrateTemplate(databaseUrl(admin, `${template}_build`), s.schema, s.migrations);
          await client.query(`ALTER DATABASE ${template}_build RENAME TO ${template}`);
        } catch (e) {
          await client.query(`DROP DATABASE IF EXISTS ${template}_build`);
          throw e;
        }
      }
      await client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', ['o2o-test-template']);
    }
  });

  return {
    name,
    url: databaseUrl(admin, name),
    drop: () => withAdminClient(async (client) => void (await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}
