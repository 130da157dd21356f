/**
 * Auditor exports of the journal (SETTLEMENT.md §6: "anyone holding an export can recompute
 * the chain").
 *
 * - NDJSON: one JSON object per journal entry per line, holding exactly the hashed fields
 *   (seq, entry_id, posted_at, kind, fund_id, award_id, memo, lines[{account, amount_ore}]) plus
 *   prev_hash and hash, and an `award` field that is NOT hashed: null, or the award the entry was
 *   posted for with its ids, amounts and explanation. Amounts are JSON integers.
 *   `npm run verify-ledger -- file.ndjson` recomputes the chain from such a file alone.
 * - CSV: one row per journal LINE (entry columns repeated), no explanations.
 *
 * Constant memory whatever the size of the ledger: entries are read by keyset pagination on seq
 * (PAGE_SIZE entries per query, their lines in one query per page, the awards of the page in one
 * query), serialised by an async generator and handed to the caller as a Readable that only pulls
 * the next page when the consumer (the HTTP socket) has drained the previous chunks.
 */
import { Readable } from 'node:stream';
import type { Executor } from '../db/database.js';
import * as ledgerRepo from '../repositories/ledger.js';
import { toChainEntry } from './ledger-audit.js';
import { oreOut } from '../domain/money.js';

export type ExportFormat = 'ndjson' | 'csv';

/** Entries per database query. */
export const EXPORT_PAGE_SIZE = 2000;
/** Serialised records are batched into chunks of about this many characters before being written. */
export const EXPORT_CHUNK_CHARS = 64 * 1024;

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

/** The award beside an exported entry. Not part of the hash: it is context for the auditor. */
export interface ExportedAward {
  id: string;
  rule_id: string;
  rule_version_id: string | null;
  measurement_id: string;
  fund_id: string;
  status: string;
  earned: boolean;
  amount_ore: number;
  payout_total_ore: number;
  retained_ore: number;
  /** The award's current revision (awards are recomputed in place; this may postdate the entry). */
  revision: number;
  computed_at: string;
  /** Raw JSON text of the explanation, written into the line as the `explanation` field. */
  explanation_json: string | null;
}

/** One NDJSON line: the hashed fields as the verifier rebuilds them, prev_hash, hash, and `award`. */
export type ExportedEntry = ReturnType<typeof toChainEntry> & { award: ExportedAward | null };

export interface ExportOptions {
  pageSize?: number;
  chunkChars?: number;
}

type EntryWithLines = Awaited<ReturnType<typeof ledgerRepo.listEntries>>[number];

/** bigint → JSON integer (throws rather than lose precision). */
const int = oreOut;

/** Pages of entries (with their lines) in seq order, by keyset pagination: never more than one page in memory. */
export async function* entryPages(db: Executor, filter: ledgerRepo.EntryFilter, pageSize = EXPORT_PAGE_SIZE): AsyncGenerator<EntryWithLines[]> {
  let after: bigint | null = null;
  for (;;) {
    const page = await ledgerRepo.listEntries(db, filter, after, pageSize);
    if (page.length) yield page;
    if (page.length < pageSize) return;
    after = page[page.length - 1]!.seq;
  }
}

function presentAward(a: ledgerRepo.AwardSummaryRow): ExportedAward {
  return {
    id: a.id,
    rule_id: a.rule_id,
    rule_version_id: a.rule_version_id,
    measurement_id: a.measurement_id,
    fund_id: a.fund_id,
    status: a.status,
    earned: a.earned,
    amount_ore: int(a.amount_ore),
    payout_total_ore: int(a.payout_total_ore),
    retained_ore: int(a.retained_ore),
    revision: a.revision,
    computed_at: a.computed_at.toISOString(),
    explanation_json: a.explanation_json ?? null,
  };
}

/** Entries in the NDJSON shape, page by page (awards of a page fetched in one query). */
export async function* exportedEntries(
  db: Executor,
  filter: ledgerRepo.EntryFilter,
  pageSize = EXPORT_PAGE_SIZE,
): AsyncGenerator<ExportedEntry> {
  for await (const page of entryPages(db, filter, pageSize)) {
    const awardIds = [...new Set(page.flatMap((e) => (e.award_id ? [e.award_id] : [])))];
    const awards = await ledgerRepo.awardSummaries(db, awardIds);
    for (const e of page) {
      const award = e.award_id ? awards.get(e.award_id) : undefined;
      // The hashed fields exactly as the verifier rebuilds them; `award` last.
      yield {
        ...toChainEntry(e),
        award: award ? presentAward(award) : null,
      };
    }
  }
}

/** NDJSON records: JSON.stringify escapes every newline inside strings, so one entry is one line. */
export async function* ndjsonRecords(db: Executor, filter: ledgerRepo.EntryFilter, pageSize = EXPORT_PAGE_SIZE): AsyncGenerator<string> {
  for await (const entry of exportedEntries(db, filter, pageSize)) yield ndjsonLine(entry);
}

/**
 * One entry as a line. The explanation (the bulk of a line) is spliced in as the database's
 * JSON text rather than parsed and re-serialised: half the work and a fraction of the garbage.
 */
export function ndjsonLine(e: ExportedEntry): string {
  const { award, ...rest } = e;
  const head = JSON.stringify(rest).slice(0, -1);
  if (!award) return `${head},"award":null}\n`;
  const { explanation_json, ...summary } = award;
  return `${head},"award":${JSON.stringify(summary).slice(0, -1)},"explanation":${explanation_json ?? 'null'}}}\n`;
}

/** RFC 4180 field: quoted when it holds a comma, quote or line break; null is an empty field. */
export function csvField(v: string | null): string {
  if (v === null) return '';
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** CSV records (CRLF line ends): the header, then one row per journal line. */
export async function* csvRecords(db: Executor, filter: ledgerRepo.EntryFilter, pageSize = EXPORT_PAGE_SIZE): AsyncGenerator<string> {
  yield CSV_COLUMNS.join(',') + '\r\n';
  for await (const page of entryPages(db, filter, pageSize)) {
    for (const e of page) {
      const seq = e.seq.toString();
      const postedAt = e.posted_at.toISOString();
      for (const l of e.lines) {
        yield [
          seq,
          e.id,
          postedAt,
          e.posted_on,
          csvField(e.kind),
          e.fund_id ?? '',
          e.award_id ?? '',
          csvField(e.memo),
          String(l.line_no),
          csvField(l.account),
          l.amount_ore.toString(),
          e.prev_hash,
          e.hash,
        ].join(',') + '\r\n';
      }
    }
  }
}

/** Batches small records into chunks of about `chars` characters (fewer, larger socket writes). */
export async function* inChunks(records: AsyncIterable<string>, chars = EXPORT_CHUNK_CHARS): AsyncGenerator<string> {
  let parts: string[] = [];
  let size = 0;
  for await (const r of records) {
    parts.push(r);
    size += r.length;
    if (size >= chars) {
      yield parts.join('');
      parts = [];
      size = 0;
    }
  }
  if (parts.length) yield parts.join('');
}

/**
 * Produces the first chunk now, so that a failure of the first queries rejects here (and the
 * caller can still answer with a problem), then streams the rest lazily.
 */
async function primed(source: AsyncGenerator<string>): Promise<AsyncGenerator<string>> {
  const first = await source.next();
  return (async function* () {
    try {
      if (first.done) return;
      yield first.value;
      yield* source;
    } finally {
      await source.return(undefined);
    }
  })();
}

export interface OpenedExport {
  /** The body: pull-based, so it is produced only as fast as it is consumed. */
  stream: Readable;
  /** The chain head when the export started; entries after it are not included. */
  head: { seq: bigint; hash: string };
}

/**
 * Starts an export. It covers entries up to the chain head as it was when it started (a
 * consistent snapshot: the journal is append-only and a head is only visible once its entries
 * and lines are committed), whatever is posted while it streams. Rejects if the first page
 * cannot be read; errors after that surface as an error on the stream.
 */
export async function openExport(
  db: Executor,
  format: ExportFormat,
  filter: ledgerRepo.EntryFilter,
  opts: ExportOptions = {},
): Promise<OpenedExport> {
  const head = await ledgerRepo.readHead(db);
  const toSeq = filter.toSeq === undefined || filter.toSeq > head.last_seq ? head.last_seq : filter.toSeq;
  const bounded: ledgerRepo.EntryFilter = { ...filter, toSeq };
  const pageSize = opts.pageSize ?? EXPORT_PAGE_SIZE;
  const records = format === 'ndjson' ? ndjsonRecords(db, bounded, pageSize) : csvRecords(db, bounded, pageSize);
  const body = await primed(inChunks(records, opts.chunkChars ?? EXPORT_CHUNK_CHARS));
  // Byte mode: the readable buffers at most its highWaterMark before it stops pulling the generator.
  return { stream: Readable.from(body, { objectMode: false }), head: { seq: head.last_seq, hash: head.last_hash } };
}
