import { Client } from 'pg';
import { randomBytes } from 'node:crypto';

/** Where tests find Postgres and Redis: TEST_DATABASE_URL / REDIS_URL, else the local defaults. */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

let adminUrl: Promise<string> | undefined;

/** A URL to the maintenance database, as the first of postgres/root that the server accepts. */
export function adminDatabaseUrl(): Promise<string> {
  adminUrl ??= (async () => {
    const candidates = process.env.TEST_DATABASE_URL
      ? [process.env.TEST_DATABASE_URL]
      : ['postgres://postgres@127.0.0.1:5432/postgres', 'postgres://root@127.0.0.1:5432/postgres'];
    for (const url of candidates) {
      const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
      try {
        await client.connect();
        return url;
      } catch {
        // try the next one
      } finally {
        await client.end().catch(() => undefined);
      }
    }
    throw new Error(`No Postgres accepted a connection at ${candidates.join(' or ')}`);
  })();
  return adminUrl;
}

export function databaseUrl(admin: string, name: string): string {
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A short random suffix that keeps parallel runs' names apart. */
export const uniqueSuffix = () => `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

export async function withAdminClient<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: await adminDatabaseUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
