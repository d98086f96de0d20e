import { ErrorCode, FieldError, RpcErrorPayload } from '@o2o/contracts';

/** A failure the caller should hear about, with a code that decides its HTTP status. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors?: FieldError[],
    readonly reason?: string,
    /** For a passing outage: when a retry may succeed (the Retry-After of a 503). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  toPayload(): RpcErrorPayload {
    const payload: RpcErrorPayload = { code: this.code, message: this.message, errors: this.errors, reason: this.reason };
    if (this.retryAfterSeconds !== undefined) payload.retryAfterSeconds = this.retryAfterSeconds;
    return payload;
  }

  static fromPayload(p: RpcErrorPayload): DomainError {
    const retryAfter = typeof p.retryAfterSeconds === 'number' && p.retryAfterSeconds > 0 ? p.retryAfterSeconds : undefined;
    return new DomainError(p.code, p.message, p.errors, p.reason, retryAfter);
  }
}

export const badInput = (message: string, errors?: FieldError[]) => new DomainError(ErrorCode.BadInput, message, errors);
export const notFound = (what: string) => new DomainError(ErrorCode.NotFound, `${what} not found`);
export const conflict = (message: string) => new DomainError(ErrorCode.Conflict, message);
export const ruleBroken = (message: string, reason?: string) => new DomainError(ErrorCode.RuleBroken, message, undefined, reason);
export const forbidden = (message = 'Not allowed') => new DomainError(ErrorCode.Forbidden, message);

export function isRpcErrorPayload(value: unknown): value is RpcErrorPayload {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as RpcErrorPayload).code === 'string' &&
    Object.values(ErrorCode).includes((value as RpcErrorPayload).code)
  );
}
