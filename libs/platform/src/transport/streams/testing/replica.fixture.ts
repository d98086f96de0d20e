/**
 * One replica of a tiny service, run as its own process by the transport tests and the benchmark
 * (from the compiled output). One handler, `<FIXTURE_SERVICE>.work`, the same for every transport.
 *
 * Env: the ServiceConfig variables (O2O_TRANSPORT, O2O_NAMESPACE, REDIS_URL, O2O_STREAMS_*),
 * FIXTURE_SERVICE (pattern prefix, default `fixture`), FIXTURE_REPLICA (name),
 * FIXTURE_RECORD_RUNS=true (count runs in Redis), FIXTURE_HEARTBEAT=true (liveness heartbeat),
 * FIXTURE_TRANSPORT=tcp with FIXTURE_TCP_PORT (Nest's TCP transport, the benchmark's baseline).
 */
import 'reflect-metadata';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BaseRpcContext, Ctx, CustomStrategy, MessagePattern, Payload, TcpOptions, Transport } from '@nestjs/microservices';
import type { RpcRequest } from '@o2o/contracts';
import Redis from 'ioredis';
import { loadConfig, ServiceConfig } from '../../../config/config';
import { RpcDomainExceptionFilter } from '../../../errors/rpc-exception.filter';
import { Heartbeat } from '../../../health/liveness';
import { redisOptionsFromUrl } from '../../redis-url';
import { serviceTransport } from '../../transport';
import { StreamsContext } from '../streams-context';
import { FixtureMessage, fixtureRunsByReplicaKey, fixtureRunsKey, WorkData, WorkReply } from './fixture-keys';

const config = loadConfig(ServiceConfig);
const service = process.env.FIXTURE_SERVICE ?? 'fixture';
const replica = process.env.FIXTURE_REPLICA ?? `replica-${process.pid}`;
const recorder = process.env.FIXTURE_RECORD_RUNS === 'true' || process.env.FIXTURE_HEARTBEAT === 'true' ? new Redis(redisOptionsFromUrl(config.REDIS_URL)) : undefined;
let executions = 0;

const tell = (message: FixtureMessage) => process.send?.(message);

@Controller()
class WorkController {
  @MessagePattern(`${service}.work`)
  async work(@Payload() request: RpcRequest<WorkData>, @Ctx() context: BaseRpcContext): Promise<WorkReply> {
    const { key, workMs } = request.data;
    if (workMs) await new Promise((resolve) => setTimeout(resolve, workMs));
    executions++;
    // Counted when the work is done, just before the reply, as a handler's side effect would be.
    if (process.env.FIXTURE_RECORD_RUNS === 'true') {
      await recorder?.multi().rpush(fixtureRunsKey(config.O2O_NAMESPACE, key), replica).hincrby(fixtureRunsByReplicaKey(config.O2O_NAMESPACE), replica, 1).exec();
    }
    return { replica, key, reclaimed: context instanceof StreamsContext && context.isReclaimed() };
  }
}

@Module({ controllers: [WorkController] })
class FixtureModule {}

function transport(): CustomStrategy | TcpOptions {
  if (process.env.FIXTURE_TRANSPORT !== 'tcp') return serviceTransport(config);
  return { transport: Transport.TCP, options: { host: '127.0.0.1', port: Number(process.env.FIXTURE_TCP_PORT) } };
}

async function main(): Promise<void> {
  const app = await NestFactory.createMicroservice(FixtureModule, { ...transport(), logger: ['error', 'warn'] });
  app.useGlobalFilters(new RpcDomainExceptionFilter());
  await app.listen();
  const heartbeat = recorder && process.env.FIXTURE_HEARTBEAT === 'true' ? new Heartbeat(recorder, config.O2O_NAMESPACE, service, replica) : undefined;
  await heartbeat?.start();

  process.on('message', (message: { type?: string }) => {
    if (message?.type === 'executions') tell({ type: 'executions', executions });
  });
  // Orphaned (the test runner died): leave at once.
  process.on('disconnect', () => process.exit(0));
  process.once('SIGTERM', () => {
    void (async () => {
      await heartbeat?.stop();
      await app.close();
      recorder?.disconnect();
      process.exit(0);
    })();
  });
  tell({ type: 'ready', replica });
}

main().catch((e: unknown) => {
  process.stderr.write(`replica fixture failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
