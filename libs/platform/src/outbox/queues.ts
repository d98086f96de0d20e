import type { RedisOptions } from 'ioredis';
import Redis from 'ioredis';
import { redisOptionsFromUrl } from '../transport/redis-url';

/**
 * The durable queue of one event type for one consumer. One queue per type lets a consumer run
 * workers for the types it handles only: the others wait, never taken and never acknowledged.
 */
export const eventQueueName = (consumer: string, type: string) => `events.${consumer}.${type}`;

/** BullMQ needs its own connections, with no per-command retry limit. */
export function bullConnection(redisUrl: string): RedisOptions {
  return { ...redisOptionsFromUrl(redisUrl), maxRetriesPerRequest: null };
}

export const bullPrefix = (namespace: string) => `${namespace}:q`;

/**
 * One connection for the many event queues of a relay or consumer; BullMQ leaves a connection it
 * was given open, and each worker still adds a blocking one of its own.
 */
export const sharedBullRedis = (connection: RedisOptions): Redis => new Redis({ ...connection, maxRetriesPerRequest: null });
