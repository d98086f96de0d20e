'use strict';
// Container health probe for the Redis-transport services, which have no HTTP port.
// Exits 0 while some replica's heartbeat in `${O2O_NAMESPACE}:alive:${service}` (a sorted set of
// instance ids scored by expiry time in ms, see libs/platform/src/health/liveness.ts) lies in the
// future, else 1. Plain CommonJS with ioredis only, so it runs from the runtime image as is.
//   usage: node docker/healthcheck.js <service>      env: REDIS_URL, O2O_NAMESPACE (default o2o)
const Redis = require('ioredis');

const TIMEOUT_MS = 2500;

const fail = (message) => {
  process.stderr.write(`healthcheck: ${message}\n`);
  process.exit(1);
};

const service = process.argv[2];
if (!service || !/^[a-z0-9_-]+$/i.test(service)) fail('usage: node docker/healthcheck.js <service>');
const namespace = process.env.O2O_NAMESPACE || 'o2o';
const url = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

// A probe must answer within its own bound, never hang on an unreachable Redis.
setTimeout(() => fail(`no answer from Redis within ${TIMEOUT_MS} ms`), TIMEOUT_MS);

const redis = new Redis(url, {
  connectTimeout: TIMEOUT_MS,
  maxRetriesPerRequest: 0,
  retryStrategy: () => null,
  enableReadyCheck: false,
  lazyConnect: true,
});
let lastError; // ioredis reports the cause here; the rejected command only says the connection closed
redis.on('error', (e) => (lastError = e));

const key = `${namespace}:alive:${service}`;
redis
  .connect()
  .then(() => redis.zcount(key, Date.now(), '+inf'))
  .then((alive) => {
    if (Number(alive) > 0) process.exit(0);
    fail(`no live heartbeat in ${key}`);
  })
  .catch((e) => fail(`Redis at ${redis.options.host}:${redis.options.port}: ${(lastError || e).message || String(e)}`));
