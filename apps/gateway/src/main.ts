import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { ConfigError, createLogger, loadConfig, migrate, PinoNestLogger, REDIS, VALIDATION_OPTIONS } from '@o2o/platform';
import rateLimit from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { ApiKeysService } from './api-keys/api-keys.service';
import { GatewayModule } from './app.module';
import { BUILT_CONSOLE_DIR, serveConsole } from './core/console';
import { GatewayConfig } from './core/gateway.config';
import { openApiDocument, useVersionPrefix } from './core/openapi';
import { gatewayMigrations } from './migrations';

const CORRELATION_ID = /^[\w.:-]{1,128}$/;

async function bootstrap() {
  let config: GatewayConfig;
  try {
    config = loadConfig(GatewayConfig);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`gateway: ${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  const logger = createLogger('gateway', config.LOG_LEVEL);
  if (config.MIGRATE_ON_START === 'true') await migrate({ url: config.DATABASE_URL, schema: 'gateway', migrations: gatewayMigrations });

  const adapter = new FastifyAdapter({
    bodyLimit: 1024 * 1024,
    trustProxy: trustProxy(config.TRUST_PROXY),
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-correlation-id'];
      return typeof given === 'string' && CORRELATION_ID.test(given) ? given : randomUUID();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule, adapter, { logger: new PinoNestLogger(logger) });
  const jwt = app.get(JwtService);
  const apiKeys = app.get(ApiKeysService);

  app.enableCors({ origin: config.CORS_ORIGINS === '*' ? true : config.CORS_ORIGINS.split(',').map((o) => o.trim()), exposedHeaders: ['x-correlation-id'] });
  await app.register(rateLimit, {
    global: true,
    max: config.RATE_LIMIT_PER_MINUTE,
    timeWindow: 60_000,
    redis: app.get<Redis>(REDIS),
    nameSpace: `${config.O2O_NAMESPACE}:ratelimit:`,
    skipOnError: true, // Redis down: serve rather than refuse everyone
    // It asks nothing of anyone, and a probe refused would restart a working gateway.
    allowList: (req: FastifyRequest) => req.routeOptions.url === '/health/live',
    keyGenerator: (req: FastifyRequest) => rateLimitKey(req, jwt, apiKeys),
    errorResponseBuilder: (_req, ctx) => ({
      statusCode: 429,
      code: 'rate_limited',
      message: `Rate limit of ${ctx.max} requests per minute exceeded; retry in ${ctx.after}`,
    }),
  });
  useVersionPrefix(app);
  app.useGlobalPipes(new ValidationPipe(VALIDATION_OPTIONS));
  app.enableShutdownHooks();

  const document = openApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });
  await serveConsole(app, config.CONSOLE_DIR || BUILT_CONSOLE_DIR, logger);

  await app.listen(config.GATEWAY_PORT, '0.0.0.0');
  logger.info({ port: config.GATEWAY_PORT }, `gateway listening on http://localhost:${config.GATEWAY_PORT}`);
}

/** Fastify's trustProxy from TRUST_PROXY: none, a hop count, or a list of addresses. */
function trustProxy(setting: string): boolean | number | string[] {
  if (!setting.trim()) return false;
  if (/^\d+$/.test(setting.trim())) return Number(setting);
  return setting
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
}

/**
 * Rate-limit buckets: one per API key, per signed-in user, or else per client address. A key the
 * gateway has not found valid counts against the address, so made-up keys get no buckets of
 * their own (and, over the limit, no database look-up either).
 */
function rateLimitKey(req: FastifyRequest, jwt: JwtService, apiKeys: ApiKeysService): string {
  const apiKey = req.headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey) return apiKeys.bucketOf(apiKey) ?? `ip:${req.ip}`;
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (bearer) {
    try {
      return `user:${jwt.verify<{ sub: string }>(bearer).sub}`;
    } catch {
      // An invalid token is refused later; until then it counts against the address.
    }
  }
  return `ip:${req.ip}`;
}

void bootstrap();
