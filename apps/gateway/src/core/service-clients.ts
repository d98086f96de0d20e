import { ServiceName, SERVICE_NAMES } from '@o2o/contracts';
import { ServiceClient, ServiceLiveness, TransportClient } from '@o2o/platform';
import { GatewayRequest, rpcMeta } from './request-meta';

/** One client per back-end service, all sharing the configured transport. */
export class ServiceClients {
  private readonly clients: Map<ServiceName, ServiceClient>;

  constructor(
    readonly transport: TransportClient,
    readonly liveness: ServiceLiveness,
    timeoutMs: number,
  ) {
    this.clients = new Map(SERVICE_NAMES.map((s) => [s, new ServiceClient(s, transport, liveness, timeoutMs)]));
  }

  get(service: ServiceName): ServiceClient {
    return this.clients.get(service)!;
  }

  /** One call on behalf of an HTTP request: its correlation id and actor travel along. */
  call<T>(service: ServiceName, pattern: string, data: unknown, req: GatewayRequest): Promise<T> {
    return this.get(service).send<T>(pattern, data, rpcMeta(req));
  }
}
