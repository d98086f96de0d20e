import { ClientProxy, CustomStrategy, RedisOptions } from '@nestjs/microservices';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Observable } from 'rxjs';
import { ServiceConfig } from '../config/config';
import { assertNever } from '../errors/http-status';
import { NamespacedRedisClient, NamespacedRedisServer } from './namespaced-redis';
import { redisOptionsFromUrl } from './redis-url';
import { StreamsClient } from './streams/streams-client';
import { StreamsServer } from './streams/streams-server';

/** The one place that decides how services and the gateway talk (O2O_TRANSPORT). */
function stockRedisOptions(config: ServiceConfig): Required<RedisOptions>['options'] {
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

/** A consumer name unique to this process, so that a restarted replica never inherits another's. */
const consumerName = (config: ServiceConfig) => `${config.INSTANCE_ID ?? `${hostname()}-${process.pid}`}-${randomBytes(3).toString('hex')}`;

export function serviceTransport(config: ServiceConfig): CustomStrategy {
  switch (config.O2O_TRANSPORT) {
    case 'streams':
      return {
        strategy: new StreamsServer({
          redis: redisOptionsFromUrl(config.REDIS_URL),
          namespace: config.O2O_NAMESPACE,
          consumerName: consumerName(config),
          claimIdleMs: config.O2O_STREAMS_CLAIM_IDLE_MS,
          maxPayloadBytes: config.O2O_MAX_PAYLOAD_BYTES,
          maxInFlight: config.O2O_STREAMS_MAX_IN_FLIGHT,
        }),
      };
    case 'redis':
      return { strategy: new NamespacedRedisServer(config.O2O_NAMESPACE, stockRedisOptions(config)) };
    default:
      return assertNever(config.O2O_TRANSPORT);
  }
}

/**
 * Whether closing the server stops it taking requests and lets the running ones finish. The
 * Streams server does; the stock transport quits its connections at once.
 */
export function transportDrainsOnClose(config: ServiceConfig): boolean {
  switch (config.O2O_TRANSPORT) {
    case 'streams':
      return true;
    case 'redis':
      return false;
    default:
      return assertNever(config.O2O_TRANSPORT);
  }
}

/** What callers need of a transport client, whichever transport is configured. */
export type TransportClient = Pick<ClientProxy, 'send' | 'connect' | 'close'> & {
  /** Sends with an absolute deadline (epoch ms), for transports that drop requests their caller gave up on. */
  sendBefore?<T>(pattern: string, data: unknown, deadline: number): Observable<T>;
};

export function createTransportClient(config: ServiceConfig): TransportClient {
  switch (config.O2O_TRANSPORT) {
    case 'streams':
      return new StreamsClient({
        redis: redisOptionsFromUrl(config.REDIS_URL),
        namespace: config.O2O_NAMESPACE,
        maxStreamLength: config.O2O_STREAMS_MAX_LENGTH,
        maxPayloadBytes: config.O2O_MAX_PAYLOAD_BYTES,
        defaultTimeoutMs: config.REQUEST_TIMEOUT_MS,
      });
    case 'redis':
      return new NamespacedRedisClient(config.O2O_NAMESPACE, stockRedisOptions(config));
    default:
      return assertNever(config.O2O_TRANSPORT);
  }
}
