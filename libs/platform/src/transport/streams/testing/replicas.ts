import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FixtureMessage } from './fixture-keys';

const FIXTURE_PATH = 'libs/platform/src/transport/streams/testing/replica.fixture.js';

/** The repository root: the nearest folder up from here that holds nx.json. */
export function repoRoot(from = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No nx.json above ${from}`);
    dir = parent;
  }
  return dir;
}

/** The replica fixture as `npm run build` left it in dist/. */
export function builtFixtureScript(): string {
  const script = join(repoRoot(), 'dist', FIXTURE_PATH);
  if (!existsSync(script)) throw new Error(`${script} is missing: run npm run build first`);
  return script;
}

/**
 * Compiles the platform and contracts sources into a folder of this caller's own under dist/, so
 * that a test runs the current code (never a stale build) and parallel test files never write
 * over each other's output. Takes about a second.
 */
export function compileFixture(): { script: string; remove(): void } {
  const root = repoRoot();
  const out = join(root, 'dist', '.transport-fixtures', randomBytes(4).toString('hex'));
  execFileSync(join(root, 'node_modules', '.bin', 'swc'), ['libs/platform/src', 'libs/contracts/src', '-d', out, '--config-file', '.swcrc', '-q'], {
    cwd: root,
    stdio: 'pipe',
  });
  return { script: join(out, FIXTURE_PATH), remove: () => rmSync(out, { recursive: true, force: true }) };
}

export interface ReplicaProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Resolves with the exit code (null after a signal) once the process has gone. */
  readonly exited: Promise<number | null>;
  /** Handler runs in this process so far (asked over IPC). */
  executions(): Promise<number>;
  /** SIGTERM, a graceful stop; SIGKILL if it takes longer than 10 s. */
  stop(): Promise<void>;
  /** SIGKILL: the process dies on the spot, leaving whatever it was running. */
  kill(): Promise<void>;
  /** The last part of its stderr, to explain a failure. */
  output(): string;
}

/** Starts one replica process and waits until it serves. */
export async function startReplica(script: string, name: string, env: Record<string, string>, readyWithinMs = 20_000): Promise<ReplicaProcess> {
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, FIXTURE_REPLICA: name },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ask = <T extends FixtureMessage['type']>(type: T, send: boolean, withinMs: number) =>
    new Promise<Extract<FixtureMessage, { type: T }>>((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`replica ${name}: no ${type} within ${withinMs} ms\n${stderr}`)), withinMs);
      const onMessage = (m: FixtureMessage) => m.type === type && done(undefined, m as Extract<FixtureMessage, { type: T }>);
      const onExit = (code: number | null) => done(new Error(`replica ${name} exited (${code}) before ${type}\n${stderr}`));
      const done = (err?: Error, message?: Extract<FixtureMessage, { type: T }>) => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        if (err) reject(err);
        else resolve(message!);
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
      if (send) child.send({ type });
    });
  await ask('ready', false, readyWithinMs);
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  return {
    name,
    child,
    exited,
    executions: async () => (await ask('executions', true, 5000)).executions,
    stop: async () => {
      if (gone()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
    kill: async () => {
      if (gone()) return;
      child.kill('SIGKILL');
      await exited;
    },
    output: () => stderr,
  };
}
