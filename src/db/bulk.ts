import { sql, type RawBuilder } from 'kysely';
import type { Executor } from './database.js';

/**
 * A column of a bulk write: its name and PostgreSQL type (`uuid`, `bigint`, …). Type `json`
 * columns (and `text` marked `joined`) carry large non-null texts that never hold the ASCII
 * record separator (JSON text escapes every control character): they are sent as one text
 * joined on it and split by PostgreSQL, because escaping kilobytes of quotes into an array
 * literal (and parsing it back) cost more than the rest of the write.
 */
export type BulkColumn<Row> = readonly [name: keyof Row & string, type: string, options?: { joined: true }];

const SEPARATOR = '\x1e';

const QUOTED = /["\\]/;
const QUOTES = /["\\]/g;

/**
 * PostgreSQL's text form of a one-dimensional array, `{"a","b",NULL}`: every element quoted, its
 * `"` and `\` escaped, null as NULL. Sent as a text parameter and cast (`$1::uuid[]`), it is
 * what pg would send for the JS array; built by the caller, it can be built before the
 * statement's turn comes (batch ingest builds the next chunk's while the one before is stored).
 */
export function arrayLiteral(values: ReadonlyArray<string | null>): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    parts[i] = v === null || v === undefined ? 'NULL' : QUOTED.test(v) ? `"${v.replace(QUOTES, '\\$&')}"` : `"${v}"`;
  }
  return `{${parts.join(',')}}`;
}

/**
 * Texts joined on U+001E, for `string_to_array($1::text, E'\\x1e')`: cheaper than an array
 * literal for JSON texts, which never hold the separator (JSON escapes every control
 * character) and are never empty. Anything else must not come here (`joinable` checks; and a
 * lone empty text would split to no element at all: `string_to_array('', …)` is empty).
 */
export function joinedTexts(values: readonly string[], column: string): string {
  for (const v of values) if (!joinable(v, column)) throw new TypeError(`bulk write: ${column} must not be empty`);
  return values.join(SEPARATOR);
}

/** Rows per statement: large enough to amortise a round trip, small enough to stream. */
export const BULK_CHUNK = 5000;

function param(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) return v.toISOString();
  return v;
}

function joinable(v: unknown, column: string): string {
  if (typeof v !== 'string' || v.includes(SEPARATOR)) throw new TypeError(`bulk write: ${column} must be a string without U+001E`);
  return v;
}

/**
 * `SELECT * FROM unnest($1::t1[], $2::t2[], …) AS v(c1, c2, …)`: many rows as one array
 * parameter per column. PostgreSQL parses and plans one small statement however many rows it
 * carries (a multi-row VALUES list costs a parameter, and planning, per value), and there is
 * no 65,535-parameter ceiling. Works the same on pg and PGlite.
 */
export function unnestRows<Row>(columns: ReadonlyArray<BulkColumn<Row>>, rows: readonly Row[]): RawBuilder<unknown> {
  const arrays = columns.map(([name, type, options]) => {
    if (type !== 'json' && !options?.joined) return sql`${rows.map((r) => param(r[name]))}::${sql.raw(type)}[]`;
    const joined = joinedTexts(
      rows.map((r) => r[name] as string),
      name,
    );
    return sql`string_to_array(${joined}::text, E'\\x1e')::${sql.raw(type)}[]`;
  });
  const names = columns.map(([name]) => sql.ref(name));
  return sql`SELECT * FROM unnest(${sql.join(arrays)}) AS v(${sql.join(names)})`;
}

/** INSERT … SELECT … FROM unnest(…) in chunks; `suffix` is e.g. an ON CONFLICT clause. */
export async function insertRows<Row>(
  db: Executor,
  table: string,
  columns: ReadonlyArray<BulkColumn<Row>>,
  rows: readonly Row[],
  suffix: RawBuilder<unknown> = sql``,
): Promise<void> {
  const names = sql.join(columns.map(([name]) => sql.ref(name)));
  for (let i = 0; i < rows.length; i += BULK_CHUNK) {
    const part = rows.slice(i, i + BULK_CHUNK);
    await sql`INSERT INTO ${sql.table(table)} (${names}) ${unnestRows(columns, part)} ${suffix}`.execute(db);
  }
}
