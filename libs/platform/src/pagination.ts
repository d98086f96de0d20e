import { Page } from '@o2o/contracts';
import { badInput } from './errors/domain-error';

export const DEFAULT_PAGE_SIZE = 20;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const invalidCursor = () => badInput('cursor is not valid', [{ field: 'cursor', message: 'is not a cursor this API gave out' }]);

/** An opaque cursor: the sort key of the last row, base64url JSON. */
export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): unknown[] | undefined {
  if (!cursor) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key)) return key;
  } catch {
    // fall through
  }
  throw invalidCursor();
}

/** The id a cursor of id-ordered pages carries; anything else is refused as bad input. */
export function decodeIdCursor(cursor: string | undefined): string | undefined {
  const key = decodeCursor(cursor);
  if (key === undefined) return undefined;
  const [id] = key;
  if (key.length !== 1 || typeof id !== 'string' || !UUID.test(id)) throw invalidCursor();
  return id;
}

/**
 * Builds a page from rows fetched with LIMIT size + 1 (keyset pagination): the extra row only
 * tells whether another page exists.
 */
export function toPage<R, T>(rows: R[], size: number, keyOf: (row: R) => unknown[], map: (row: R) => T): Page<T> {
  const items = rows.slice(0, size);
  const last = items[items.length - 1];
  return { items: items.map(map), nextCursor: rows.length > size && last ? encodeCursor(keyOf(last)) : null };
}
