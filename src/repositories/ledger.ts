import { sql, type Insertable, type Selectable } from 'kysely';
import type { Executor } from '../db/database.js';
import { BULK_CHUNK, insertRows, unnestRows, type BulkColumn } from '../db/bulk.js';
import type {
  JournalEntriesTable,
  JournalLinesTable,
  JournalPendingTable,
  LedgerAccountsTable,
  LedgerCheckpointsTable,
  LedgerHeadTable,
} from '../db/schema.js';

export type HeadRow = Pick<Selectable<LedgerHeadTable>, 'last_seq' | 'last_hash'>;

/**
 * Locks the chain head: held only by the sealer (one sealing transaction at a time, in any
 * process), never by a posting transaction (docs/LEDGER.md).
 */
export async function lockHead(db: Executor): Promise<HeadRow> {
  return db.selectFrom('ledger_head').select(['last_seq', 'last_hash']).where('id', '=', 1).forUpdate().executeTakeFirstOrThrow();
}

/** The head if no other transaction holds it (another sealer is at work: null). */
export async function tryLockHead(db: Executor): Promise<HeadRow | null> {
  const row = await db.selectFrom('ledger_head').select(['last_seq', 'last_hash']).where('id', '=', 1).forUpdate().skipLocked().executeTakeFirst();
  return row ?? null;
}

/**
 * Serialises money decisions per fund (funding in acceptance order, payment runs): a row lock on
 * each fund, taken in id order so two transactions never wait for each other in a cycle. `FOR NO
 * KEY UPDATE` does not block the key-share locks of foreign-key checks on the fund.
 */
export async function lockFunds(db: Executor, fundIds: Iterable<string>): Promise<void> {
  const ids = [...new Set(fundIds)].sort();
  if (!ids.length) return;
  await sql`SELECT id FROM funds WHERE id = any(${ids}::uuid[]) ORDER BY id FOR NO KEY UPDATE`.execute(db);
}

export async function readHead(db: Executor): Promise<HeadRow> {
  return db.selectFrom('ledger_head').select(['last_seq', 'last_hash']).where('id', '=', 1).executeTakeFirstOrThrow();
}

export async function updateHead(db: Executor, head: HeadRow): Promise<void> {
  await db.updateTable('ledger_head').set({ last_seq: head.last_seq, last_hash: head.last_hash }).where('id', '=', 1).execute();
}

export async function ensureAccounts(
  db: Executor,
  accounts: Array<Pick<Selectable<LedgerAccountsTable>, 'code' | 'fund_id' | 'type' | 'institution_id'>>,
): Promise<void> {
  if (!accounts.length) return;
  await db
    .insertInto('ledger_accounts')
    .values(accounts)
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
}

/** A journal entry; `canonical` is the RFC 8785 text that was hashed (hash = SHA-256(prev_hash ‖ canonical)). */
export type EntryRow = Selectable<JournalEntriesTable>;
export type LineRow = Selectable<JournalLinesTable>;

const ENTRY_COLUMNS: ReadonlyArray<BulkColumn<EntryRow>> = [
  ['seq', 'bigint'],
  ['id', 'uuid'],
  ['posted_at', 'timestamptz'],
  ['posted_on', 'date'],
  ['kind', 'text'],
  ['fund_id', 'uuid'],
  ['award_id', 'uuid'],
  ['memo', 'text'],
  ['prev_hash', 'text'],
  ['hash', 'text'],
  ['canonical', 'text', { joined: true }],
  ['appended_at', 'timestamptz'],
  ['sealed_at', 'timestamptz'],
  ['award_revision', 'int'],
  ['explanation_sha256', 'text'],
];
const LINE_COLUMNS: ReadonlyArray<BulkColumn<LineRow>> = [
  ['entry_seq', 'bigint'],
  ['line_no', 'int'],
  ['account', 'text'],
  ['amount_ore', 'bigint'],
];

export async function insertEntries(db: Executor, entries: EntryRow[], lines: LineRow[]): Promise<void> {
  await insertRows(db, 'journal_entries', ENTRY_COLUMNS, entries);
  await insertRows(db, 'journal_lines', LINE_COLUMNS, lines);
}

type Pending = Selectable<JournalPendingTable>;

/** An entry as appended, before it is sealed: no seq, no hash; its lines as JSON text (amounts as integer text). */
export type PendingRow = Omit<Pending, 'append_no' | 'appended_at' | 'lines'> & Required<Pick<Insertable<JournalPendingTable>, 'lines'>>;

const PENDING_COLUMNS: ReadonlyArray<BulkColumn<PendingRow>> = [
  ['id', 'uuid'],
  ['posted_at', 'timestamptz'],
  ['posted_on', 'date'],
  ['kind', 'text'],
  ['fund_id', 'uuid'],
  ['award_id', 'uuid'],
  ['award_revision', 'int'],
  ['explanation_sha256', 'text'],
  ['memo', 'text'],
  ['lines', 'json'],
];

/**
 * Appends entries without seq or hash; no lock on any head. `append_no` is drawn from a sequence
 * row by row in the given order (an unnest scan keeps it), so one transaction's entries keep
 * their order when sealed.
 */
export async function appendPending(db: Executor, rows: PendingRow[]): Promise<void> {
  const names = sql.join(PENDING_COLUMNS.map(([name]) => sql.ref(name)));
  for (let i = 0; i < rows.length; i += BULK_CHUNK) {
    const part = rows.slice(i, i + BULK_CHUNK);
    await sql`INSERT INTO journal_pending (append_no, ${names})
      SELECT nextval('journal_append_no'), v.* FROM (${unnestRows(PENDING_COLUMNS, part)}) v`.execute(db);
  }
}

/** A pending entry as the sealer reads it, with `now`: PostgreSQL's clock when the batch was read (the entries' `sealed_at`). */
export type PendingEntry = Pending & { now: Date };

/** The oldest committed pending entries, in append order (the sealer's next batch). */
export async function pendingBatch(db: Executor, limit: number): Promise<PendingEntry[]> {
  // Raw SQL: the database's clock_timestamp() beside the rows.
  const { rows } = await sql<PendingEntry>`
    SELECT id, append_no, appended_at, posted_at, to_char(posted_on, 'YYYY-MM-DD') AS posted_on, kind, fund_id, award_id,
           award_revision, explanation_sha256, memo, lines, clock_timestamp() AS now
      FROM journal_pending ORDER BY append_no LIMIT ${limit}`.execute(db);
  return rows.map((r) => ({ ...r, append_no: BigInt(r.append_no) }));
}

/** Removes sealed entries from the pending table (its trigger refuses any not sealed). */
export async function deletePending(db: Executor, ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += BULK_CHUNK) {
    await sql`DELETE FROM journal_pending WHERE id = any(${ids.slice(i, i + BULK_CHUNK)}::uuid[])`.execute(db);
  }
}

/** Entries appended but not sealed yet (committed ones). */
export async function pendingCount(db: Executor): Promise<number> {
  const { rows } = await sql<{ n: string }>`SELECT count(*)::text AS n FROM journal_pending`.execute(db);
  return Number(rows[0]!.n);
}

export async function anyPending(db: Executor): Promise<boolean> {
  const { rows } = await sql<{ one: number }>`SELECT 1 AS one FROM journal_pending LIMIT 1`.execute(db);
  return rows.length > 0;
}

/** p50/p99 of sealed_at − appended_at (ms) over the last `window` sealed entries; nulls when none. */
export async function sealLag(db: Executor, window = 10_000): Promise<{ p50: number | null; p99: number | null; n: number }> {
  const { rows } = await sql<{ p50: number | null; p99: number | null; n: string }>`
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY lag) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY lag) AS p99,
           count(*)::text AS n
      FROM (SELECT (extract(epoch FROM e.sealed_at - e.appended_at) * 1000)::float8 AS lag
              FROM journal_entries e
             WHERE e.seq > (SELECT last_seq FROM ledger_head WHERE id = 1) - ${window} AND e.sealed_at IS NOT NULL) t`.execute(db);
  const r = rows[0]!;
  return { p50: r.p50 === null ? null : Number(r.p50), p99: r.p99 === null ? null : Number(r.p99), n: Number(r.n) };
}

/** Applies balance deltas in one statement; the CHECK constraints refuse a negative `available`. */
export async function applyBalanceDeltas(db: Executor, deltas: Map<string, bigint>): Promise<void> {
  const codes = [...deltas.keys()];
  if (!codes.length) return;
  const amounts = codes.map((c) => deltas.get(c)!.toString());
  await sql`
    update ledger_accounts a set balance_ore = a.balance_ore + v.delta::bigint
    from (select unnest(${codes}::text[]) as code, unnest(${amounts}::text[]) as delta) v
    where a.code = v.code`.execute(db);
}

export async function balances(db: Executor, codes: string[]): Promise<Map<string, bigint>> {
  const out = new Map<string, bigint>();
  if (!codes.length) return out;
  const rows = await db.selectFrom('ledger_accounts').select(['code', 'balance_ore']).where('code', 'in', codes).execute();
  for (const r of rows) out.set(r.code, r.balance_ore);
  return out;
}

/** Balances of a fund's accounts, by type, with payables summed. */
export async function fundBalances(db: Executor, fundId: string) {
  const rows = await db
    .selectFrom('ledger_accounts')
    .select(['type', sql<string>`sum(balance_ore)`.as('balance')])
    .where('fund_id', '=', fundId)
    .groupBy('type')
    .execute();
  const by = new Map(rows.map((r) => [r.type, BigInt(r.balance)]));
  return {
    available: by.get('available') ?? 0n,
    reserved: by.get('reserved') ?? 0n,
    payable: by.get('payable') ?? 0n,
    funders: by.get('funders') ?? 0n,
    paid_out: by.get('paid_out') ?? 0n,
  };
}

export async function payableBalancesOfFund(db: Executor, fundId: string) {
  return db
    .selectFrom('ledger_accounts')
    .select(['code', 'institution_id', 'balance_ore'])
    .where('fund_id', '=', fundId)
    .where('type', '=', 'payable')
    .execute();
}

/** Payable balances of an institution across funds. */
export async function institutionPayable(db: Executor, institutionId: string) {
  const rows = await db
    .selectFrom('ledger_accounts')
    .select(['fund_id', 'code', 'balance_ore'])
    .where('institution_id', '=', institutionId)
    .where('type', '=', 'payable')
    .execute();
  return rows;
}

/** Σ of lines on these accounts from entries posted on or before a date. */
export async function balancesAsOf(db: Executor, codes: string[], onOrBefore: string): Promise<Map<string, bigint>> {
  const out = new Map<string, bigint>();
  if (!codes.length) return out;
  const rows = await db
    .selectFrom('journal_lines as l')
    .innerJoin('journal_entries as e', 'e.seq', 'l.entry_seq')
    .select(['l.account', sql<string>`sum(l.amount_ore)`.as('sum')])
    .where('l.account', 'in', codes)
    .where('e.posted_on', '<=', onOrBefore)
    .groupBy('l.account')
    .execute();
  for (const r of rows) out.set(r.account, BigInt(r.sum));
  return out;
}

export interface EntryFilter {
  fundId?: string | undefined;
  institutionId?: string | undefined;
  account?: string | undefined;
  awardId?: string | undefined;
  fromSeq?: bigint | undefined;
  toSeq?: bigint | undefined;
  fromDate?: string | undefined;
  toDate?: string | undefined;
}

/** Journal entries (as `e`) matching a filter; callers add the selection, order and limit. */
export function filteredEntries(db: Executor, filter: EntryFilter) {
  let q = db.selectFrom('journal_entries as e');
  if (filter.fundId) q = q.where('e.fund_id', '=', filter.fundId);
  if (filter.awardId) q = q.where('e.award_id', '=', filter.awardId);
  if (filter.fromSeq !== undefined) q = q.where('e.seq', '>=', filter.fromSeq);
  if (filter.toSeq !== undefined) q = q.where('e.seq', '<=', filter.toSeq);
  if (filter.fromDate) q = q.where('e.posted_on', '>=', filter.fromDate);
  if (filter.toDate) q = q.where('e.posted_on', '<=', filter.toDate);
  if (filter.account || filter.institutionId) {
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('journal_lines as l')
          .innerJoin('ledger_accounts as a', 'a.code', 'l.account')
          .select(sql`1`.as('one'))
          .whereRef('l.entry_seq', '=', 'e.seq')
          .$if(!!filter.account, (w) => w.where('l.account', '=', filter.account!))
          .$if(!!filter.institutionId, (w) => w.where('a.institution_id', '=', filter.institutionId!)),
      ),
    );
  }
  return q;
}

/** Journal entries in sequence order, with their lines, for reading and verification. */
export async function listEntries(db: Executor, filter: EntryFilter, afterSeq: bigint | null, limit: number) {
  let q = filteredEntries(db, filter).selectAll('e').orderBy('e.seq').limit(limit);
  if (afterSeq !== null) q = q.where('e.seq', '>', afterSeq);
  const entries = await q.execute();
  const lines = await linesOf(
    db,
    entries.map((e) => e.seq),
  );
  return entries.map((e) => ({ ...e, lines: lines.get(e.seq.toString()) ?? [] }));
}

export async function linesOf(db: Executor, seqs: bigint[]): Promise<Map<string, LineRow[]>> {
  const out = new Map<string, LineRow[]>();
  if (!seqs.length) return out;
  const rows = await db.selectFrom('journal_lines').selectAll().where('entry_seq', 'in', seqs).orderBy('entry_seq').orderBy('line_no').execute();
  for (const r of rows) {
    const key = r.entry_seq.toString();
    const list = out.get(key) ?? [];
    list.push(r);
    out.set(key, list);
  }
  return out;
}

/** The stored hash of the entry numbered `seq`, if there is one. */
export async function entryHash(db: Executor, seq: bigint): Promise<string | undefined> {
  return (await db.selectFrom('journal_entries').select('hash').where('seq', '=', seq).executeTakeFirst())?.hash;
}

/** Every line on these accounts posted on or before `onOrBefore`, with its entry, in posting order. */
export async function movementsOf(db: Executor, codes: string[], onOrBefore: string) {
  if (!codes.length) return [];
  return db
    .selectFrom('journal_lines as l')
    .innerJoin('journal_entries as e', 'e.seq', 'l.entry_seq')
    .select(['e.seq', 'e.posted_on', 'e.kind', 'e.fund_id', 'e.award_id', 'e.memo', 'l.amount_ore'])
    .where('l.account', 'in', codes)
    .where('e.posted_on', '<=', onOrBefore)
    .orderBy('e.seq')
    .execute();
}

/** A signed checkpoint as stored (docs/LEDGER.md). */
export type CheckpointRow = Selectable<LedgerCheckpointsTable>;

export async function lastCheckpoint(db: Executor): Promise<CheckpointRow | undefined> {
  return db.selectFrom('ledger_checkpoints').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirst();
}

export async function insertCheckpoint(db: Executor, c: Omit<CheckpointRow, 'created_at'>): Promise<void> {
  await db.insertInto('ledger_checkpoints').values(c).execute();
}

/** Checkpoints in seq order after `afterSeq`, at most `limit`. */
export async function listCheckpoints(db: Executor, afterSeq: bigint | null, limit: number): Promise<CheckpointRow[]> {
  let q = db.selectFrom('ledger_checkpoints').selectAll().orderBy('seq').limit(limit);
  if (afterSeq !== null) q = q.where('seq', '>', afterSeq);
  return q.execute();
}
