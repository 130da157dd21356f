/**
 * Auditor exports of the journal (SETTLEMENT.md §6: "anyone holding an export can recompute
 * the chain").
 *
 * - NDJSON: one JSON object per journal entry per line: `prev_hash`, `hash`, `award` (NOT
 *   hashed: null, or the award revision the entry posts — the award's ids, that revision's
 *   amounts, `revision`, `computed_at` and explanation, stored once per revision, D168), then
 *   exactly the hashed fields (seq, entry_id, posted_at, kind, fund_id, award_id, memo,
 *   lines[{account, amount_ore}] and, for entries sealed since migration 0018,
 *   explanation_sha256 — docs/LEDGER.md) written as the very RFC 8785 text that was hashed
 *   (stored with each entry, checked against its lines by GET /v1/ledger/verify). Amounts are
 *   JSON integers. `npm run verify-ledger -- file.ndjson` recomputes the chain from such a file alone.
 * - CSV: one row per journal LINE (entry columns repeated), no explanations, CRLF line ends.
 *
 * PostgreSQL writes every line, or (NDJSON) every part of it, and the process only puts bytes
 * together (SQL and line assembly: src/repositories/exports.ts): on a PostgreSQL server through one
 * `COPY … TO STDOUT (FORMAT binary)` whose framing is stripped as it streams, so a value is never
 * parsed or re-encoded in JavaScript; on the embedded PGlite by keyset pages of the same lines.
 * Either way the body is pulled only as fast as the client reads it (backpressure), so memory
 * stays constant whatever the size of the ledger.
 */
import { Readable } from 'node:stream';
import type { Database } from '../db/database.js';
import * as ledgerRepo from '../repositories/ledger.js';
import { copyExportLines, exportPages, type ExportFormat } from '../repositories/exports.js';

export type { ExportFormat } from '../repositories/exports.js';

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
 * Starts an export. It covers the sealed entries up to the chain head as it was when it started (a
 * consistent cut: the journal is append-only and a head is only visible once its entries and
 * lines are committed), whatever is posted while it streams. Errors before the first byte (the
 * query failing to start) reject here; later ones surface as an error on the stream.
 */
export async function openExport(database: Database, format: ExportFormat, filter: ledgerRepo.EntryFilter, opts: ExportOptions = {}): Promise<OpenedExport> {
  const [head, unsealed] = await Promise.all([ledgerRepo.readHead(database.db), ledgerRepo.pendingCount(database.db)]);
  const toSeq = filter.toSeq === undefined || filter.toSeq > head.last_seq ? head.last_seq : filter.toSeq;
  const bounded: ledgerRepo.EntryFilter = { ...filter, toSeq };
  const header = format === 'csv' ? CSV_COLUMNS.join(',') + '\r\n' : '';
  let body: Readable;
  if (database.exportPool) {
    body = await copyExportLines(database, format, bounded, header);
  } else {
    const pages = exportPages(database.db, format, bounded, opts.pageSize ?? EXPORT_PAGE_SIZE);
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

/** Exports as a service: the process's database (a server's pool streams by COPY; PGlite by pages). */
export class ExportService {
  constructor(private readonly database: Database) {}

  open(format: ExportFormat, filter: ledgerRepo.EntryFilter, opts: ExportOptions = {}): Promise<OpenedExport> {
    return openExport(this.database, format, filter, opts);
  }
}
