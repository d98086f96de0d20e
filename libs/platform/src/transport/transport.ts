import { ClientProxy, CustomStrategy, RedisOptions } from '@nestjs/microservices';
import { ServiceConfig } from '../config/config';
import { NamespacedRedisClient, NamespacedRedisServer } from './namespaced-redis';
import { redisOptionsFromUrl } from './redis-url';

/** The one place that decides how services and the gateway talk. */
function transportOptions(config: ServiceConfig): Required<RedisOptions>['options'] {
  const { host, port, username, password, db, tls } = redisOptionsFromUrl(config.REDIS_URL);
  return {
    host,
    port,
    username,
    password,
    db,
    tls,
    // Reconnect for as long as it takes; callers are protected by their own timeouts.
    retryAttempts: Number.MAX_SAFE_INTEGER,
    retryDelay: 1000,
    maxRetriesPerRequest: null,
  } as Required<RedisOptions>['options'];
}

export function serviceTransport(config: ServiceConfig): CustomStrategy {
  return { strategy: new NamespacedRedisServer(config.O2O_NAMESPACE, transportOptions(config)) };
}

/** What callers need of a transport client, whichever transport is configured. */
export type TransportClient = Pick<ClientProxy, 'send' | 'connect' | 'close'>;

export function createTransportClient(config: ServiceConfig): TransportClient {
  return new NamespacedRedisClient(config.O2O_NAMESPACE, transportOptions(config));
}
