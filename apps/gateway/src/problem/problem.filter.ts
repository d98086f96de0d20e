import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { ErrorCode } from '@o2o/contracts';
import {
  ClassifyOptions,
  CONFIG,
  DependencyMonitor,
  dependencyFailure,
  dependencyMonitor,
  dependencyPorts,
  dependencyUnavailable,
  DomainError,
  httpStatusFor,
  titleFor,
} from '@o2o/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { ProblemView } from './problem.view';

export type ProblemDetails = ProblemView;

/** A stored problem answered again verbatim (an idempotent replay of a failed request). */
export class ReplayedProblem extends Error {
  constructor(readonly problem: ProblemDetails) {
    super(problem.detail);
  }
}

export function problemFromDomainError(e: DomainError, instance?: string): ProblemDetails {
  return {
    type: `https://o2o.home/problems/${e.code}`,
    title: titleFor(e.code),
    status: httpStatusFor(e.code),
    detail: e.message,
    instance,
    code: e.code,
    reason: e.reason,
    errors: e.errors,
  };
}

/** Framework errors (unknown route, malformed JSON, oversize body) in the same shape. */
function problemFromHttpException(e: HttpException, instance: string): ProblemDetails {
  const status = e.getStatus();
  const response = e.getResponse();
  const message = typeof response === 'string' ? response : (response as { message?: string | string[] }).message;
  const detail = Array.isArray(message) ? message.join('; ') : (message ?? e.message);
  return { type: `https://o2o.home/problems/http-${status}`, title: STATUS_CODES[status] ?? 'Error', status, detail, instance };
}

/** Fastify's own errors carry statusCode (400 bad JSON, 413 too large, 415 media type). */
function problemFromFastifyError(e: { statusCode: number; message: string; code?: string }, instance: string): ProblemDetails {
  return {
    type: `https://o2o.home/problems/http-${e.statusCode}`,
    title: STATUS_CODES[e.statusCode] ?? 'Error',
    status: e.statusCode,
    detail: e.message,
    instance,
  };
}

/** A 503 without a hint of its own: a service down entirely takes a few seconds to return. */
export const SERVICE_DOWN_RETRY_AFTER_SECONDS = 5;

interface Resolved {
  problem: ProblemDetails;
  /** For a 503, and for a 429 that knows when it ends. */
  retryAfterSeconds?: number;
  /** A dependency outage: its monitor logs it once, so each request need not. */
  outage?: boolean;
}

/**
 * The gateway's side of error mapping: every failure is application/problem+json (RFC 9457).
 * Its own database or Redis unreachable is a 503 too, and every 503 carries Retry-After.
 * A 429 carries it when its limit knows when it lifts.
 */
@Catch()
@Injectable()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problems');
  private readonly ports: ClassifyOptions;

  constructor(
    @Optional() @Inject(CONFIG) config?: { DATABASE_URL?: string; REDIS_URL?: string },
    @Optional() @Inject(DependencyMonitor) private readonly monitor: DependencyMonitor = dependencyMonitor,
  ) {
    this.ports = dependencyPorts({ databaseUrl: config?.DATABASE_URL ?? process.env.DATABASE_URL, redisUrl: config?.REDIS_URL ?? process.env.REDIS_URL });
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { problem, retryAfterSeconds, outage } = this.resolve(exception, req.url);
    if (problem.status >= 500) {
      const line = `${req.method} ${req.url} -> ${problem.status} ${problem.detail}`;
      if (outage) this.logger.debug(line);
      else this.logger.warn(line);
    }
    void reply.status(problem.status).header('content-type', 'application/problem+json; charset=utf-8');
    if (problem.status === 503) void reply.header('retry-after', String(retryAfterSeconds ?? SERVICE_DOWN_RETRY_AFTER_SECONDS));
    else if (problem.status === 429 && retryAfterSeconds !== undefined) void reply.header('retry-after', String(retryAfterSeconds));
    void reply.send(problem);
  }

  toProblem(exception: unknown, instance: string): ProblemDetails {
    return this.resolve(exception, instance).problem;
  }

  private resolve(exception: unknown, instance: string): Resolved {
    if (exception instanceof ReplayedProblem) return { problem: exception.problem };
    if (exception instanceof DomainError) {
      return {
        problem: problemFromDomainError(exception, instance),
        retryAfterSeconds: exception.retryAfterSeconds,
        outage: exception.retryAfterSeconds !== undefined,
      };
    }
    if (exception instanceof HttpException) return { problem: problemFromHttpException(exception, instance) };
    const fastifyError = exception as { statusCode?: number; message?: string; code?: string };
    if (typeof fastifyError?.statusCode === 'number' && fastifyError.statusCode < 500) {
      return { problem: problemFromFastifyError(fastifyError as { statusCode: number; message: string; code?: string }, instance) };
    }
    const dependency = dependencyFailure(exception, this.ports);
    if (dependency) {
      this.monitor.down(dependency, exception);
      const unavailable = dependencyUnavailable(dependency, 'gateway');
      return { problem: problemFromDomainError(unavailable, instance), retryAfterSeconds: unavailable.retryAfterSeconds, outage: true };
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return { problem: problemFromDomainError(new DomainError(ErrorCode.Internal, 'Internal error'), instance) };
  }
}
