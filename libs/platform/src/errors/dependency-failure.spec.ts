import { ErrorCode } from '@o2o/contracts';
import { MaxRetriesPerRequestError } from 'ioredis/built/errors';
import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import { DependencyMonitor } from '../health/dependency-monitor';
import { dependencyFailure, dependencyPorts, dependencyUnavailable, DEPENDENCY_RETRY_AFTER_SECONDS } from './dependency-failure';
import { DomainError } from './domain-error';
import { RpcDomainExceptionFilter } from './rpc-exception.filter';

/** A server error as pg reports it: the message, and the SQLSTATE in `code`. */
function pgError(code: string, message: string): DatabaseError {
  const e = new DatabaseError(message, message.length, 'error');
  e.code = code;
  return e;
}

const systemError = (code: string, port: number) =>
  Object.assign(new Error(`connect ${code} 127.0.0.1:${port}`), { code, errno: -111, syscall: 'connect', address: '127.0.0.1', port });

const wrapped = (driverError: Error) => new QueryFailedError('SELECT 1', [], driverError);

const ports = { postgresPort: 5432, redisPort: 6379 };

describe('dependencyFailure', () => {
  const postgres: [string, unknown][] = [
    ['ECONNREFUSED at connect', systemError('ECONNREFUSED', 5432)],
    ['ECONNRESET', systemError('ECONNRESET', 5432)],
    ['ETIMEDOUT', systemError('ETIMEDOUT', 5432)],
    ['ECONNREFUSED on every address tried', Object.assign(new AggregateError([systemError('ECONNREFUSED', 5432)], ''), { code: 'ECONNREFUSED' })],
    [
      'a connect that tried several addresses, without a code of its own',
      new AggregateError([systemError('ECONNREFUSED', 5432), systemError('ECONNREFUSED', 5432)], ''),
    ],
    ['Connection terminated unexpectedly', new Error('Connection terminated unexpectedly')],
    ['Connection terminated due to connection timeout', new Error('Connection terminated due to connection timeout')],
    ['a pool that could not connect in time', new Error('timeout exceeded when trying to connect')],
    ['database not accepting connections (55000)', pgError('55000', 'database "o2o" is not currently accepting connections')],
    ['admin shutdown (57P01)', pgError('57P01', 'terminating connection due to administrator command')],
    ['crash shutdown (57P02)', pgError('57P02', 'terminating connection because of crash of another server process')],
    ['cannot connect now (57P03)', pgError('57P03', 'the database system is starting up')],
    ['too many connections (53300)', pgError('53300', 'sorry, too many clients already')],
    ['connection failure (08006)', pgError('08006', 'connection failure')],
    ['unable to connect (08001)', pgError('08001', 'could not connect to server')],
    ['QueryFailedError around 57P01', wrapped(pgError('57P01', 'terminating connection due to administrator command'))],
    ['QueryFailedError around a dropped connection', wrapped(new Error('Connection terminated unexpectedly'))],
    ['a socket reset mid-read (no port to tell by)', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', errno: -104, syscall: 'read' })],
  ];
  it.each(postgres)('takes %s for Postgres being unavailable', (_what, err) => {
    expect(dependencyFailure(err, ports)).toBe('postgres');
  });

  const redis: [string, unknown][] = [
    ['MaxRetriesPerRequestError', new MaxRetriesPerRequestError(1)],
    ['a closed connection', new Error('Connection is closed.')],
    ['no offline queue while disconnected', new Error("Stream isn't writeable and enableOfflineQueue options is false")],
    ['ECONNREFUSED to the Redis port', systemError('ECONNREFUSED', 6379)],
    ['a Redis still loading its dataset', new Error('LOADING Redis is loading the dataset in memory')],
  ];
  it.each(redis)('takes %s for Redis being unavailable', (_what, err) => {
    expect(dependencyFailure(err, ports)).toBe('redis');
  });

  const neither: [string, unknown][] = [
    ['a unique violation', wrapped(pgError('23505', 'duplicate key value violates unique constraint "brands_name_key"'))],
    ['a syntax error', wrapped(pgError('42601', 'syntax error at or near "SELEC"'))],
    ['another 55000 (object not in prerequisite state)', pgError('55000', 'cannot ALTER TABLE "x" because it is being used by active queries')],
    ['a statement timeout', pgError('57014', 'canceling statement due to statement timeout')],
    ['a serialization failure', pgError('40001', 'could not serialize access due to concurrent update')],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a domain error', new DomainError(ErrorCode.Conflict, 'Connection terminated? no, a conflict')],
    ['a string', 'ECONNREFUSED'],
    ['null', null],
    ['an error citing a refusal in prose', new Error('the caller ECONNREFUSED us')],
    ['an HTTP call refused by its host', systemError('ECONNREFUSED', 443)],
    [
      'an HTTP call refused on every address',
      Object.assign(new AggregateError([systemError('ECONNREFUSED', 443), systemError('ECONNREFUSED', 443)], ''), { code: 'ECONNREFUSED' }),
    ],
    ["fetch's failure, whose cause is the socket's", new TypeError('fetch failed', { cause: systemError('ECONNREFUSED', 5432) })],
  ];
  it.each(neither)('does not take %s for an outage', (_what, err) => {
    expect(dependencyFailure(err, ports)).toBeUndefined();
  });

  it('stops looking through driver errors that loop', () => {
    const a: Error & { driverError?: unknown } = new Error('a');
    a.driverError = { message: 'b', driverError: a };
    expect(dependencyFailure(a)).toBeUndefined();
  });
});

describe('dependencyUnavailable', () => {
  it('is a 503 naming the owner and the dependency, with a retry hint', () => {
    const e = dependencyUnavailable('postgres', 'coupons service');
    expect(e.code).toBe(ErrorCode.ServiceUnavailable);
    expect(e.message).toBe("The coupons service's database is unavailable");
    expect(e.toPayload()).toEqual({
      code: ErrorCode.ServiceUnavailable,
      message: "The coupons service's database is unavailable",
      retryAfterSeconds: DEPENDENCY_RETRY_AFTER_SECONDS,
    });
    expect(DomainError.fromPayload(e.toPayload()).retryAfterSeconds).toBe(DEPENDENCY_RETRY_AFTER_SECONDS);
    expect(dependencyUnavailable('redis', 'gateway').message).toBe("The gateway's Redis is unavailable");
  });

  it('reads the ports from the URLs', () => {
    expect(dependencyPorts({ databaseUrl: 'postgres://o2o@db:6543/o2o', redisUrl: 'redis://127.0.0.1:6380/2' })).toEqual({
      postgresPort: 6543,
      redisPort: 6380,
    });
    expect(dependencyPorts({ databaseUrl: 'postgresql://db/o2o', redisUrl: 'redis://cache' })).toEqual({ postgresPort: 5432, redisPort: 6379 });
    expect(dependencyPorts({})).toEqual({ postgresPort: undefined, redisPort: undefined });
  });
});

describe('RpcDomainExceptionFilter', () => {
  const quietMonitor = () => new DependencyMonitor({ log: jest.fn(), defaultProbe: () => undefined });

  it('answers 503 naming the service for a database that went away, and tells the monitor', () => {
    const monitor = quietMonitor();
    const filter = new RpcDomainExceptionFilter({ service: 'coupons', monitor, ports });
    const payload = filter.toPayload(wrapped(pgError('57P01', 'terminating connection due to administrator command')));
    expect(payload).toEqual({
      code: ErrorCode.ServiceUnavailable,
      message: "The coupons service's database is unavailable",
      retryAfterSeconds: DEPENDENCY_RETRY_AFTER_SECONDS,
    });
    expect(monitor.isDown('postgres')).toBe(true);
    monitor.stop();
  });

  it('names the service from the request stream it came by', () => {
    const monitor = quietMonitor();
    const filter = new RpcDomainExceptionFilter({ monitor, ports });
    const host = { getType: () => 'rpc', switchToRpc: () => ({ getContext: () => ({ getStream: () => 'ns1:rpc:catalog' }) }) };
    const payload = filter.toPayload(new Error('Connection terminated unexpectedly'), host as never);
    expect(payload.message).toBe("The catalog service's database is unavailable");
    monitor.stop();
  });

  it('keeps conflicts, domain errors and bugs as they were', () => {
    const monitor = quietMonitor();
    const filter = new RpcDomainExceptionFilter({ service: 'coupons', monitor, ports });
    expect(filter.toPayload(wrapped(pgError('23505', 'duplicate key'))).code).toBe(ErrorCode.Conflict);
    expect(filter.toPayload(new DomainError(ErrorCode.NotFound, 'Card not found'))).toMatchObject({ code: ErrorCode.NotFound, message: 'Card not found' });
    jest.spyOn(filter['logger'], 'error').mockImplementation(() => undefined);
    expect(filter.toPayload(new TypeError('oops'))).toEqual({ code: ErrorCode.Internal, message: 'Internal error' });
    expect(monitor.isDown('postgres')).toBe(false);
  });
});
