#!/usr/bin/env node
// npm run events:replay -- --consumer <service> --since <ISO time> [--timeout-ms <ms>]
// Asks every service to republish its own outbox events of the consumer's subscribed types since
// that time into the consumer's queues (dist/ must be built). The consumer drops the events it
// has already processed, so running it twice is harmless.
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { redisAnswers } from '../dev/infra.mjs';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(import.meta.dirname, '../..');
const { SERVICE_NAMES } = require(path.join(ROOT, 'dist/libs/contracts/src/index.js'));
const { loadConfig, replayEvents, ServiceConfig } = require(path.join(ROOT, 'dist/libs/platform/src/index.js'));

const usage = `usage: npm run events:replay -- --consumer <${SERVICE_NAMES.join('|')}> --since <ISO time> [--timeout-ms <ms>]`;
const fail = (message) => {
  process.stderr.write(`${message}\n`);
  process.exit(2);
};

let args;
try {
  args = parseArgs({ options: { consumer: { type: 'string' }, since: { type: 'string' }, 'timeout-ms': { type: 'string', default: '120000' } } }).values;
} catch (e) {
  fail(`${e.message}\n${usage}`);
}
if (!args.consumer || !args.since) fail(usage);
const timeoutMs = Number(args['timeout-ms']);
if (!Number.isInteger(timeoutMs) || timeoutMs < 100) fail(`--timeout-ms must be a whole number of milliseconds, at least 100\n${usage}`);

// The stack's Redis: REDIS_URL, else the local default, else the one the dev launcher starts.
let redisUrl = process.env.REDIS_URL;
if (!redisUrl) {
  for (const candidate of ['redis://127.0.0.1:6379', 'redis://127.0.0.1:63799']) {
    if (await redisAnswers(candidate)) {
      redisUrl = candidate;
      break;
    }
  }
}
if (!redisUrl) fail("No Redis found: set REDIS_URL to the stack's Redis");

let config;
try {
  config = loadConfig(ServiceConfig, { ...process.env, REDIS_URL: redisUrl });
} catch (e) {
  fail(e.message);
}

let results;
try {
  results = await replayEvents(config, { consumer: args.consumer, since: args.since }, { timeoutMs });
} catch (e) {
  fail(`${e.message}\n${usage}`);
}

process.stdout.write(`replay to ${args.consumer} of events since ${args.since} (namespace ${config.O2O_NAMESPACE})\n`);
for (const r of results) {
  const line = r.error ? `FAILED: ${r.error}` : `${r.republished} events republished${r.types.length ? '' : ' (subscribes to nothing)'}`;
  process.stdout.write(`  ${r.producer.padEnd(12)} ${line}\n`);
}
const failed = results.filter((r) => r.error);
if (failed.length) {
  process.stdout.write(`${failed.length} producers did not answer; run the replay again once they are up (replaying twice is harmless)\n`);
  process.exit(1);
}
process.exit(0);
