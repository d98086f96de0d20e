import {
  BeforeApplicationShutdown,
  Controller,
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { MessagePattern } from '@nestjs/microservices';
import { healthPattern, ServiceName } from '@o2o/contracts';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import { DataSource, MixedList } from 'typeorm';
import { loadConfig, ServiceConfig } from '../config/config';
import { createDataSource } from '../database/data-source';
import { transactionAwareDataSource } from '../exactly-once/command-transaction';
import { ExactlyOnceInterceptor } from '../exactly-once/exactly-once.interceptor';
import { RequestLedger } from '../exactly-once/request-ledger';
import { ServiceLiveness } from '../health/liveness';
import { ServiceClients } from '../transport/service-clients';
import { createTransportClient } from '../transport/transport';
import { checkHealth } from '../health/health-check';
import { createLogger } from '../logging/logger';
import { EventConsumer } from '../outbox/event-consumer';
import { eventsReplayControllerFor } from '../outbox/events-replay.controller';
import { OutboxRelay } from '../outbox/outbox-relay';
import { bullConnection } from '../outbox/queues';
import { Clock, SystemClock } from '../jobs/clock';
import { Jobs } from '../jobs/jobs';
import { redisOptionsFromUrl } from '../transport/redis-url';
import { CLOCK, CONFIG, LOGGER, REDIS, SERVICE_NAME } from './tokens';

export interface ServiceDefinition {
  name: ServiceName;
  migrations: MixedList<Function>;
  entities?: MixedList<Function>;
  /** The services this one calls; it gets a ServiceClients for them. */
  calls?: ServiceName[];
}

const REQUEST_LEDGER_PURGE_EVERY_MS = 3600_000;

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

/**
 * Starts the outbox relay and the event consumer once every module has registered its handlers.
 * On shutdown everything that works on the database stops before the connections close.
 */
@Injectable()
class ServiceLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly consumer: EventConsumer,
    private readonly jobs: Jobs,
    private readonly ledger: RequestLedger,
    private readonly clients: ServiceClients,
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CONFIG) private readonly config: ServiceConfig,
    @Inject(SERVICE_NAME) private readonly service: ServiceName,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.relay.start();
    this.consumer.start();
    // Handled requests are kept longer than the gateway keeps Idempotency-Key answers, then dropped.
    const purgeQueue = `${this.service}.request-ledger-purge`;
    this.jobs.worker(purgeQueue, () => this.ledger.purge(this.config.REQUEST_LEDGER_RETENTION_HOURS), { concurrency: 1 });
    await this.jobs.repeat(purgeQueue, 'request-ledger-purge', REQUEST_LEDGER_PURGE_EVERY_MS, 'purge');
  }

  async beforeApplicationShutdown(): Promise<void> {
    // Handlers in hand may still schedule jobs or write outbox rows: let them finish first.
    await Promise.all([this.consumer.stop(), this.jobs.stopWorkers()]);
    await Promise.all([this.jobs.stop(), this.relay.stop()]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.clients.close();
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
      controllers: [healthControllerFor(definition.name), eventsReplayControllerFor(definition.name)],
      providers: [
        { provide: SERVICE_NAME, useValue: definition.name },
        { provide: CONFIG, useFactory: () => loadConfig(ServiceConfig) },
        { provide: LOGGER, useFactory: (c: ServiceConfig) => createLogger(definition.name, c.LOG_LEVEL), inject: [CONFIG] },
        {
          provide: DataSource,
          useFactory: async (c: ServiceConfig) =>
            transactionAwareDataSource(
              await createDataSource({
                url: c.DATABASE_URL,
                schema: definition.name,
                entities: definition.entities,
                migrations: definition.migrations,
              }).initialize(),
            ),
          inject: [CONFIG],
        },
        { provide: RequestLedger, useFactory: (ds: DataSource) => new RequestLedger(ds), inject: [DataSource] },
        { provide: APP_INTERCEPTOR, useClass: ExactlyOnceInterceptor },
        {
          provide: ServiceClients,
          useFactory: async (c: ServiceConfig, redis: Redis) => {
            const liveness = new ServiceLiveness(redis, c.O2O_NAMESPACE);
            const calls = definition.calls ?? [];
            if (calls.length > 0) await liveness.start();
            return new ServiceClients(createTransportClient(c), liveness, c.REQUEST_TIMEOUT_MS, calls);
          },
          inject: [CONFIG, REDIS],
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
        { provide: CLOCK, useClass: SystemClock },
        {
          provide: Jobs,
          useFactory: (c: ServiceConfig, clock: Clock, logger: Logger) =>
            new Jobs({ connection: bullConnection(c.REDIS_URL), namespace: c.O2O_NAMESPACE, clock, logger }),
          inject: [CONFIG, CLOCK, LOGGER],
        },
        ServiceLifecycle,
      ],
      exports: [SERVICE_NAME, CONFIG, LOGGER, DataSource, REDIS, EventConsumer, Jobs, CLOCK, RequestLedger, ServiceClients],
    };
  }
}
