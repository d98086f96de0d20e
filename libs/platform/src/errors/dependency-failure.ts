import { ErrorCode } from '@o2o/contracts';
import type { Dependency } from '../health/dependency-monitor';
import { assertNever } from './http-status';
import { DomainError } from './domain-error';

/** Long enough for a probe (every second) to notice the return, short enough to feel live. */
export const DEPENDENCY_RETRY_AFTER_SECONDS = 2;

/** Socket-level failures: nothing answered, or the connection broke under the call. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * SQLSTATEs that mean "no database to talk to right now", as opposed to a bad statement:
 * class 08 (connection exception), admin/crash shutdown and "cannot connect now" (57P01-03),
 * too many connections (53300). 55000 counts only as "not currently accepting connections".
 */
function isUnavailableSqlState(code: string, message: string): boolean {
  if (/^08[0-9A-Z]{3}$/.test(code)) return true;
  if (code === '57P01' || code === '57P02' || code === '57P03' || code === '53300') return true;
  return code === '55000' && /not currently accepting connections/i.test(message);
}

/** pg's own messages for a connection that is gone or never came (they carry no code). */
const PG_MESSAGES = [/^Connection terminated/i, /timeout exceeded when trying to connect/i, /encountered a connection error and is not queryable/i];

/** ioredis's messages for a connection that is gone, or commands it gave up on. */
const REDIS_MESSAGES = [/^Connection is closed\.?$/, /^Stream isn't writeable/, /^Reached the max retries per request limit/, /^LOADING\b/];

/**
 * Tells a bare socket error from pg apart from ioredis's, and from an HTTP call's: an error
 * naming Redis's port is Redis's, one naming another port than Postgres's is neither's. One
 * without a port (a read that found the socket reset) is taken for Postgres's.
 */
export interface ClassifyOptions {
  postgresPort?: number;
  redisPort?: number;
}

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  port?: unknown;
  driverError?: unknown;
  errors?: unknown;
}

/**
 * The dependency whose unavailability caused `err`, or undefined for any other failure (a bad
 * query, a constraint, a bug). Looks through TypeORM's QueryFailedError (driverError) and
 * AggregateError (a connect tried on several addresses); not through `cause`, where an HTTP
 * client's socket errors hide.
 */
export function dependencyFailure(err: unknown, options: ClassifyOptions = {}, depth = 0): Dependency | undefined {
  if (depth > 4 || typeof err !== 'object' || err === null || err instanceof DomainError) return undefined;
  const e = err as ErrorLike;
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : '';
  const name = typeof e.name === 'string' ? e.name : '';

  if (name === 'MaxRetriesPerRequestError' || REDIS_MESSAGES.some((m) => m.test(message))) return 'redis';
  if (/^[0-9A-Z]{5}$/.test(code) && isUnavailableSqlState(code, message)) return 'postgres';
  if (PG_MESSAGES.some((m) => m.test(message))) return 'postgres';
  const attempts = Array.isArray(e.errors) ? e.errors : [];
  // An AggregateError's code is its attempts'; their ports tell whose they were.
  if (SOCKET_CODES.has(code) && attempts.length === 0) return socketOwner(e.port, options);

  for (const inner of [e.driverError, ...attempts]) {
    const found = dependencyFailure(inner, options, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function socketOwner(port: unknown, { postgresPort, redisPort }: ClassifyOptions): Dependency | undefined {
  if (typeof port !== 'number') return 'postgres';
  if (port === redisPort) return 'redis';
  return postgresPort === undefined || port === postgresPort ? 'postgres' : undefined;
}

/** How a dependency is named to callers. */
export function dependencyLabel(dependency: Dependency): string {
  switch (dependency) {
    case 'postgres':
      return 'database';
    case 'redis':
      return 'Redis';
    default:
      return assertNever(dependency);
  }
}

/**
 * The 503 for a request that failed because `owner` (e.g. "coupons service", "gateway") cannot
 * reach a dependency. Like any 503 its outcome is unknown; a retry with the same key finds out.
 */
export function dependencyUnavailable(dependency: Dependency, owner: string): DomainError {
  return new DomainError(
    ErrorCode.ServiceUnavailable,
    `The ${owner}'s ${dependencyLabel(dependency)} is unavailable`,
    undefined,
    undefined,
    DEPENDENCY_RETRY_AFTER_SECONDS,
  );
}

/** The ports of the process's database and Redis, from their URLs (for ClassifyOptions). */
export function dependencyPorts(urls: { databaseUrl?: string; redisUrl?: string }): ClassifyOptions {
  return { postgresPort: portOf(urls.databaseUrl, 5432), redisPort: portOf(urls.redisUrl, 6379) };
}

function portOf(url: string | undefined, standard: number): number | undefined {
  if (!url) return undefined;
  try {
    return Number(new URL(url).port || standard);
  } catch {
    return undefined;
  }
}
