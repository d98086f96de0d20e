/**
 * One replica of a tiny service, run as its own process by the transport tests and the benchmark
 * (from the compiled output). One handler, `<FIXTURE_SERVICE>.work`, the same for every transport.
 *
 * Env: the ServiceConfig variables (O2O_TRANSPORT, O2O_NAMESPACE, REDIS_URL, O2O_STREAMS_*),
 * FIXTURE_SERVICE (pattern prefix, default `fixture`), FIXTURE_REPLICA (name),
 * FIXTURE_RECORD_RUNS=true (count runs in Redis), FIXTURE_HEARTBEAT=true (liveness heartbeat),
 * FIXTURE_TRANSPORT=tcp with FIXTURE_TCP_PORT (Nest's TCP transport, the benchmark's baseline),
 * FIXTURE_DATABASE_URL and FIXTURE_SCHEMA: also serve `<FIXTURE_SERVICE>.record`, a command that
 * writes one row to `effects` through the request ledger (exactly-once tests).
 */
import 'reflect-metadata';
import { Controller, DynamicModule, Inject, Module } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import { BaseRpcContext, Ctx, CustomStrategy, MessagePattern, Payload, TcpOptions, Transport } from '@nestjs/microservices';
import type { RpcRequest } from '@o2o/contracts';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { loadConfig, ServiceConfig } from '../../../config/config';
import { createDataSource } from '../../../database/data-source';
import { Command } from '../../../exactly-once/command.decorator';
import { transactionAwareDataSource } from '../../../exactly-once/command-transaction';
import { ExactlyOnceInterceptor } from '../../../exactly-once/exactly-once.interceptor';
import { RequestLedger } from '../../../exactly-once/request-ledger';
import { RpcDomainExceptionFilter } from '../../../errors/rpc-exception.filter';
import { Heartbeat } from '../../../health/liveness';
import { redisOptionsFromUrl } from '../../redis-url';
import { serviceTransport } from '../../transport';
import { StreamsContext } from '../streams-context';
import { FixtureMessage, fixtureRunsByReplicaKey, fixtureRunsKey, RecordData, RecordReply, WorkData, WorkReply } from './fixture-keys';

const config = loadConfig(ServiceConfig);
const service = process.env.FIXTURE_SERVICE ?? 'fixture';
const replica = process.env.FIXTURE_REPLICA ?? `replica-${process.pid}`;
const recorder =
  process.env.FIXTURE_RECORD_RUNS === 'true' || process.env.FIXTURE_HEARTBEAT === 'true' ? new Redis(redisOptionsFromUrl(config.REDIS_URL)) : undefined;
let executions = 0;

const tell = (message: FixtureMessage) => process.send?.(message);

@Controller()
class WorkController {
  @MessagePattern(`${service}.work`)
  async work(@Payload() request: RpcRequest<WorkData>, @Ctx() context: BaseRpcContext): Promise<WorkReply> {
    const { key, workMs, blockMs } = request.data;
    if (workMs) await new Promise((resolve) => setTimeout(resolve, workMs));
    if (blockMs) for (const until = Date.now() + blockMs; Date.now() < until;);
    executions++;
    // Counted when the work is done, just before the reply, as a handler's side effect would be.
    if (process.env.FIXTURE_RECORD_RUNS === 'true') {
      await recorder
        ?.multi()
        .rpush(fixtureRunsKey(config.O2O_NAMESPACE, key), replica)
        .hincrby(fixtureRunsByReplicaKey(config.O2O_NAMESPACE), replica, 1)
        .exec();
    }
    return { replica, key, reclaimed: context instanceof StreamsContext && context.isReclaimed() };
  }

  /** Answers the metadata the request arrived with, as the service kit would see it. */
  @MessagePattern(`${service}.echo`)
  echo(@Payload() request: RpcRequest<unknown>): RpcRequest<unknown>['meta'] {
    return request.meta;
  }
}

@Controller()
class RecordController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  @Command(`${service}.record`)
  async record(@Payload() request: RpcRequest<RecordData>): Promise<RecordReply> {
    const { key, workMs } = request.data;
    const [row]: { id: string }[] = await this.dataSource.query('INSERT INTO effects (request_key, replica) VALUES ($1, $2) RETURNING id', [key, replica]);
    if (workMs) await new Promise((resolve) => setTimeout(resolve, workMs));
    executions++;
    return { effectId: row.id, replica, key };
  }
}

@Module({})
class FixtureModule {
  static with(dataSource: DataSource | undefined): DynamicModule {
    if (!dataSource) return { module: FixtureModule, controllers: [WorkController] };
    return { module: FixtureModule, controllers: [WorkController, RecordController], providers: [{ provide: DataSource, useValue: dataSource }] };
  }
}

function transport(): CustomStrategy | TcpOptions {
  if (process.env.FIXTURE_TRANSPORT !== 'tcp') return serviceTransport(config);
  return { transport: Transport.TCP, options: { host: '127.0.0.1', port: Number(process.env.FIXTURE_TCP_PORT) } };
}

async function main(): Promise<void> {
  const databaseUrl = process.env.FIXTURE_DATABASE_URL;
  const dataSource = databaseUrl
    ? transactionAwareDataSource(await createDataSource({ url: databaseUrl, schema: process.env.FIXTURE_SCHEMA ?? 'fixture', migrations: [] }).initialize())
    : undefined;
  const app = await NestFactory.createMicroservice(FixtureModule.with(dataSource), { ...transport(), logger: ['error', 'warn'] });
  app.useGlobalFilters(new RpcDomainExceptionFilter());
  if (dataSource) app.useGlobalInterceptors(new ExactlyOnceInterceptor(new Reflector(), new RequestLedger(dataSource)));
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
      await dataSource?.destroy();
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
