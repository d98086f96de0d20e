import { INestMicroservice, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ServiceName } from '@o2o/contracts';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { MixedList } from 'typeorm';
import { ConfigError, loadConfig, ServiceConfig } from '../config/config';
import { migrate } from '../database/data-source';
import { RpcDomainExceptionFilter } from '../errors/rpc-exception.filter';
import { VALIDATION_OPTIONS } from '../errors/validation';
import { Heartbeat } from '../health/liveness';
import { createLogger, PinoNestLogger } from '../logging/logger';
import { InFlight, RpcContextInterceptor } from '../rpc/rpc-context.interceptor';
import { serviceTransport, transportDrainsOnClose } from '../transport/transport';
import { REDIS } from './tokens';

const DRAIN_MS = 10_000;

/** What every message passes through in a service, in production and in tests alike. */
export function applyServicePipeline(app: INestMicroservice, name: ServiceName, inFlight = new InFlight()): void {
  app.useGlobalPipes(new ValidationPipe(VALIDATION_OPTIONS));
  app.useGlobalFilters(new RpcDomainExceptionFilter({ service: name }));
  app.useGlobalInterceptors(new RpcContextInterceptor(inFlight));
}

/**
 * Boots one service: validated config, optional migrations, the transport, and a graceful stop
 * (withdraw from liveness, let in-flight requests finish, then close connections).
 */
export async function runService(name: ServiceName, module: unknown, migrations: MixedList<Function>): Promise<INestMicroservice> {
  let config: ServiceConfig;
  try {
    config = loadConfig(ServiceConfig);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${name}: ${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  const logger = createLogger(name, config.LOG_LEVEL);
  if (config.MIGRATE_ON_START === 'true') {
    const ran = await migrate({ url: config.DATABASE_URL, schema: name, migrations });
    if (ran.length) logger.info({ migrations: ran }, 'migrations applied');
  }

  const inFlight = new InFlight();
  const app = await NestFactory.createMicroservice(module as never, { ...serviceTransport(config), logger: new PinoNestLogger(logger) });
  applyServicePipeline(app, name, inFlight);
  await app.listen();

  const heartbeat = new Heartbeat(
    app.get<Redis>(REDIS),
    config.O2O_NAMESPACE,
    name,
    config.INSTANCE_ID ?? `${name}-${process.pid}-${randomUUID().slice(0, 8)}`,
  );
  await heartbeat.start();
  logger.info({ pid: process.pid }, `${name} service ready`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, `${name} stopping`);
    await heartbeat.stop();
    // Waiting before close() would keep a Streams replica reading new requests meanwhile; its
    // close() stops reading first and then drains. The stock transport has no drain of its own.
    if (!transportDrainsOnClose(config)) {
      const drained = await inFlight.drained(DRAIN_MS);
      if (!drained) logger.warn({ inFlight: inFlight.size }, 'stopping with requests still in flight');
    }
    await app.close();
    logger.info(`${name} stopped`);
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  return app;
}

/** The migrate command of one service. */
export async function runMigrations(name: ServiceName, migrations: MixedList<Function>): Promise<void> {
  const config = loadConfig(ServiceConfig);
  const ran = await migrate({ url: config.DATABASE_URL, schema: name, migrations });
  process.stdout.write(`${name}: ${ran.length ? `applied ${ran.join(', ')}` : 'up to date'}\n`);
}
