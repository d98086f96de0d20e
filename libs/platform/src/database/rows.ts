import { DataSource, EntityManager } from 'typeorm';

/**
 * The rows a statement returns, whatever its kind. TypeORM's plain query() answers
 * [rows, count] for UPDATE and DELETE but rows alone for SELECT and INSERT; this never guesses.
 */
export async function queryRows<T>(db: DataSource | EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  const runner = db instanceof DataSource ? db.createQueryRunner() : db.queryRunner;
  if (!runner) return (await (db as EntityManager).query(sql, params)) as T[];
  try {
    const result = await runner.query(sql, params, true);
    return result.records as T[];
  } finally {
    if (db instanceof DataSource) await runner.release();
  }
}
