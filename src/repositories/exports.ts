/**
 * The SQL of the auditor exports (services/exports.ts streams it). No value is ever parsed or
 * re-encoded in JavaScript: PostgreSQL writes each CSV line whole, and each NDJSON line's parts —
 * the hashes, the award's stored export head and explanation, the stored canonical text — which
 * are put together byte for byte (`NDJSON_ROW`, `ndjsonLine`; D168). On a PostgreSQL server one
 * `COPY … TO STDOUT (FORMAT binary)` on a dedicated connection (`copyExportLines`), each incoming
 * chunk assembled into one buffer; on the embedded PGlite keyset pages of the same lines
 * (`exportPages`). The line formats are described in services/exports.ts; the compiled queries
 * are snapshotted in src/repositories/queries/.
 */
import type { Readable } from 'node:stream';
import { sql, type RawBuilder, type Selectable } from 'kysely';
import { to as copyTo } from 'pg-copy-streams';
import type { Database, Executor } from '../db/database.js';
import type { JournalEntriesTable } from '../db/schema.js';
import { BinaryCopyRows, SINGLE_COLUMN, type RowFormat } from '../db/binary-copy.js';
import * as ledgerRepo from './ledger.js';

export type ExportFormat = 'ndjson' | 'csv';

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const iso = (column: RawBuilder<unknown>) => sql`to_char(${column} AT TIME ZONE 'UTC', ${sql.raw(ISO)})`;

/**
 * The award part of an entry's line, from what is stored per award revision (D168): the export
 * head (the award object up to its explanation: ids, the revision's amounts, `computed_at`) and
 * the explanation, both of the revision the entry posts (`e.award_revision`; the award's current
 * one for entries sealed before migration 0018). The entry's `explanation_sha256` commits to
 * that explanation. A superseded revision keeps both in `award_revisions`, looked up only then.
 * NULL for an entry without an award.
 */
const posted = (column: 'export_head' | 'explanation') =>
  sql<string | null>`CASE WHEN a.id IS NULL THEN NULL WHEN e.award_revision IS NULL OR e.award_revision = a.revision THEN a.${sql.raw(column)}::text
  ELSE (SELECT r.${sql.raw(column)}::text FROM award_revisions r WHERE r.award_id = e.award_id AND r.revision = e.award_revision) END`;

/** The columns an NDJSON line is assembled from (`NDJSON_ROW`, `ndjsonLine`), in this order. */
const ndjsonColumns = [
  sql<string>`e.prev_hash`.as('prev_hash'),
  sql<string>`e.hash`.as('hash'),
  posted('export_head').as('award_head'),
  posted('explanation').as('award_explanation'),
  sql<string>`e.canonical`.as('canonical'),
] as const;

/** An entry's chain fields as stored, and its award's export head and explanation as text (null: no award). */
export type NdjsonParts = Pick<Selectable<JournalEntriesTable>, 'prev_hash' | 'hash' | 'canonical'> & {
  award_head: string | null;
  award_explanation: string | null;
};

const P_PREV = Buffer.from('{"prev_hash":"');
const P_HASH = Buffer.from('","hash":"');
const P_AWARD = Buffer.from('","award":');
const P_NULL = Buffer.from('null');
const [CLOSE, COMMA, NEWLINE, OPEN] = [0x7d, 0x2c, 0x0a, 0x7b];

/**
 * One NDJSON line from its parts, without parsing any of them:
 * `{"prev_hash":"…","hash":"…","award":` head ‖ explanation ‖ `}` (or `null`) `,` then the stored
 * canonical text after its `{` (the hashed fields), and a line feed.
 */
export function ndjsonLine(p: NdjsonParts): string {
  if (!p.canonical.startsWith('{')) throw new Error('export: a canonical text must be a JSON object');
  const award = p.award_head === null ? 'null' : `${p.award_head}${awardExplanation(p.award_explanation)}}`;
  return `{"prev_hash":"${p.prev_hash}","hash":"${p.hash}","award":${award},${p.canonical.slice(1)}\n`;
}

function awardExplanation(x: string | null): string {
  if (x === null) throw new Error('export: an award without its explanation');
  return x;
}

/** `ndjsonLine` on the fields of a binary COPY row (server exports), byte for byte the same. */
export const NDJSON_ROW: RowFormat = {
  fields: 5,
  size(_buf, _at, len) {
    if (len[0]! < 0 || len[1]! < 0 || len[4]! < 1) throw new Error('export: an entry without its hashes or canonical text');
    if (len[2]! >= 0 && len[3]! < 0) throw new Error('export: an award without its explanation');
    const award = len[2]! < 0 ? P_NULL.length : len[2]! + len[3]! + 1;
    return P_PREV.length + len[0]! + P_HASH.length + len[1]! + P_AWARD.length + award + 1 + (len[4]! - 1) + 1;
  },
  write(buf, at, len, out, pos) {
    if (buf[at[4]!] !== OPEN) throw new Error('export: a canonical text must be a JSON object');
    pos += P_PREV.copy(out, pos);
    pos += buf.copy(out, pos, at[0]!, at[0]! + len[0]!);
    pos += P_HASH.copy(out, pos);
    pos += buf.copy(out, pos, at[1]!, at[1]! + len[1]!);
    pos += P_AWARD.copy(out, pos);
    if (len[2]! < 0) pos += P_NULL.copy(out, pos);
    else {
      pos += buf.copy(out, pos, at[2]!, at[2]! + len[2]!);
      pos += buf.copy(out, pos, at[3]!, at[3]! + len[3]!);
      out[pos++] = CLOSE;
    }
    out[pos++] = COMMA;
    pos += buf.copy(out, pos, at[4]! + 1, at[4]! + len[4]!);
    out[pos++] = NEWLINE;
    return pos;
  },
};

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

/** NDJSON: the parts of each entry's line (`ndjsonColumns`), in seq order. */
export function ndjsonQuery(db: Executor, filter: ledgerRepo.EntryFilter) {
  return ledgerRepo.filteredEntries(db, filter).leftJoin('awards as a', 'a.id', 'e.award_id').select(ndjsonColumns).orderBy('e.seq');
}

/** CSV: the lines, in order: one column, `line`. */
export function csvQuery(db: Executor, filter: ledgerRepo.EntryFilter) {
  return ledgerRepo
    .filteredEntries(db, filter)
    .innerJoin('journal_lines as l', 'l.entry_seq', 'e.seq')
    .select(csvLine.as('line'))
    .orderBy('e.seq')
    .orderBy('l.line_no');
}

/** The query of an export: the NDJSON line's parts, or the CSV lines. */
export const exportQuery = (db: Executor, format: ExportFormat, filter: ledgerRepo.EntryFilter) =>
  format === 'ndjson' ? ndjsonQuery(db, filter) : csvQuery(db, filter);

/** Embedded database: keyset pages (by seq; an entry's CSV lines never straddle a page). */
export async function* exportPages(db: Executor, format: ExportFormat, filter: ledgerRepo.EntryFilter, pageSize: number): AsyncGenerator<string> {
  let after: bigint | null = null;
  for (;;) {
    const upTo: ledgerRepo.EntryFilter = after === null ? filter : { ...filter, fromSeq: after + 1n };
    const seqs = await ledgerRepo.filteredEntries(db, upTo).select('e.seq').orderBy('e.seq').limit(pageSize).execute();
    if (!seqs.length) return;
    const last = seqs[seqs.length - 1]!.seq;
    const page = { ...upTo, toSeq: last };
    yield format === 'ndjson'
      ? (await ndjsonQuery(db, page).execute()).map(ndjsonLine).join('')
      : (await csvQuery(db, page).execute()).map((r) => r.line).join('');
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
  const client = await database.exportPool!.connect();
  let released = false;
  const release = (err?: Error) => {
    if (released) return;
    released = true;
    client.release(err);
  };
  try {
    // The plan must walk entries in seq order by index and look each award up by key: a sort
    // or hash join would materialise every line first (the planner, misled by the row width,
    // picks one). JIT compiles the long expressions for seconds and gains nothing here.
    await client.query('BEGIN READ ONLY');
    await client.query(
      'SET LOCAL jit = off; SET LOCAL enable_sort = off; SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off; SET LOCAL enable_memoize = off',
    );
    const source = client.query(copyTo(`COPY (${text}) TO STDOUT (FORMAT binary)`));
    const values = new BinaryCopyRows(format === 'ndjson' ? NDJSON_ROW : SINGLE_COLUMN, header);
    let copying = true;
    source.on('error', (err) => {
      release(err);
      values.destroy(err);
    });
    source.on('end', () => {
      copying = false;
      client.query('COMMIT').then(
        () => release(),
        (err: Error) => release(err),
      );
    });
    values.on('close', () => {
      // The client went away mid-export: the connection is mid-COPY, so it is discarded. Once
      // the COPY has ended (its COMMIT may still be on its way: the body closes first) it goes
      // back to the pool — a new backend pays for its first touch of every shared buffer page.
      if (copying && !released) {
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
