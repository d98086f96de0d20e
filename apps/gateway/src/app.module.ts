import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { SERVICE_NAMES } from '@o2o/contracts';
import {
  CONFIG,
  createDataSource,
  createLogger,
  createTransportClient,
  IdempotencyStore,
  LOGGER,
  loadConfig,
  REDIS,
  ServiceClients,
  ServiceLiveness,
} from '@o2o/platform';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { redisOptionsFromUrl } from '@o2o/platform';
import { ApiKeyEntity } from './api-keys/api-key.entity';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { ApiKeysService } from './api-keys/api-keys.service';
import { AuthController } from './auth/auth.controller';
import { AuthGuard } from './auth/auth.guard';
import { AuthService } from './auth/auth.service';
import { UserEntity } from './auth/user.entity';
import { LoginLimiter } from './auth/login-limiter';
import { CatalogGatewayModule } from './catalog/catalog.module';
import { GatewayConfig } from './core/gateway.config';
import { HttpContextInterceptor } from './core/http-context.interceptor';
import { GatewayClients } from './core/gateway-clients';
import { CouponsGatewayModule } from './coupons/coupons.module';
import { HealthController } from './health/health.controller';
import { HealthService } from './health/health.service';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { IdempotencyRetention } from './idempotency/idempotency-retention';
import { gatewayMigrations } from './migrations';
import { ProblemFilter } from './problem/problem.filter';
import { LeadsGatewayModule } from './leads/leads.module';
import { BookingGatewayModule } from './booking/booking.module';
import { AttributionGatewayModule } from './attribution/attribution.module';

/** Connections the gateway holds: its own schema, Redis, the service transport. */
@Global()
@Module({
  providers: [
    { provide: CONFIG, useFactory: () => loadConfig(GatewayConfig) },
    { provide: LOGGER, useFactory: (c: GatewayConfig) => createLogger('gateway', c.LOG_LEVEL), inject: [CONFIG] },
    {
      provide: DataSource,
      useFactory: (c: GatewayConfig) =>
        createDataSource({
          url: c.DATABASE_URL,
          schema: 'gateway',
          entities: [UserEntity, ApiKeyEntity],
          migrations: gatewayMigrations,
          poolSize: 20,
        }).initialize(),
      inject: [CONFIG],
    },
    // No offline queue: while Redis is down, liveness and rate limits fail fast instead of waiting.
    {
      provide: REDIS,
      useFactory: (c: GatewayConfig) => new Redis({ ...redisOptionsFromUrl(c.REDIS_URL), enableOfflineQueue: false, maxRetriesPerRequest: 1 }),
      inject: [CONFIG],
    },
    {
      provide: ServiceLiveness,
      useFactory: async (c: GatewayConfig, redis: Redis) => {
        const liveness = new ServiceLiveness(redis, c.O2O_NAMESPACE);
        await liveness.start();
        return liveness;
      },
      inject: [CONFIG, REDIS],
    },
    {
      provide: GatewayClients,
      useFactory: (c: GatewayConfig, liveness: ServiceLiveness) =>
        new GatewayClients(new ServiceClients(createTransportClient(c), liveness, c.REQUEST_TIMEOUT_MS, SERVICE_NAMES)),
      inject: [CONFIG, ServiceLiveness],
    },
    // A key in flight is taken for abandoned only well after its request must have timed out.
    {
      provide: IdempotencyStore,
      useFactory: (ds: DataSource, c: GatewayConfig) => new IdempotencyStore(ds, Math.max(60_000, 2 * c.REQUEST_TIMEOUT_MS)),
      inject: [DataSource, CONFIG],
    },
    ProblemFilter,
  ],
  exports: [CONFIG, LOGGER, DataSource, REDIS, ServiceLiveness, GatewayClients, IdempotencyStore, ProblemFilter],
})
class GatewayCoreModule implements OnApplicationShutdown {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly liveness: ServiceLiveness,
    private readonly clients: GatewayClients,
    private readonly dataSource: DataSource,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    this.liveness.stop();
    await this.clients.services.transport.close();
    await this.dataSource.destroy();
    this.redis.disconnect();
  }
}

@Module({
  imports: [
    GatewayCoreModule,
    JwtModule.registerAsync({
      global: true,
      useFactory: (c: GatewayConfig) => ({ secret: c.JWT_SECRET, signOptions: { algorithm: 'HS256' }, verifyOptions: { algorithms: ['HS256'] } }),
      inject: [CONFIG],
    }),
    // One module per back-end service.
    AttributionGatewayModule,
    BookingGatewayModule,
    LeadsGatewayModule,
    CatalogGatewayModule,
    CouponsGatewayModule,
  ],
  controllers: [HealthController, AuthController, ApiKeysController],
  providers: [
    AuthService,
    LoginLimiter,
    ApiKeysService,
    HealthService,
    IdempotencyRetention,
    { provide: APP_FILTER, useExisting: ProblemFilter },
    { provide: APP_INTERCEPTOR, useClass: HttpContextInterceptor },
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
  ],
})
export class GatewayModule {}
