import { ErrorCode } from '@o2o/contracts';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { queryRows } from '../database/rows';
import { DomainError } from '../errors/domain-error';

export type IdempotencyStart = { kind: 'started' } | { kind: 'replay'; status: number; body: unknown };

interface KeyRow {
  request_hash: string;
  state: 'in_flight' | 'done' | 'unknown';
  response_status: number | null;
  response_body: unknown;
  stale: boolean;
}

/** A stable hash of a request: the same JSON in any key order hashes the same. */
export function requestHash(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * Idempotency-Key bookkeeping. The primary key (scope, key) lets exactly one of any number of
 * concurrent duplicates start the work; the others see it in flight (409) or replay its answer.
 */
export class IdempotencyStore {
  constructor(
    private readonly dataSource: DataSource,
    /** An in-flight key older than this is taken to belong to a caller that died. */
    private readonly staleAfterMs = 60_000,
  ) {}

  async begin(scope: string, key: string, hash: string): Promise<IdempotencyStart> {
    const inserted = await this.dataSource.query(
      `INSERT INTO idempotency_keys (scope, key, request_hash, state) VALUES ($1, $2, $3, 'in_flight')
       ON CONFLICT DO NOTHING RETURNING key`,
      [scope, key, hash],
    );
    if (inserted.length > 0) return { kind: 'started' };

    const [row]: KeyRow[] = await this.dataSource.query(
      `SELECT request_hash, state, response_status, response_body,
              created_at < now() - make_interval(secs => $3::float / 1000) AS stale
         FROM idempotency_keys WHERE scope = $1 AND key = $2`,
      [scope, key, this.staleAfterMs],
    );
    if (!row) return this.begin(scope, key, hash); // released meanwhile: try again
    if (row.request_hash !== hash) {
      throw new DomainError(ErrorCode.IdempotencyKeyReused, 'This Idempotency-Key was used with a different request');
    }
    if (row.state === 'done') return { kind: 'replay', status: row.response_status ?? 200, body: row.response_body };
    // The last try's outcome is unknown: run it again under the same request id, and the service
    // answers what it committed, or does the work once if nothing was.
    if (row.state === 'unknown') {
      const resumed = await queryRows(
        this.dataSource,
        `UPDATE idempotency_keys SET state = 'in_flight', created_at = now() WHERE scope = $1 AND key = $2 AND state = 'unknown' RETURNING key`,
        [scope, key],
      );
      if (resumed.length > 0) return { kind: 'started' };
      return this.begin(scope, key, hash);
    }
    if (row.stale) {
      const taken = await queryRows(
        this.dataSource,
        `UPDATE idempotency_keys SET created_at = now() WHERE scope = $1 AND key = $2 AND state = 'in_flight'
           AND created_at < now() - make_interval(secs => $3::float / 1000) RETURNING key`,
        [scope, key, this.staleAfterMs],
      );
      if (taken.length > 0) return { kind: 'started' };
    }
    throw new DomainError(ErrorCode.IdempotencyKeyInFlight, 'A request with this Idempotency-Key is still in flight');
  }

  async complete(scope: string, key: string, status: number, body: unknown): Promise<void> {
    await this.dataSource.query(
      `UPDATE idempotency_keys SET state = 'done', response_status = $3, response_body = $4, completed_at = now()
        WHERE scope = $1 AND key = $2`,
      [scope, key, status, JSON.stringify(body ?? null)],
    );
  }

  /**
   * Marks a key whose outcome is unknown (the service was down or slow, or failed): not "nothing
   * happened", so the key is kept, and the retry asks the service again under the same request id.
   */
  async markUnknown(scope: string, key: string): Promise<void> {
    await this.dataSource.query(`UPDATE idempotency_keys SET state = 'unknown' WHERE scope = $1 AND key = $2 AND state = 'in_flight'`, [scope, key]);
  }

  /** Drops answers older than the retention period. */
  async purge(olderThanHours = 24): Promise<number> {
    const res = await queryRows(this.dataSource, `DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1) RETURNING key`, [
      olderThanHours,
    ]);
    return res.length;
  }
}
