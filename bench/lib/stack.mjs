// Boots the whole stack through the dev launcher on a database and namespace of its own, for
// benchmarks that measure through the gateway.
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';

const ROOT = path.resolve(import.meta.dirname, '../..');

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export async function adminUrl() {
  for (const url of [process.env.TEST_DATABASE_URL, 'postgres://postgres@127.0.0.1:5432/postgres', 'postgres://root@127.0.0.1:5432/postgres'].filter(Boolean)) {
    const c = new pg.Client({ connectionString: url });
    try {
      await c.connect();
      return url;
    } catch {
      /* next */
    } finally {
      await c.end().catch(() => {});
    }
  }
  throw new Error('No Postgres on 127.0.0.1:5432');
}

export async function startStack(name, extraEnv = {}) {
  const admin = await adminUrl();
  const db = `o2o_bench_${name}_${Date.now().toString(36)}`;
  const dbUrl = new URL(admin);
  dbUrl.pathname = `/${db}`;
  const port = await freePort();
  const env = {
    ...process.env,
    DATABASE_URL: dbUrl.toString(),
    O2O_NAMESPACE: `bench-${name}-${Date.now().toString(36)}`,
    GATEWAY_PORT: String(port),
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '100000000',
    ...extraEnv,
  };
  let output = '';
  const launcher = spawn(process.execPath, [path.join(ROOT, 'tools/dev/start.mjs')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  launcher.stdout.on('data', (d) => (output += d));
  launcher.stderr.on('data', (d) => (output += d));
  const until = Date.now() + 120_000;
  while (!/all six apps healthy/.test(output)) {
    if (Date.now() > until || launcher.exitCode !== null) throw new Error(`stack did not start:\n${output.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    databaseUrl: dbUrl.toString(),
    async stop() {
      await new Promise((resolve) => {
        launcher.once('exit', resolve);
        launcher.kill('SIGINT');
        setTimeout(() => launcher.kill('SIGKILL'), 30_000).unref();
      });
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Requests per second and latency percentiles of one autocannon run. */
export function summarise(result) {
  return { rps: result.requests.average, p99: result.latency.p99, p50: result.latency.p50, errors: result.errors + result.non2xx };
}
