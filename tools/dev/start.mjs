#!/usr/bin/env node
// npm start: Postgres and Redis (found or started), migrations, then the six apps, one process each.
import { randomBytes } from 'node:crypto';
import { resolveInfrastructure } from './infra.mjs';
import { APPS, migrateAll, startApp, waitForHealth } from './stack.mjs';

const t0 = Date.now();
const say = (m) => process.stdout.write(`[o2o]         ${m}\n`);

const infra = await resolveInfrastructure(say).catch((e) => {
  say(e.message);
  process.exit(1);
});
const port = process.env.GATEWAY_PORT || '3000';
const admin = { username: process.env.ADMIN_USERNAME || 'admin', password: process.env.ADMIN_PASSWORD || 'admin' };
// A signing secret of this run's own unless one is given: tokens do not outlive the run.
const jwtSecret = process.env.JWT_SECRET || randomBytes(32).toString('base64url');
const env = {
  ...process.env,
  DATABASE_URL: infra.databaseUrl,
  REDIS_URL: infra.redisUrl,
  GATEWAY_PORT: port,
  ADMIN_USERNAME: admin.username,
  ADMIN_PASSWORD: admin.password,
  JWT_SECRET: jwtSecret,
};
say(`database ${infra.databaseUrl.replace(/:[^:@/]*@/, ':***@')}, redis ${infra.redisUrl}`);

try {
  await migrateAll(env);
} catch (e) {
  say(`migrations failed: ${e.message}`);
  await infra.stop();
  process.exit(1);
}

let stopping = false;
const children = new Map();
for (const app of APPS) {
  const child = startApp(app, env, (name, code, signal) => {
    children.delete(name);
    if (!stopping) say(`${name} exited (${signal ?? code}); the others keep running`);
  });
  children.set(app, child);
  say(`${app} started (pid ${child.pid})`);
}

const healthUrl = `http://localhost:${port}/health`;
if (await waitForHealth(healthUrl, 60_000)) {
  say(`all six apps healthy in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  say(`API      http://localhost:${port}/v1`);
  say(`Docs     http://localhost:${port}/docs  (OpenAPI: /docs/json)`);
  say(`Health   ${healthUrl}`);
  say(`Admin    ${admin.username} / ${admin.password}`);
} else {
  say(`the stack did not become healthy within 60 s; see the logs above (${healthUrl})`);
}

async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  say(`${signal}: stopping`);
  await Promise.all(
    [...children.values()].map(
      (c) =>
        new Promise((resolve) => {
          c.once('exit', resolve);
          c.kill('SIGTERM');
          setTimeout(() => c.kill('SIGKILL'), 15_000).unref();
        }),
    ),
  );
  await infra.stop();
  say('stopped');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
