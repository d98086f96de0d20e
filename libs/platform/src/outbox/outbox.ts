import { EventName } from '@o2o/contracts';
import { EntityManager } from 'typeorm';
import { newId } from '../ids';

/** One outbox row as SQL: an INSERT statement, its parameters, and the id of the event it writes. */
export interface OutboxInsert {
  id: string;
  sql: string;
  params: unknown[];
}

/**
 * The row writeEvent inserts, as a statement that can also run inside a larger one (a
 * data-modifying CTE), so that a change and its event take one round trip. Its parameters are
 * numbered from `firstParam`. With `onlyIf` (the name of a CTE or any FROM item), the row is
 * written only when that yields at least one row. This is the one place that knows the outbox's
 * columns: writeEvent runs the same statement.
 */
export function outboxInsert(type: EventName, data: object, options: { firstParam: number; onlyIf?: string }): OutboxInsert {
  const id = newId();
  const p = options.firstParam;
  // Cast: parameters of an INSERT ... SELECT are not typed from the columns they go to.
  // clock_timestamp(), not now(): taken after the row locks this transaction waited for, so two
  // changes of one row are stamped in the order they commit (now() is the transaction's start).
  const sql =
    `INSERT INTO outbox (id, type, payload, occurred_at) SELECT $${p}::uuid, $${p + 1}::text, $${p + 2}::jsonb, clock_timestamp()` +
    (options.onlyIf ? ` WHERE EXISTS (SELECT 1 FROM ${options.onlyIf})` : '');
  return { id, sql, params: [id, type, JSON.stringify(data)] };
}

/**
 * Records an event in the caller's transaction. It leaves the service only if that transaction
 * commits, and then surely: the relay keeps trying until every consumer's queue has it.
 */
export async function writeEvent(manager: EntityManager, type: EventName, data: object): Promise<string> {
  const row = outboxInsert(type, data, { firstParam: 1 });
  await manager.query(row.sql, row.params);
  return row.id;
}
