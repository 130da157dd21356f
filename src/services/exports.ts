/**
 * Auditor exports of the journal (SETTLEMENT.md §6: "anyone holding an export can recompute
 * the chain").
 *
 * - NDJSON: one JSON object per journal entry per line: `prev_hash`, `hash`, `award` (NOT
 *   hashed: null, or the award the entry was posted for with its ids, amounts and explanation),
 *   then exactly the hashed fields (seq, entry_id, posted_at, kind, fund_id, award_id, memo,
 *   lines[{account, amount_ore}]) written as the very RFC 8785 text that was hashed (stored
 *   with each entry, checked against its lines by GET /v1/ledger/verify). Amounts are JSON
 *   integers. `npm run verify-ledger -- file.ndjson` recomputes the chain from such a file alone.
 * - CSV: one row per journal LINE (entry columns repeated), no explanations, CRLF line ends.
 *
 * PostgreSQL writes every line itself (SQL below) and the process only forwards bytes: on a
 * PostgreSQL server through one `COPY … TO STDOUT (FORMAT binary)` whose framing is stripped as
 * it streams, so a line is never parsed or re-encoded in JavaScript; on the embedded PGlite by
 * keyset pages of the same lines. Either way the body is pulled only as fast as the client reads
 * it (backpressure), so memory stays constant whatever the size of the ledger.
 */
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { sql, type RawBuilder } from 'kysely';
import { to as copyTo } from 'pg-copy-streams';
import type { Database, Executor } from '../db/database.js';
import * as ledgerRepo from '../repositories/ledger.js';

export type ExportFormat = 'ndjson' | 'csv';

/** Lines per query on the embedded database (PGlite has no COPY TO STDOUT stream). */
export const EXPORT_PAGE_SIZE = 2000;

export const CSV_COLUMNS = [
  'seq',
  'entry_id',
  'posted_at',
  'posted_on',
  'kind',
  'fund_id',
  'award_id',
  'memo',
  'line_no',
  'account',
  'amount_ore',
  'prev_hash',
  'hash',
] as const;

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const iso = (column: RawBuilder<unknown>) => sql`to_char(${column} AT TIME ZONE 'UTC', ${sql.raw(ISO)})`;
const quoted = (column: RawBuilder<unknown>) => sql`coalesce('"' || ${column} || '"', 'null')`;

/**
 * The explanation of the revision the entry posts (`e.award_revision`; the award's current one
 * for entries sealed before migration 0015): the entry's `explanation_sha256` commits to it. A
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
  return sql<string>`CASE WHEN ${column} ~ '[",\\r\\n]' THEN '"' || replace(${safe}, '"', '""') || '"' ELSE coalesce(${safe}, '') END`;
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
async function* pagedLines(db: Executor, format: ExportFormat, filter: ledgerRepo.EntryFilter, pageSize: number): AsyncGenerator<string> {
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

/**
 * Strips the framing of a single-column `COPY … (FORMAT binary)` stream and forwards each
 * value's bytes untouched: header (11-byte signature, flags, extension), then per row a field
 * count (int16, -1 ends the data) and the value's int32 length and bytes.
 */
export class BinaryCopyValues extends Transform {
  #pending: Buffer = Buffer.alloc(0);
  #headerDone = false;
  #ended = false;

  /** `prefix` is written first (the CSV header). */
  constructor(prefix = '') {
    super();
    if (prefix) this.push(prefix);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let buf = this.#pending.length ? Buffer.concat([this.#pending, chunk]) : chunk;
    let at = 0;
    if (!this.#headerDone) {
      if (buf.length < 19) return this.#keep(buf, 0, done);
      const extension = buf.readInt32BE(15);
      if (buf.length < 19 + extension) return this.#keep(buf, 0, done);
      at = 19 + extension;
      this.#headerDone = true;
    }
    const values: Buffer[] = [];
    while (!this.#ended && buf.length - at >= 2) {
      const fields = buf.readInt16BE(at);
      if (fields === -1) {
        this.#ended = true;
        at += 2;
        break;
      }
      if (fields !== 1) return done(new Error(`export: expected one column per row, got ${fields}`));
      if (buf.length - at < 6) break;
      const length = buf.readInt32BE(at + 2);
      if (length < 0) return done(new Error('export: unexpected NULL line'));
      if (buf.length - at < 6 + length) break;
      values.push(buf.subarray(at + 6, at + 6 + length));
      at += 6 + length;
    }
    // One push per incoming chunk: the values are copied once, into one buffer.
    if (values.length) this.push(values.length === 1 ? Buffer.from(values[0]!) : Buffer.concat(values));
    buf = buf.subarray(at);
    this.#keep(buf, 0, done);
  }

  override _flush(done: TransformCallback): void {
    if (!this.#ended || this.#pending.length) return done(new Error('export: the COPY stream ended early'));
    done();
  }

  #keep(buf: Buffer, from: number, done: TransformCallback): void {
    // Copy the tail: it must not pin the (large) chunk it came from.
    this.#pending = buf.length - from ? Buffer.from(buf.subarray(from)) : Buffer.alloc(0);
    done();
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
async function copyLines(database: Database, format: ExportFormat, filter: ledgerRepo.EntryFilter, header: string): Promise<Readable> {
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
    await client.query('SET LOCAL jit = off; SET LOCAL enable_sort = off; SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off; SET LOCAL enable_memoize = off');
    const source = client.query(copyTo(`COPY (${text}) TO STDOUT (FORMAT binary)`));
    const values = new BinaryCopyValues(header);
    source.on('error', (err) => {
      release(err);
      values.destroy(err);
    });
    source.on('end', () => {
      client.query('COMMIT').then(() => release(), (err: Error) => release(err));
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

export interface OpenedExport {
  /** The body: pull-based, so it is produced only as fast as it is consumed. */
  stream: Readable;
  /** The chain head when the export started; entries after it are not included. */
  head: { seq: bigint; hash: string };
  /** Entries appended but not yet sealed when the export started (not in it). */
  unsealed: number;
}

export interface ExportOptions {
  pageSize?: number;
}

/**
 * Starts an export. It covers entries up to the chain head as it was when it started (a
 * consistent cut: the journal is append-only and a head is only visible once its entries and
 * lines are committed), whatever is posted while it streams. Errors before the first byte (the
 * query failing to start) reject here; later ones surface as an error on the stream.
 */
export async function openExport(
  database: Database,
  format: ExportFormat,
  filter: ledgerRepo.EntryFilter,
  opts: ExportOptions = {},
): Promise<OpenedExport> {
  const [head, unsealed] = await Promise.all([ledgerRepo.readHead(database.db), ledgerRepo.pendingCount(database.db)]);
  const toSeq = filter.toSeq === undefined || filter.toSeq > head.last_seq ? head.last_seq : filter.toSeq;
  const bounded: ledgerRepo.EntryFilter = { ...filter, toSeq };
  const header = format === 'csv' ? CSV_COLUMNS.join(',') + '\r\n' : '';
  let body: Readable;
  if (database.pool) {
    body = await copyLines(database, format, bounded, header);
  } else {
    const pages = pagedLines(database.db, format, bounded, opts.pageSize ?? EXPORT_PAGE_SIZE);
    const first = await pages.next();
    body = Readable.from(
      (async function* () {
        try {
          if (header) yield header;
          if (first.done) return;
          yield first.value;
          yield* pages;
        } finally {
          await pages.return(undefined);
        }
      })(),
      { objectMode: false },
    );
  }
  return { stream: body, head: { seq: head.last_seq, hash: head.last_hash }, unsealed };
}
