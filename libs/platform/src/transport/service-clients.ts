import { ANONYMOUS, RpcMeta, ServiceName } from '@o2o/contracts';
import { randomUUID } from 'node:crypto';
import { ServiceLiveness } from '../health/liveness';
import { requestContext } from '../logging/context';
import { ServiceClient } from './service-client';
import type { TransportClient } from './transport';

export interface CallOptions {
  /**
   * Names the change this call asks for, derived from the caller's own durable id (for example
   * `deal:<id>:redeem`), so that a retry after a crash or a 504 cannot do it twice.
   */
  requestId?: string;
  timeoutMs?: number;
}

/** One client per service this process may call, all sharing one transport connection. */
export class ServiceClients {
  private readonly clients: Map<ServiceName, ServiceClient>;

  constructor(
    readonly transport: TransportClient,
    readonly liveness: ServiceLiveness,
    timeoutMs: number,
    readonly services: readonly ServiceName[],
  ) {
    this.clients = new Map(services.map((s) => [s, new ServiceClient(s, transport, liveness, timeoutMs)]));
  }

  get(service: ServiceName): ServiceClient {
    const client = this.clients.get(service);
    if (!client) throw new Error(`Calls to ${service} are not declared: add it to forService({ calls })`);
    return client;
  }

  /** A call with its metadata spelled out (the gateway builds it from the HTTP request). */
  send<T>(service: ServiceName, pattern: string, data: unknown, meta: RpcMeta, options: { timeoutMs?: number } = {}): Promise<T> {
    return this.get(service).send<T>(pattern, data, meta, options);
  }

  /**
   * A call from inside a request a service is handling: its correlation id, actor and remaining
   * deadline travel along.
   */
  call<T>(service: ServiceName, pattern: string, data: unknown, options: CallOptions = {}): Promise<T> {
    const context = requestContext.getStore();
    const meta: RpcMeta = {
      correlationId: context?.correlationId ?? randomUUID(),
      actor: context?.actor ?? ANONYMOUS,
      deadline: context?.deadline,
      requestId: options.requestId,
    };
    return this.send<T>(service, pattern, data, meta, { timeoutMs: options.timeoutMs });
  }

  async close(): Promise<void> {
    this.liveness.stop();
    await this.transport.close();
  }
}
