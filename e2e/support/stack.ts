import { clearNamespace, databaseUrl, adminDatabaseUrl, TEST_REDIS_URL, testNamespace, uniqueSuffix, withAdminClient } from '@o2o/testing';
import { ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

export interface RunningStack {
  url: string;
  env: NodeJS.ProcessEnv;
  databaseUrl: string;
  /** pid of each app, as the launcher announced it. */
  pids: Map<string, number>;
  output: () => string;
  /** Starts one app again by itself, beside the launcher's. */
  startApp(app: string): ChildProcess;
  /** Ctrl-C to the launcher; answers its exit code. */
  stop(): Promise<number | null>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Boots the whole stack through the dev launcher, on its own database, namespace and port. */
export async function startStack(extraEnv: NodeJS.ProcessEnv = {}): Promise<RunningStack> {
  const port = await freePort();
  const dbName = `o2o_e2e_${uniqueSuffix()}`;
  const dbUrl = databaseUrl(await adminDatabaseUrl(), dbName);
  const namespace = testNamespace();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: dbUrl,
    REDIS_URL: TEST_REDIS_URL,
    O2O_NAMESPACE: namespace,
    GATEWAY_PORT: String(port),
    ADMIN_USERNAME: 'admin',
    ADMIN_PASSWORD: 'admin',
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  let output = '';
  const launcher = spawn(process.execPath, [path.join(ROOT, 'tools/dev/start.mjs')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  launcher.stdout.on('data', (d) => (output += d));
  launcher.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => launcher.once('exit', (code) => resolve(code)));
  const extra: ChildProcess[] = [];

  const until = Date.now() + 120_000;
  while (!/all six apps healthy/.test(output)) {
    if (Date.now() > until || launcher.exitCode !== null) throw new Error(`The stack did not come up:\n${output.slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const pids = new Map([...output.matchAll(/\] *(\w+) started \(pid (\d+)\)/g)].map((m) => [m[1], Number(m[2])]));

  return {
    url: `http://127.0.0.1:${port}`,
    env,
    databaseUrl: dbUrl,
    pids,
    output: () => output,
    startApp(app) {
      const child = spawn(process.execPath, [path.join(ROOT, 'dist/apps', app, 'src/main.js')], { env, stdio: 'ignore' });
      extra.push(child);
      return child;
    },
    async stop() {
      for (const child of extra) if (child.exitCode === null) child.kill('SIGTERM');
      launcher.kill('SIGINT');
      const code = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), 30_000).unref())]);
      if (launcher.exitCode === null) launcher.kill('SIGKILL');
      await clearNamespace(namespace);
      await withAdminClient((c) => c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`));
      return code;
    },
  };
}

export interface HttpAnswer<T = unknown> {
  status: number;
  type: string;
  body: T;
  ms: number;
}

export async function http<T = Record<string, unknown>>(
  base: string,
  method: string,
  pathname: string,
  options: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
): Promise<HttpAnswer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const t0 = Date.now();
  const res = await fetch(base + pathname, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: (text ? JSON.parse(text) : null) as T, ms: Date.now() - t0 };
}
