import { sql, type Expression, type SqlBool } from 'kysely';

/**
 * `column = any($1::uuid[])`: one array parameter instead of an IN list of hundreds, which
 * PostgreSQL parses and plans much faster for the large id sets settlement works with.
 */
export function anyUuid(column: string, ids: readonly string[]): Expression<SqlBool> {
  return sql<SqlBool>`${sql.ref(column)} = any(${ids}::uuid[])`;
}

/**
 * `column = any(array(select unnest($1::uuid[])))`: the same test, but the array reaches the
 * planner as a sub-plan's result, whose size it cannot see (it assumes a few elements), so it
 * always probes `column`'s index. With the array as a constant, PostgreSQL weighs its full size
 * against the table's statistics: during a bulk settlement it chose sequential scans of
 * `measurements` and `enrolments`, and on the not yet analysed `awards` a scan of the whole
 * primary key — work proportional to the table, per job (D205).
 */
export function anyUuidIndexed(column: string, ids: readonly string[]): Expression<SqlBool> {
  return sql<SqlBool>`${sql.ref(column)} = any(array(select unnest(${ids}::uuid[])))`;
}
