/**
 * The SQL of the auditor exports (services/exports.ts streams it): PostgreSQL writes every
 * line itself, so the process only forwards bytes. On a PostgreSQL server one
 * `COPY … TO STDOUT (FORMAT binary)` on a dedicated connection (`copyExportLines`); on the
 * embedded PGlite keyset pages of the same lines (`exportPages`). The line formats are described
 * in services/exports.ts; the compiled query is snapshotted in src/repositories/queries/.
 */
import type { Readable } from 'node:stream';
import { sql, type RawBuilder } from 'kysely';
import { to as copyTo } from 'pg-copy-streams';
import type { Database, Executor } from '../db/database.js';
import { BinaryCopyValues } from '../db/binary-copy.js';
import * as ledgerRepo from './ledger.js';

export type ExportFormat = 'ndjson' | 'csv';

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const iso = (column: RawBuilder<unknown>) => sql`to_char(${column} AT TIME ZONE 'UTC', ${sql.raw(ISO)})`;
const quoted = (column: RawBuilder<unknown>) => sql`coalesce('"' || ${column} || '"', 'null')`;

/**
 * The explanation of the revision the entry posts (`e.award_revision`; the award's current one
 * for entries sealed before migration 0018): the entry's `explanation_sha256` commits to it. A
 * superseded revision keeps its explanation in `award_revisions`, looked up only then.
 */
const postedExplanation = sql`CASE WHEN e.award_revision IS NULL OR e.award_revision = a.revision THEN a.explanation::text
  ELSE (SELECT r.explanation::text FROM award_revisions r WHERE r.award_id = e.award_id AND r.revision = e.award_revision) END`;

/**
 * The award beside an entry, as JSON text (not hashed: context for the auditor): its ids and
 * current state, and the `revision` the entry posts with that revision's `explanation`.
 */
const awardJson = sql`CASE WHEN a.id IS NULL THEN 'null' ELSE
  '{"id":"' || a.id || '","rule_id":"' || a.rule_id || '","rule_version_id":' || ${quoted(sql`a.rule_version_id`)}
  || ',"measurement_id":"' || a.measurement_id || '","fund_id":"' || a.fund_id || '","status":"' || a.status
  || '","earned":' || a.earned || ',"amount_ore":' || a.amount_ore || ',"payout_total_ore":' || a.payout_total_ore
  || ',"retained_ore":' || a.retained_ore || ',"revision":' || coalesce(e.award_revision, a.revision)
  || ',"computed_at":"' || ${iso(sql`a.computed_at`)} || '","explanation":' || ${postedExplanation} || '}' END`;

/** One NDJSON line: the stored canonical text after the unhashed fields (it begins with `{`). */
const ndjsonLine = sql<string>`'{"prev_hash":"' || e.prev_hash || '","hash":"' || e.hash || '","award":' || ${awardJson}
  || ',' || substr(e.canonical, 2) || E'\\n'`;

/**
 * `csvText` of `domain/csv.ts` in SQL (a NULL is an empty cell): a leading `=`, `+`, `-`, `@`,
 * tab or CR gets a `'` before it, then the cell is quoted when it holds a comma, quote or line
 * break (RFC 4180). test/integration/exports-formats.test.ts holds the two equal.
 */
export const csvTextSql = (column: RawBuilder<unknown>) => {
  const safe = sql`regexp_replace(${column}, '^([=+@\\t\\r-])', '''\\1')`;
  // The common cell needs neither: one test, then the text as is (two regular expressions per
  // cell cost a quarter of the CSV export's time).
  return sql<string>`CASE WHEN ${column} IS NULL THEN ''
    WHEN ${column} !~ '^[=+@\\t\\r-]|[",\\r\\n]' THEN ${column}
    WHEN ${column} ~ '[",\\r\\n]' THEN '"' || replace(${safe}, '"', '""') || '"'
    ELSE ${safe} END`;
};

/**
 * Text cells (neutralised, see `domain/csv.ts`): `kind`, `memo`, `account`. The other columns
 * are written from typed values that cannot start a formula — uuids and hashes (hex), instants
 * and dates (digits), `seq` and `line_no` (positive integers) — or are numbers: `amount_ore` is
 * a signed integer and stays one (`-1500` is a debit, not a formula).
 */
const csvLine = sql<string>`concat_ws(',', e.seq, e.id, ${iso(sql`e.posted_at`)}, e.posted_on, ${csvTextSql(sql`e.kind`)},
  coalesce(e.fund_id::text, ''), coalesce(e.award_id::text, ''), ${csvTextSql(sql`e.memo`)}, l.line_no, ${csvTextSql(sql`l.account`)},
  l.amount_ore, e.prev_hash, e.hash) || E'\\r\\n'`;

/** The lines of an export, in order: one column, `line`. */
export function exportQuery(db: Executor, format: ExportFormat, filter: ledgerRepo.EntryFilter) {
  const entries = ledgerRepo.filteredEntries(db, filter);
  return format === 'ndjson'
    ? entries.leftJoin('awards as a', 'a.id', 'e.award_id').select(ndjsonLine.as('line')).orderBy('e.seq')
    : entries.innerJoin('journal_lines as l', 'l.entry_seq', 'e.seq').select(csvLine.as('line')).orderBy('e.seq').orderBy('l.line_no');
}

/** Embedded database: keyset pages (by seq; an entry's CSV lines never straddle a page). */
export async function* exportPages(db: Executor, format: ExportFormat, filter: ledgerRepo.EntryFilter, pageSize: number): AsyncGenerator<string> {
  let after: bigint | null = null;
  for (;;) {
    const upTo: ledgerRepo.EntryFilter = after === null ? filter : { ...filter, fromSeq: after + 1n };
    const seqs = await ledgerRepo.filteredEntries(db, upTo).select('e.seq').orderBy('e.seq').limit(pageSize).execute();
    if (!seqs.length) return;
    const last = seqs[seqs.length - 1]!.seq;
    const rows = await exportQuery(db, format, { ...upTo, toSeq: last }).execute();
    yield rows.map((r) => r.line).join('');
    if (seqs.length < pageSize) return;
    after = last;
  }
}

/** Inlines bind parameters (COPY takes none). Only our own filter values get here: uuids, integers, dates, an account code. */
function inline(compiled: { sql: string; parameters: readonly unknown[] }): string {
  return compiled.sql.replace(/\$(\d+)\b/g, (_, n: string) => {
    const v = compiled.parameters[Number(n) - 1];
    if (typeof v === 'bigint' || typeof v === 'number') return String(v);
    if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'`;
    throw new Error(`export: cannot inline a ${typeof v} parameter`);
  });
}

/** PostgreSQL server: one COPY on a dedicated connection, released when the stream ends, fails or is abandoned. */
export async function copyExportLines(database: Database, format: ExportFormat, filter: ledgerRepo.EntryFilter, header: string): Promise<Readable> {
  const text = inline(exportQuery(database.db, format, filter).compile());
  const client = await database.pool!.connect();
  let released = false;
  const release = (err?: Error) => {
    if (released) return;
    released = true;
    client.release(err);
  };
  try {
    // The plan must walk entries in seq order by index and look each award up by key: a sort
    // or hash join would materialise every line first (the planner, misled by the row width,
    // picks one). JIT compiles the long line expression for seconds and gains nothing here.
    await client.query('BEGIN READ ONLY');
    await client.query(
      'SET LOCAL jit = off; SET LOCAL enable_sort = off; SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off; SET LOCAL enable_memoize = off',
    );
    const source = client.query(copyTo(`COPY (${text}) TO STDOUT (FORMAT binary)`));
    const values = new BinaryCopyValues(header);
    source.on('error', (err) => {
      release(err);
      values.destroy(err);
    });
    source.on('end', () => {
      client.query('COMMIT').then(
        () => release(),
        (err: Error) => release(err),
      );
    });
    values.on('close', () => {
      // The client went away mid-export: the connection is mid-COPY, so it is discarded.
      if (!released) {
        source.destroy();
        release(new Error('export abandoned'));
      }
    });
    return source.pipe(values);
  } catch (err) {
    release(err as Error);
    throw err;
  }
}
