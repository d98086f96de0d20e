import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { ErrorCode, RpcErrorPayload } from '@o2o/contracts';
import { Observable, throwError } from 'rxjs';
import { DomainError } from './domain-error';

/** The services' side of error mapping: everything leaves as an RpcErrorPayload. */
@Catch()
export class RpcDomainExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('RpcErrors');

  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => this.toPayload(exception));
  }

  private toPayload(exception: unknown): RpcErrorPayload {
    if (exception instanceof DomainError) return exception.toPayload();
    if (isUniqueViolation(exception)) return { code: ErrorCode.Conflict, message: 'Duplicate: it already exists' };
    this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    return { code: ErrorCode.Internal, message: 'Internal error' };
  }
}

/** Postgres unique_violation: the constraint that backs an "at most one" rule was hit. */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; driverError?: { code?: string } };
  return err?.code === '23505' || err?.driverError?.code === '23505';
}
