import { problems } from './problem.js';

/**
 * Cursor pagination: lists are ordered by a stable key; `next_cursor` is an opaque token for
 * the key of the last item, passed back as `?cursor=`. Stable under inserts, no OFFSET scans.
 */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | null {
  if (!cursor) return null;
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!key || encodeCursor(key) !== cursor) throw problems.invalid('query.cursor', 'is not a cursor from this API');
  return key;
}

/** Fetch limit+1 rows; if there is an extra one, there is a next page. */
export function pageOf<T>(rows: T[], limit: number, keyOf: (row: T) => string): Page<T> {
  const items = rows.slice(0, limit);
  const next = rows.length > limit ? encodeCursor(keyOf(items[items.length - 1]!)) : null;
  return { items, next_cursor: next };
}
