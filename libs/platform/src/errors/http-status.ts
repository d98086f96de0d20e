import { ErrorCode } from '@o2o/contracts';

export function httpStatusFor(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.BadInput:
      return 400;
    case ErrorCode.Unauthenticated:
      return 401;
    case ErrorCode.Forbidden:
      return 403;
    case ErrorCode.NotFound:
      return 404;
    case ErrorCode.Conflict:
    case ErrorCode.IdempotencyKeyInFlight:
      return 409;
    case ErrorCode.RuleBroken:
    case ErrorCode.IdempotencyKeyReused:
      return 422;
    case ErrorCode.RateLimited:
      return 429;
    case ErrorCode.Internal:
      return 500;
    case ErrorCode.ServiceUnavailable:
      return 503;
    case ErrorCode.ServiceTimeout:
      return 504;
    default:
      return assertNever(code);
  }
}

export function titleFor(code: ErrorCode): string {
  switch (code) {
    case ErrorCode.BadInput:
      return 'Bad input';
    case ErrorCode.Unauthenticated:
      return 'Not authenticated';
    case ErrorCode.Forbidden:
      return 'Forbidden';
    case ErrorCode.NotFound:
      return 'Not found';
    case ErrorCode.Conflict:
      return 'State conflict';
    case ErrorCode.IdempotencyKeyInFlight:
      return 'Request with this Idempotency-Key is still in flight';
    case ErrorCode.IdempotencyKeyReused:
      return 'Idempotency-Key reused with another request';
    case ErrorCode.RuleBroken:
      return 'Business rule broken';
    case ErrorCode.RateLimited:
      return 'Too many requests';
    case ErrorCode.Internal:
      return 'Internal error';
    case ErrorCode.ServiceUnavailable:
      return 'Service unavailable';
    case ErrorCode.ServiceTimeout:
      return 'Service timed out';
    default:
      return assertNever(code);
  }
}

export function assertNever(value: never): never {
  throw new Error(`Unhandled case: ${String(value)}`);
}
