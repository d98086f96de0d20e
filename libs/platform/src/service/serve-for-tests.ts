import { INestMicroservice } from '@nestjs/common';
import { Actor, ANONYMOUS, ServiceName } from '@o2o/contracts';
import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { ServiceConfig } from '../config/config';
import { Heartbeat, ServiceLiveness } from '../health/liveness';
import { ServiceClients } from '../transport/service-clients';
import { createTransportClient, serviceTransport } from '../transport/transport';
import { applyServicePipeline } from './run-service';
import { CONFIG, REDIS } from './tokens';

/** What can build a microservice from an already compiled module graph (a TestingModule). */
export interface MicroserviceFactory {
  get<T>(token: unknown): T;
  createNestMicroservice(options: object): INestMicroservice;
}

export interface ServedService {
  /** A message to the service over the real transport, through its whole pipeline (validation, request ledger, error mapping). */
  call<T>(pattern: string, data: unknown, options?: { actor?: Actor; requestId?: string }): Promise<T>;
  close(): Promise<void>;
}

/**
 * Serves a service's compiled module over the configured transport exactly as runService does,
 * and gives the test a client: messages then go through validation, the request ledger and the
 * error mapping, not straight into a method.
 */
export async function serveForTests(module: MicroserviceFactory, name: ServiceName): Promise<ServedService> {
  const config = module.get<ServiceConfig>(CONFIG);
  const app = module.createNestMicroservice({ ...serviceTransport(config), logger: false });
  applyServicePipeline(app, name);
  await app.listen();
  const redis = app.get<Redis>(REDIS);
  const heartbeat = new Heartbeat(redis, config.O2O_NAMESPACE, name, `${name}-test-${randomUUID().slice(0, 8)}`);
  await heartbeat.start();
  const liveness = new ServiceLiveness(redis, config.O2O_NAMESPACE, 200);
  await liveness.start();
  const clients = new ServiceClients(createTransportClient(config), liveness, config.REQUEST_TIMEOUT_MS, [name]);
  return {
    call: <T>(pattern: string, data: unknown, options: { actor?: Actor; requestId?: string } = {}) =>
      clients.send<T>(name, pattern, data, { correlationId: randomUUID(), actor: options.actor ?? ANONYMOUS, requestId: options.requestId }),
    async close() {
      await heartbeat.stop();
      liveness.stop();
      await clients.transport.close();
      await app.close();
    },
  };
}
