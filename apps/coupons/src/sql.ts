import { DataSource, EntityManager } from 'typeorm';

/**
 * The rows a statement returns. TypeORM answers an UPDATE or DELETE with [rows, rowCount] and
 * anything else with the rows alone; conditional state changes need the rows either way.
 */
export async function rows<T>(db: EntityManager | DataSource, sql: string, params: unknown[] = []): Promise<T[]> {
  const result: unknown = await db.query(sql, params);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
