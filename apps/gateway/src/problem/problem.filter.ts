import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ErrorCode, FieldError } from '@o2o/contracts';
import { DomainError, httpStatusFor, titleFor } from '@o2o/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code?: string;
  reason?: string;
  errors?: FieldError[];
}

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
  const detail = Array.isArray(message) ? message.join('; ') : message ?? e.message;
  return { type: `https://o2o.home/problems/http-${status}`, title: STATUS_CODES[status] ?? 'Error', status, detail, instance };
}

/** Fastify's own errors carry statusCode (400 bad JSON, 413 too large, 415 media type). */
function problemFromFastifyError(e: { statusCode: number; message: string; code?: string }, instance: string): ProblemDetails {
  return { type: `https://o2o.home/problems/http-${e.statusCode}`, title: STATUS_CODES[e.statusCode] ?? 'Error', status: e.statusCode, detail: e.message, instance };
}

/** The gateway's side of error mapping: every failure is application/problem+json (RFC 9457). */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problems');

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const problem = this.toProblem(exception, req.url);
    if (problem.status >= 500) this.logger.warn(`${req.method} ${req.url} -> ${problem.status} ${problem.detail}`);
    void reply.status(problem.status).header('content-type', 'application/problem+json; charset=utf-8').send(problem);
  }

  toProblem(exception: unknown, instance: string): ProblemDetails {
    if (exception instanceof ReplayedProblem) return exception.problem;
    if (exception instanceof DomainError) return problemFromDomainError(exception, instance);
    if (exception instanceof HttpException) return problemFromHttpException(exception, instance);
    const fastifyError = exception as { statusCode?: number; message?: string; code?: string };
    if (typeof fastifyError?.statusCode === 'number' && fastifyError.statusCode < 500) {
      return problemFromFastifyError(fastifyError as { statusCode: number; message: string; code?: string }, instance);
    }
    this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    return problemFromDomainError(new DomainError(ErrorCode.Internal, 'Internal error'), instance);
  }
}
