import { ErrorCode, RpcMeta, ServiceName } from '@o2o/contracts';
import { lastValueFrom, timeout, TimeoutError } from 'rxjs';
import { DomainError, isRpcErrorPayload } from '../errors/domain-error';
import { ServiceLiveness } from '../health/liveness';
import type { TransportClient } from './transport';

/**
 * Request–response calls to one service. Every call has a deadline, the earlier of this client's
 * timeout and the caller's own deadline, and carries it so the callee never works past it. A
 * service known to be down answers 503 at once; one that does not reply in time answers 504 (or
 * 503 if it died meanwhile). Neither says whether the work happened: a retry with the same
 * request id finds out.
 */
export class ServiceClient {
  constructor(
    readonly service: ServiceName,
    private readonly proxy: TransportClient,
    private readonly liveness: ServiceLiveness,
    private readonly timeoutMs: number,
  ) {}

  async send<T>(pattern: string, data: unknown, meta: RpcMeta, options: { timeoutMs?: number } = {}): Promise<T> {
    const now = Date.now();
    const deadline = Math.min(now + (options.timeoutMs ?? this.timeoutMs), meta.deadline ?? Number.POSITIVE_INFINITY);
    const timeoutMs = deadline - now;
    if (timeoutMs <= 0) throw this.timedOut(0);
    if (!this.liveness.isUp(this.service)) throw this.unavailable();
    try {
      const request = { meta: { ...meta, deadline }, data };
      // Where the transport can carry it, the deadline lets the service drop a request we gave up on.
      const reply$ = this.proxy.sendBefore ? this.proxy.sendBefore<T>(pattern, request, deadline) : this.proxy.send<T>(pattern, request);
      return await lastValueFrom(reply$.pipe(timeout(timeoutMs)));
    } catch (e) {
      if (isRpcErrorPayload(e)) throw DomainError.fromPayload(e);
      if (e instanceof TimeoutError) {
        if (!this.liveness.isUp(this.service)) throw this.unavailable();
        throw this.timedOut(timeoutMs);
      }
      throw this.unavailable();
    }
  }

  private timedOut(ms: number): DomainError {
    return new DomainError(ErrorCode.ServiceTimeout, `The ${this.service} service did not answer within ${ms} ms`);
  }

  private unavailable(): DomainError {
    return new DomainError(ErrorCode.ServiceUnavailable, `The ${this.service} service is unavailable`);
  }
}
