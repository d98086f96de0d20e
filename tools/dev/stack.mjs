// Runs migrations and starts the six apps as child processes of this one.
import { spawn } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const SERVICES = ['catalog', 'booking', 'coupons', 'leads', 'attribution'];
export const APPS = [...SERVICES, 'gateway'];

export const entryOf = (app, file = 'main.js') => path.join(ROOT, 'dist/apps', app, 'src', file);

function run(file, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], { env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${path.relative(ROOT, file)} exited with ${code}`))));
  });
}

export async function migrateAll(env) {
  await Promise.all(APPS.map((app) => run(entryOf(app, 'migrate.js'), env)));
}

/** Starts one app; its output is prefixed with its name. */
export function startApp(app, env, onExit) {
  const child = spawn(process.execPath, [entryOf(app)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = `[${app}]`.padEnd(14);
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream.on('data', (chunk) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop();
      for (const line of lines) process.stdout.write(`${prefix}${line}\n`);
    });
  }
  child.once('exit', (code, signal) => onExit?.(app, code, signal));
  return child;
}

export async function waitForHealth(url, timeoutMs) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).status === 200) return true;
    } catch {
      /* not yet listening */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}
