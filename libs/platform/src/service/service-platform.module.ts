import { Controller, DynamicModule, Global, Inject, Injectable, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { healthPattern, ServiceName } from '@o2o/contracts';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import { DataSource, MixedList } from 'typeorm';
import { loadConfig, ServiceConfig } from '../config/config';
import { createDataSource } from '../database/data-source';
import { checkHealth } from '../health/health-check';
import { createLogger } from '../logging/logger';
import { EventConsumer } from '../outbox/event-consumer';
import { OutboxRelay } from '../outbox/outbox-relay';
import { bullConnection } from '../outbox/queues';
import { redisOptionsFromUrl } from '../transport/redis-url';
import { CONFIG, LOGGER, REDIS, SERVICE_NAME } from './tokens';

export interface ServiceDefinition {
  name: ServiceName;
  migrations: MixedList<Function>;
  entities?: MixedList<Function>;
}

function healthControllerFor(service: ServiceName) {
  @Controller()
  class HealthController {
    constructor(
      @Inject(DataSource) private readonly dataSource: DataSource,
      @Inject(REDIS) private readonly redis: Redis,
    ) {}

    @MessagePattern(healthPattern(service))
    check() {
      return checkHealth(service, this.dataSource, this.redis);
    }
  }
  return HealthController;
}

/** Starts the outbox relay and the event consumer once every module has registered its handlers. */
@Injectable()
class ServiceLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly consumer: EventConsumer,
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  onApplicationBootstrap(): void {
    this.relay.start();
    this.consumer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
    await this.relay.stop();
    await this.dataSource.destroy();
    this.redis.disconnect();
  }
}

/** Everything a service stands on: config, logs, its database schema, Redis, events, health. */
@Global()
@Module({})
export class ServicePlatformModule {
  static forService(definition: ServiceDefinition): DynamicModule {
    return {
      module: ServicePlatformModule,
      controllers: [healthControllerFor(definition.name)],
      providers: [
        { provide: SERVICE_NAME, useValue: definition.name },
        { provide: CONFIG, useFactory: () => loadConfig(ServiceConfig) },
        { provide: LOGGER, useFactory: (c: ServiceConfig) => createLogger(definition.name, c.LOG_LEVEL), inject: [CONFIG] },
        {
          provide: DataSource,
          useFactory: (c: ServiceConfig) =>
            createDataSource({ url: c.DATABASE_URL, schema: definition.name, entities: definition.entities, migrations: definition.migrations }).initialize(),
          inject: [CONFIG],
        },
        { provide: REDIS, useFactory: (c: ServiceConfig) => new Redis({ ...redisOptionsFromUrl(c.REDIS_URL), maxRetriesPerRequest: 1 }), inject: [CONFIG] },
        {
          provide: OutboxRelay,
          useFactory: (c: ServiceConfig, ds: DataSource, logger: Logger) =>
            new OutboxRelay({ dataSource: ds, connection: bullConnection(c.REDIS_URL), namespace: c.O2O_NAMESPACE, source: definition.name, logger }),
          inject: [CONFIG, DataSource, LOGGER],
        },
        {
          provide: EventConsumer,
          useFactory: (c: ServiceConfig, ds: DataSource, logger: Logger) =>
            new EventConsumer({ dataSource: ds, connection: bullConnection(c.REDIS_URL), namespace: c.O2O_NAMESPACE, consumer: definition.name, logger }),
          inject: [CONFIG, DataSource, LOGGER],
        },
        ServiceLifecycle,
      ],
      exports: [SERVICE_NAME, CONFIG, LOGGER, DataSource, REDIS, EventConsumer],
    };
  }
}
