import Redis from 'ioredis';
import { uniqueSuffix, TEST_REDIS_URL } from './infra';

/** A Redis namespace of this test's own; every key, channel and queue lives under it. */
export const testNamespace = () => `t${uniqueSuffix()}`;

/** Deletes every key under a namespace. */
export async function clearNamespace(namespace: string, url = TEST_REDIS_URL): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${namespace}:*`, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
