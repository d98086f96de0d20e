import { ServiceName, SERVICE_NAMES } from '@o2o/contracts';
import { ServiceClient, ServiceLiveness, TransportClient } from '@o2o/platform';

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
}
