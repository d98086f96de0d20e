import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';

/** An open transaction (a command's, or one a service began), shared by everything done on the database inside it. */
export interface CommandTransaction {
  runner: QueryRunner;
  savepoints: number;
  /** Set once the command has committed or rolled back: later work no longer joins it. */
  closed: boolean;
}

export const commandTransaction = new AsyncLocalStorage<CommandTransaction>();

const openTransaction = (): CommandTransaction | undefined => {
  const tx = commandTransaction.getStore();
  return tx && !tx.closed ? tx : undefined;
};

/** A nested transaction() inside a command is a savepoint: its failure undoes its own work only. */
async function savepoint<T>(tx: CommandTransaction, work: (m: EntityManager) => Promise<T>): Promise<T> {
  const name = `o2o_step_${++tx.savepoints}`;
  await tx.runner.query(`SAVEPOINT ${name}`);
  try {
    const result = await work(tx.runner.manager);
    await tx.runner.query(`RELEASE SAVEPOINT ${name}`);
    return result;
  } catch (e) {
    await tx.runner.query(`ROLLBACK TO SAVEPOINT ${name}`).catch(() => undefined);
    throw e;
  }
}

/** The command's own connection, handed out where code asks for a query runner; the command releases it. */
function borrowed(runner: QueryRunner): QueryRunner {
  return new Proxy(runner, {
    get(target, prop) {
      if (prop === 'release') return () => Promise.resolve();
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Runs work on a connection of its own inside one transaction: committed if it returns, rolled back if it throws. */
export async function inOwnTransaction<T>(dataSource: DataSource, work: (tx: CommandTransaction) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  const tx: CommandTransaction = { runner, savepoints: 0, closed: false };
  try {
    await runner.startTransaction();
    const result = await work(tx);
    await runner.commitTransaction();
    return result;
  } catch (e) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw e;
  } finally {
    tx.closed = true;
    await runner.release();
  }
}

/** Runs work in a new transaction that every query on the service's DataSource joins meanwhile. */
const newTransaction = <T>(dataSource: DataSource, work: (m: EntityManager) => Promise<T>): Promise<T> =>
  inOwnTransaction(dataSource, (tx) => commandTransaction.run(tx, () => work(tx.runner.manager)));

/**
 * The service's DataSource as handlers, repositories and listeners see it. Inside a transaction
 * (a command's, or one begun with transaction()) every query, nested transaction() (a savepoint),
 * repository and query runner joins it. So repositories need no manager passed around, a command's
 * change commits with the record of its request, and a command never holds two pooled connections
 * (which could starve the pool). Outside a transaction it is the plain DataSource.
 */
export function transactionAwareDataSource(dataSource: DataSource): DataSource {
  return new Proxy(dataSource, {
    get(target, prop) {
      const tx = openTransaction();
      if (!tx && prop === 'transaction') return (...args: unknown[]) => newTransaction(target, args[args.length - 1] as (m: EntityManager) => Promise<unknown>);
      if (tx) {
        switch (prop) {
          case 'query':
            return (sql: string, params?: unknown[]) => tx.runner.query(sql, params);
          case 'manager':
            return tx.runner.manager;
          case 'getRepository':
            return (entity: Parameters<EntityManager['getRepository']>[0]) => tx.runner.manager.getRepository(entity);
          case 'createQueryRunner':
            return () => borrowed(tx.runner);
          case 'transaction':
            return (...args: unknown[]) => savepoint(tx, args[args.length - 1] as (m: EntityManager) => Promise<unknown>);
        }
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
