import { ErrorCode, RpcMeta, ServiceName } from '@o2o/contracts';
import { lastValueFrom, timeout, TimeoutError } from 'rxjs';
import { DomainError, isRpcErrorPayload } from '../errors/domain-error';
import { ServiceLiveness } from '../health/liveness';
import type { TransportClient } from './transport';

/**
 * Request–response calls to one service. Every call has a deadline: a service known to be down
 * answers 503 at once, and one that does not reply in time answers 504 (or 503 if it died meanwhile).
 */
export class ServiceClient {
  constructor(
    readonly service: ServiceName,
    private readonly proxy: TransportClient,
    private readonly liveness: ServiceLiveness,
    private readonly timeoutMs: number,
  ) {}

  async send<T>(pattern: string, data: unknown, meta: RpcMeta, options: { timeoutMs?: number } = {}): Promise<T> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    if (!this.liveness.isUp(this.service)) throw this.unavailable();
    try {
      const request = { meta, data };
      // Where the transport can carry it, the deadline lets the service drop a request we gave up on.
      const reply$ = this.proxy.sendBefore ? this.proxy.sendBefore<T>(pattern, request, Date.now() + timeoutMs) : this.proxy.send<T>(pattern, request);
      return await lastValueFrom(reply$.pipe(timeout(timeoutMs)));
    } catch (e) {
      if (isRpcErrorPayload(e)) throw DomainError.fromPayload(e);
      if (e instanceof TimeoutError) {
        if (!this.liveness.isUp(this.service)) throw this.unavailable();
        throw new DomainError(ErrorCode.ServiceTimeout, `The ${this.service} service did not answer within ${timeoutMs} ms`);
      }
      throw this.unavailable();
    }
  }

  private unavailable(): DomainError {
    return new DomainError(ErrorCode.ServiceUnavailable, `The ${this.service} service is unavailable`);
  }
}
