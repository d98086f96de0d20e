import { ConnectionOptions } from 'bullmq';
import { redisOptionsFromUrl } from '../transport/redis-url';

/** The durable queue each consuming service reads its events from. */
export const eventQueueName = (consumer: string) => `events.${consumer}`;

/** BullMQ needs its own connections, with no per-command retry limit. */
export function bullConnection(redisUrl: string): ConnectionOptions {
  return { ...redisOptionsFromUrl(redisUrl), maxRetriesPerRequest: null };
}

export const bullPrefix = (namespace: string) => `${namespace}:q`;
