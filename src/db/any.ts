import { sql, type Expression, type SqlBool } from 'kysely';

/**
 * `column = any($1::uuid[])`: one array parameter instead of an IN list of hundreds, which
 * PostgreSQL parses and plans much faster for the large id sets settlement works with.
 */
export function anyUuid(column: string, ids: readonly string[]): Expression<SqlBool> {
  return sql<SqlBool>`${sql.ref(column)} = any(${ids}::uuid[])`;
}
