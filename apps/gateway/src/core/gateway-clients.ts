import { ServiceName } from '@o2o/contracts';
import { ServiceClient, ServiceClients } from '@o2o/platform';
import { GatewayRequest, rpcMeta } from './request-meta';

/** The kit's service clients, called on behalf of HTTP requests. */
export class GatewayClients {
  constructor(readonly services: ServiceClients) {}

  get(service: ServiceName): ServiceClient {
    return this.services.get(service);
  }

  /**
   * One call for an HTTP request: its correlation id, actor and request id travel along. A
   * requestId given names the change from the gateway's own durable id instead (a reserved login).
   */
  call<T>(service: ServiceName, pattern: string, data: unknown, req: GatewayRequest, options: { requestId?: string } = {}): Promise<T> {
    const meta = rpcMeta(req, pattern);
    return this.services.send<T>(service, pattern, data, options.requestId ? { ...meta, requestId: options.requestId } : meta);
  }
}
