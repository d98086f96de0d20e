/**
 * Codes that every domain error carries across the transport. The gateway maps each to one HTTP
 * status (see httpStatusFor in @o2o/platform); adding a code forces that switch to be extended.
 */
export enum ErrorCode {
  BadInput = 'bad_input',
  Unauthenticated = 'unauthenticated',
  Forbidden = 'forbidden',
  NotFound = 'not_found',
  Conflict = 'conflict',
  IdempotencyKeyInFlight = 'idempotency_key_in_flight',
  IdempotencyKeyReused = 'idempotency_key_reused',
  RuleBroken = 'rule_broken',
  RateLimited = 'rate_limited',
  ServiceUnavailable = 'service_unavailable',
  ServiceTimeout = 'service_timeout',
  Internal = 'internal',
}

export interface FieldError {
  field: string;
  message: string;
}

/** What a service sends back in place of a result when a request fails. */
export interface RpcErrorPayload {
  code: ErrorCode;
  message: string;
  errors?: FieldError[];
  /** A machine-readable reason for a broken rule, e.g. 'card_expired'. */
  reason?: string;
  /** For a passing outage (a dependency unreachable): when a retry may succeed, in seconds. */
  retryAfterSeconds?: number;
}
