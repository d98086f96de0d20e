import { ServiceName } from '@o2o/contracts';
import { ServiceClient, ServiceClients } from '@o2o/platform';
import { GatewayRequest, rpcMeta } from './request-meta';

/** The kit's service clients, called on behalf of HTTP requests. */
export class GatewayClients {
  constructor(readonly services: ServiceClients) {}

  get(service: ServiceName): ServiceClient {
    return this.services.get(service);
  }

  /** One call for an HTTP request: its correlation id, actor and request id travel along. */
  call<T>(service: ServiceName, pattern: string, data: unknown, req: GatewayRequest): Promise<T> {
    return this.services.send<T>(service, pattern, data, rpcMeta(req, pattern));
  }
}
