import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';

/** The transaction a command runs in, shared by everything the handler does on its database. */
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

/**
 * The service's DataSource as handlers see it. Inside a command every query, transaction(),
 * repository and query runner joins the command's transaction, so the change and the record of
 * its request commit together, and a command never holds two pooled connections (which could
 * starve the pool). Outside a command it is the plain DataSource.
 */
export function commandAwareDataSource(dataSource: DataSource): DataSource {
  return new Proxy(dataSource, {
    get(target, prop) {
      const tx = openTransaction();
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
