import { ErrorCode } from '@o2o/contracts';
import { DataSource } from 'typeorm';
import { queryRows } from '../database/rows';
import { DomainError } from '../errors/domain-error';
import { requestHash } from '../idempotency/idempotency-store';
import { commandTransaction, inOwnTransaction } from './command-transaction';

interface HandledRow {
  pattern: string;
  request_hash: string;
  answer: { value?: unknown } | null;
}

const QUERY_CANCELED = '57014';

/**
 * Exactly-once effects over an at-least-once transport. A command claims its request id, does its
 * work and records its answer in one transaction. A second delivery of the id (a reclaim after a
 * crash, a retry after a 504, a client's duplicate) waits on the first one's row lock, then
 * answers the recorded answer and changes nothing; if the first rolled back, it runs afresh.
 */
export class RequestLedger {
  constructor(private readonly dataSource: DataSource) {}

  async run<T>(command: { requestId: string; pattern: string; data: unknown; deadline?: number }, work: () => Promise<T>): Promise<T> {
    const { requestId, pattern, deadline } = command;
    const hash = requestHash(command.data ?? null);
    let outcome: { answer: T } | 'purged';
    try {
      outcome = await inOwnTransaction(this.dataSource, async (tx) => {
        // No statement of this command outlives its caller's deadline.
        if (deadline !== undefined) await tx.runner.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.ceil(deadline - Date.now()))}`);
        const claimed: unknown[] = await tx.runner.query(
          `INSERT INTO handled_requests (request_id, pattern, request_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING request_id`,
          [requestId, pattern, hash],
        );
        if (claimed.length === 0) {
          const [row]: HandledRow[] = await tx.runner.query('SELECT pattern, request_hash, answer FROM handled_requests WHERE request_id = $1', [requestId]);
          if (!row) return 'purged' as const; // purged meanwhile: nothing to replay
          if (row.pattern !== pattern || row.request_hash !== hash) {
            throw new DomainError(ErrorCode.IdempotencyKeyReused, 'This request id was already used for a different request');
          }
          return { answer: row.answer?.value as T };
        }
        const answer = await commandTransaction.run(tx, work);
        if (deadline !== undefined && Date.now() > deadline) throw deadlinePassed();
        await tx.runner.query('UPDATE handled_requests SET answer = $2 WHERE request_id = $1', [requestId, JSON.stringify({ value: answer })]);
        return { answer };
      });
    } catch (e) {
      const code = (e as { code?: string; driverError?: { code?: string } } | undefined)?.driverError?.code ?? (e as { code?: string } | undefined)?.code;
      throw code === QUERY_CANCELED ? deadlinePassed() : e;
    }
    return outcome === 'purged' ? this.run(command, work) : outcome.answer;
  }

  /** Forgets requests handled longer ago than the retention; a duplicate later than that runs again. */
  async purge(olderThanHours: number): Promise<number> {
    const rows = await queryRows(
      this.dataSource,
      `DELETE FROM handled_requests WHERE request_id IN (
         SELECT request_id FROM handled_requests WHERE handled_at < now() - make_interval(hours => $1) LIMIT 10000)
       RETURNING request_id`,
      [olderThanHours],
    );
    return rows.length;
  }
}

const deadlinePassed = () => new DomainError(ErrorCode.ServiceTimeout, "The caller's deadline passed before the change could commit; nothing was changed");
