import { EventName } from '@o2o/contracts';
import { EntityManager } from 'typeorm';
import { newId } from '../ids';

/**
 * Records an event in the caller's transaction. It leaves the service only if that transaction
 * commits, and then surely: the relay keeps trying until every consumer's queue has it.
 */
export async function writeEvent(manager: EntityManager, type: EventName, data: object): Promise<string> {
  const id = newId();
  // clock_timestamp(), not now(): taken after the row locks this transaction waited for, so two
  // changes of one row are stamped in the order they commit (now() is the transaction's start).
  await manager.query('INSERT INTO outbox (id, type, payload, occurred_at) VALUES ($1, $2, $3, clock_timestamp())', [id, type, JSON.stringify(data)]);
  return id;
}
