import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { ErrorCode, RpcErrorPayload } from '@o2o/contracts';
import { Observable, throwError } from 'rxjs';
import { DependencyMonitor, dependencyMonitor } from '../health/dependency-monitor';
import { ClassifyOptions, dependencyFailure, dependencyPorts, dependencyUnavailable } from './dependency-failure';
import { DomainError } from './domain-error';

export interface RpcExceptionFilterOptions {
  /** Names the service in a 503's message; read from the request's stream or pattern otherwise. */
  service?: string;
  monitor?: DependencyMonitor;
  /** Where the database and Redis listen; from DATABASE_URL and REDIS_URL otherwise. */
  ports?: ClassifyOptions;
}

/**
 * The services' side of error mapping: everything leaves as an RpcErrorPayload. A database or
 * Redis that cannot be reached is a 503 with a retry hint, logged once per outage by the monitor
 * rather than once per request.
 */
@Catch()
export class RpcDomainExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('RpcErrors');
  private readonly monitor: DependencyMonitor;
  private readonly ports: ClassifyOptions;

  constructor(private readonly options: RpcExceptionFilterOptions = {}) {
    this.monitor = options.monitor ?? dependencyMonitor;
    this.ports = options.ports ?? dependencyPorts({ databaseUrl: process.env.DATABASE_URL, redisUrl: process.env.REDIS_URL });
  }

  catch(exception: unknown, host: ArgumentsHost): Observable<never> {
    return throwError(() => this.toPayload(exception, host));
  }

  toPayload(exception: unknown, host?: ArgumentsHost): RpcErrorPayload {
    if (exception instanceof DomainError) return exception.toPayload();
    if (isUniqueViolation(exception)) return { code: ErrorCode.Conflict, message: 'Duplicate: it already exists' };
    const dependency = dependencyFailure(exception, this.ports);
    if (dependency) {
      this.monitor.down(dependency, exception);
      const service = this.options.service ?? (host && serviceOf(host));
      return dependencyUnavailable(dependency, service ? `${service} service` : 'service').toPayload();
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return { code: ErrorCode.Internal, message: 'Internal error' };
  }
}

/** Postgres unique_violation: the constraint that backs an "at most one" rule was hit. */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; driverError?: { code?: string } };
  return err?.code === '23505' || err?.driverError?.code === '23505';
}

/**
 * The service a request was addressed to: its Streams request stream ("<ns>:rpc:<service>"), or
 * the first part of its pattern on the stock transport ("<service>.brands.list").
 */
function serviceOf(host: ArgumentsHost): string | undefined {
  if (host.getType() !== 'rpc') return undefined;
  const ctx = host.switchToRpc().getContext<{ getStream?: () => unknown; getChannel?: () => unknown } | undefined>();
  const stream = typeof ctx?.getStream === 'function' ? ctx.getStream() : undefined;
  if (typeof stream === 'string') return /:rpc:([^:]+)$/.exec(stream)?.[1];
  const channel = typeof ctx?.getChannel === 'function' ? ctx.getChannel() : undefined;
  if (typeof channel === 'string') return /^([a-z][\w-]*)\./i.exec(channel)?.[1];
  return undefined;
}
