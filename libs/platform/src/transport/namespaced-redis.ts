import { ClientRedis, RedisOptions, ServerRedis } from '@nestjs/microservices';

/**
 * The stock Redis (pub/sub) transport, with every channel prefixed by the stack's namespace so
 * that stacks and test runs sharing one Redis never answer each other's requests.
 * It is one-replica-per-service only: pub/sub delivers each request to every subscriber.
 */
export class NamespacedRedisServer extends ServerRedis {
  constructor(
    private readonly namespace: string,
    options: Required<RedisOptions>['options'],
  ) {
    super(options);
  }

  override getRequestPattern(pattern: string): string {
    return `${this.namespace}:${pattern}`;
  }

  override getHandlerByPattern(channel: string) {
    const prefix = `${this.namespace}:`;
    return super.getHandlerByPattern(channel.startsWith(prefix) ? channel.slice(prefix.length) : channel);
  }
}

export class NamespacedRedisClient extends ClientRedis {
  constructor(
    private readonly namespace: string,
    options: Required<RedisOptions>['options'],
  ) {
    super(options);
  }

  override getRequestPattern(pattern: string): string {
    return `${this.namespace}:${pattern}`;
  }

  override getReplyPattern(pattern: string): string {
    return `${this.namespace}:${pattern}.reply`;
  }
}
