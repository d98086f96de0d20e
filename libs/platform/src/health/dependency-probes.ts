import Redis from 'ioredis';
import { Client } from 'pg';
import { ServiceConfig } from '../config/config';
import { redisOptionsFromUrl } from '../transport/redis-url';
import type { Dependency, DependencyProbe } from './dependency-monitor';

const CONNECT_TIMEOUT_MS = 1000;

/**
 * Connects afresh, asks SELECT 1 and leaves. A connection of its own, so a pool full of waiting
 * requests cannot delay the news that the database is back.
 */
export function postgresProbe(url: string): DependencyProbe {
  return async () => {
    const client = new Client({
      connectionString: url,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      query_timeout: CONNECT_TIMEOUT_MS,
      application_name: 'o2o-probe',
    });
    client.on('error', () => undefined); // a drop after the answer is not news
    try {
      await client.connect();
      await client.query('SELECT 1');
    } finally {
      await client.end().catch(() => undefined);
    }
  };
}

/** Connects afresh once (no retries, no queue) and asks PING. */
export function redisProbe(url: string): DependencyProbe {
  return async () => {
    const redis = new Redis({
      ...redisOptionsFromUrl(url),
      lazyConnect: true,
      connectTimeout: CONNECT_TIMEOUT_MS,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    redis.on('error', () => undefined); // the rejected connect() says it already
    try {
      await redis.connect();
      await redis.ping();
    } finally {
      redis.disconnect();
    }
  };
}

/** The probe from this process's environment, the same variables its config reads. */
export function envProbe(dependency: Dependency, env: NodeJS.ProcessEnv = process.env): DependencyProbe {
  const defaults = new ServiceConfig();
  switch (dependency) {
    case 'postgres':
      return postgresProbe(env.DATABASE_URL ?? defaults.DATABASE_URL);
    case 'redis':
      return redisProbe(env.REDIS_URL ?? defaults.REDIS_URL);
    default: {
      const unknown: never = dependency;
      throw new Error(`No probe for ${String(unknown)}`);
    }
  }
}
