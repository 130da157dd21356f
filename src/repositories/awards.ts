import { sql, type Selectable, type Updateable } from 'kysely';
import type { Executor } from '../db/database.js';
import { anyUuid, anyUuidIndexed } from '../db/any.js';
import { BULK_CHUNK, insertRows, unnestRows, type BulkColumn } from '../db/bulk.js';
import type { AwardPayeesTable, AwardRevisionsTable, AwardStatus, AwardsTable } from '../db/schema.js';
import type { PayeeMoney } from '../settlement/lifecycle.js';
import { awardExportHead } from '../ledger/award-fragment.js';

/** An award row as read (every column but the explanation, read on its own, and the export head, read by exports), derived from the table. */
export type AwardRow = Omit<Selectable<AwardsTable>, 'explanation' | 'export_head'>;

const columns = [
  'id',
  'rule_id',
  'measurement_id',
  'fund_id',
  'child_id',
  'measurement_seq',
  'rule_version_id',
  'status',
  'earned',
  'amount_ore',
  'payout_total_ore',
  'retained_ore',
  'reserved_ore',
  'reserve_target_ore',
  'open_objections',
  'revision',
  'result_hash',
  'explanation_sha256',
  'provisional_since',
  'review_until',
  'finalised_at',
  'computed_at',
  'created_at',
] as const;

export type AwardWithPayees = AwardRow & { payees: PayeeMoney[] };

async function withPayees(db: Executor, awards: AwardRow[]): Promise<AwardWithPayees[]> {
  if (!awards.length) return [];
  const rows = await db
    .selectFrom('award_payees')
    .select(['award_id', 'institution_id', 'amount_ore', 'payable_ore'])
    .where(
      anyUuidIndexed(
        'award_id',
        awards.map((a) => a.id),
      ),
    )
    .orderBy('institution_id')
    .execute();
  const by = new Map<string, PayeeMoney[]>();
  for (const r of rows) {
    const list = by.get(r.award_id) ?? [];
    list.push({ institutionId: r.institution_id, amount: r.amount_ore, payable: r.payable_ore });
    by.set(r.award_id, list);
  }
  return awards.map((a) => ({ ...a, payees: by.get(a.id) ?? [] }));
}

/** The current awards of these measurements, locked for update. */
export async function forMeasurements(db: Executor, measurementIds: string[]): Promise<AwardWithPayees[]> {
  if (!measurementIds.length) return [];
  const rows = await db.selectFrom('awards').select(columns).where(anyUuidIndexed('measurement_id', measurementIds)).orderBy('id').forUpdate().execute();
  return withPayees(db, rows);
}

/** The current awards of these (rule, child) pairs (composite rules, §11), locked for update. */
export async function forRuleChildren(db: Executor, pairs: ReadonlyArray<{ rule_id: string; child_id: string }>): Promise<AwardWithPayees[]> {
  if (!pairs.length) return [];
  const rows = await db
    .selectFrom('awards')
    .select(columns)
    .where(sql<boolean>`(rule_id, child_id) in (select * from unnest(${pairs.map((p) => p.rule_id)}::uuid[], ${pairs.map((p) => p.child_id)}::uuid[]))`)
    .orderBy('id')
    .forUpdate()
    .execute();
  return withPayees(db, rows);
}

export async function get(db: Executor, id: string, lock = false): Promise<AwardWithPayees | undefined> {
  let q = db.selectFrom('awards').select(columns).where('id', '=', id);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? (await withPayees(db, [row]))[0] : undefined;
}

export async function explanationOf(db: Executor, id: string): Promise<unknown> {
  const row = await db.selectFrom('awards').select('explanation').where('id', '=', id).executeTakeFirst();
  return row?.explanation;
}

/**
/**
 * An award row as settlement writes it: every computed column, the id optional (new rows may get
 * one) and the revision apart. The planner's PlannedAward is passed as one (so the compiler checks
 * it against the table). `explanation_text` (the explanation's RFC 8785 text, D167) is what is
 * stored as `explanation`; `explanation_sha256` its digest (docs/LEDGER.md); `export_head` is
 * built here from the row (D168).
 */
export type AwardWrite = Omit<Selectable<AwardsTable>, 'id' | 'revision' | 'open_objections' | 'computed_at' | 'created_at' | 'export_head'> & {
  id?: string;
  explanation_text: string;
};

/**
 * Updates an award's hold and status (objections). A new result — amounts, explanation, hash —
 * is only ever written by `upsertMany`, with its revision.
 */
export async function update(db: Executor, id: string, a: Pick<Updateable<AwardsTable>, 'open_objections' | 'status'>): Promise<void> {
  await db.updateTable('awards').set(a).where('id', '=', id).execute();
}

/**
 * Awards of a fund waiting for (more) reservation, in funding order (§6): acceptance order of their
 * measurement identity; the same place, in the order their rules were created (`rules.ordinal`).
 */
export async function awaitingFunds(db: Executor, fundId: string, limit: number) {
  return db
    .selectFrom('awards')
    .select(columns)
    .where('fund_id', '=', fundId)
    .where(sql<boolean>`reserved_ore < reserve_target_ore`)
    .orderBy('measurement_seq')
    .orderBy(sql`(SELECT r.ordinal FROM rules r WHERE r.id = awards.rule_id)`)
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function fundsWithAwaiting(db: Executor): Promise<string[]> {
  const rows = await db
    .selectFrom('awards')
    .select('fund_id')
    .distinct()
    .where(sql<boolean>`reserved_ore < reserve_target_ore`)
    .execute();
  return rows.map((r) => r.fund_id);
}

/** Where a finalisation pass has got to in the `awards_due` order (exclusive). */
export interface FinaliseCursor {
  /** `review_until` as PostgreSQL's own text, so the cursor keeps its full precision. */
  dueAt: string;
  seq: bigint;
  id: string;
}

/**
 * Funded, unheld, provisional awards whose review window has passed (or any, when `now` is
 * null), in the order of the `awards_due` index — first due first, then acceptance order —
 * after `after`. Following the index with a cursor keeps each batch's cost its own size
 * (migration 0009); awards another finaliser holds are skipped, not waited for.
 */
export async function finalisable(
  db: Executor,
  opts: {
    now: Date | null;
    fundId?: string | undefined;
    awardIds?: string[] | undefined;
    /** Only awards whose review window ends on or before this calendar date in `timeZone`. */
    dueBy?: { date: string; timeZone: string } | undefined;
    after?: FinaliseCursor | null;
    limit: number;
  },
): Promise<{ awards: AwardWithPayees[]; next: FinaliseCursor | null }> {
  // `provisional` implies funded and unheld (`statusOf`); those conditions are checked on the
  // rows, not filtered in SQL, where they misled the planner into a full sort (DECISIONS 56).
  let q = db
    .selectFrom('awards')
    .select(columns)
    .select(sql<string>`review_until::text`.as('due_cursor'))
    .where('status', '=', 'provisional')
    .orderBy('review_until')
    .orderBy('measurement_seq')
    .orderBy('id')
    .limit(opts.limit)
    .forUpdate()
    .skipLocked();
  if (opts.now) q = q.where('review_until', '<=', opts.now);
  // The first instant of the next day there: a constant, so the walk still follows the index.
  if (opts.dueBy) q = q.where('review_until', '<', sql<Date>`((${opts.dueBy.date}::date + 1)::timestamp at time zone ${opts.dueBy.timeZone})`);
  if (opts.fundId) q = q.where('fund_id', '=', opts.fundId);
  if (opts.awardIds) q = q.where('id', 'in', opts.awardIds.length ? opts.awardIds : ['00000000-0000-0000-0000-000000000000']);
  if (opts.after) {
    const { dueAt, seq, id } = opts.after;
    q = q.where(sql<boolean>`(review_until, measurement_seq, id) > (${dueAt}::timestamptz, ${seq}, ${id}::uuid)`);
  }
  // A list of ids is looked up by key; otherwise this one statement must follow the index.
  const rows = opts.awardIds ? await q.execute() : await followingIndexes(db, () => q.execute());
  for (const a of rows) {
    if (a.open_objections !== 0 || a.reserve_target_ore <= 0n || a.reserved_ore !== a.reserve_target_ore) {
      throw new Error(`award ${a.id} is provisional but not funded and unheld: its status is inconsistent`);
    }
  }
  const last = rows.at(-1);
  const next = last ? { dueAt: last.due_cursor, seq: last.measurement_seq, id: last.id } : null;
  const awards = rows.map(({ due_cursor: _, ...row }) => row);
  return { awards: await withPayees(db, awards), next };
}

/** The fund of each of these awards that exists. */
export async function fundsOf(db: Executor, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('awards').select(['id', 'fund_id']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.fund_id]));
}

/**
 * Runs one statement with sequential scans, sorts and JIT off, then restores the transaction's
 * settings (later statements, such as the payee lookup, need their sorts).
 */
async function followingIndexes<T>(db: Executor, run: () => Promise<T>): Promise<T> {
  const { rows } = await sql<{ seqscan: string; sort: string; jit: string }>`
    select current_setting('enable_seqscan') as seqscan, current_setting('enable_sort') as sort, current_setting('jit') as jit`.execute(db);
  const before = rows[0]!;
  await sql`select set_config('enable_seqscan', 'off', true), set_config('enable_sort', 'off', true), set_config('jit', 'off', true)`.execute(db);
  const out = await run();
  await sql`select set_config('enable_seqscan', ${before.seqscan}, true), set_config('enable_sort', ${before.sort}, true), set_config('jit', ${before.jit}, true)`.execute(
    db,
  );
  return out;
}

export interface AwardFilter {
  fundId?: string | undefined;
  institutionId?: string | undefined;
  childId?: string | undefined;
  ruleId?: string | undefined;
  measurementId?: string | undefined;
  status?: AwardStatus | undefined;
}

export async function list(db: Executor, filter: AwardFilter, after: string | null, limit: number) {
  let q = db.selectFrom('awards').select(columns).orderBy('id').limit(limit);
  if (filter.fundId) q = q.where('fund_id', '=', filter.fundId);
  if (filter.childId) q = q.where('child_id', '=', filter.childId);
  if (filter.ruleId) q = q.where('rule_id', '=', filter.ruleId);
  if (filter.measurementId) q = q.where('measurement_id', '=', filter.measurementId);
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.institutionId) {
    const inst = filter.institutionId;
    q = q.where('id', 'in', (eb) => eb.selectFrom('award_payees').select('award_id').where('institution_id', '=', inst));
  }
  if (after) q = q.where('id', '>', after);
  return withPayees(db, await q.execute());
}

export async function involvesInstitution(db: Executor, awardId: string, institutionId: string): Promise<boolean> {
  const row = await db
    .selectFrom('award_payees')
    .select('award_id')
    .where('award_id', '=', awardId)
    .where('institution_id', '=', institutionId)
    .executeTakeFirst();
  return !!row;
}

/** Every computed result of an award; the current one's explanation is read from the award. */
export async function revisionsOf(db: Executor, awardId: string) {
  return db
    .selectFrom('award_revisions as r')
    .innerJoin('awards as a', 'a.id', 'r.award_id')
    .select([
      'r.award_id',
      'r.revision',
      'r.earned',
      'r.amount_ore',
      'r.retained_ore',
      'r.payouts',
      sql<unknown>`coalesce(r.explanation, case when r.revision = a.revision then a.explanation end)`.as('explanation'),
      'r.computed_at',
    ])
    .where('r.award_id', '=', awardId)
    .orderBy('r.revision')
    .execute();
}

const CHUNK = 1000;

type AwardUpsert = AwardWrite & Pick<AwardRow, 'id' | 'revision'>;
type AwardInsert = AwardUpsert & Pick<AwardRow, 'computed_at'> & { export_head: string };

const AWARD_COLUMNS: ReadonlyArray<BulkColumn<AwardInsert>> = [
  ['id', 'uuid'],
  ['rule_id', 'uuid'],
  ['measurement_id', 'uuid'],
  ['fund_id', 'uuid'],
  ['child_id', 'uuid'],
  ['measurement_seq', 'bigint'],
  ['rule_version_id', 'uuid'],
  ['status', 'text'],
  ['earned', 'boolean'],
  ['amount_ore', 'bigint'],
  ['payout_total_ore', 'bigint'],
  ['retained_ore', 'bigint'],
  ['reserved_ore', 'bigint'],
  ['reserve_target_ore', 'bigint'],
  ['result_hash', 'text'],
  ['explanation_text', 'json'],
  ['explanation_sha256', 'text'],
  ['export_head', 'text', { joined: true }],
  ['provisional_since', 'timestamptz'],
  ['review_until', 'timestamptz'],
  ['finalised_at', 'timestamptz'],
  ['revision', 'int'],
  ['computed_at', 'timestamptz'],
];

/** Columns an upsert overwrites on an existing award (everything computed; not objections or ids). */
const RECOMPUTED = [
  'rule_version_id',
  'status',
  'earned',
  'amount_ore',
  'payout_total_ore',
  'retained_ore',
  'reserved_ore',
  'reserve_target_ore',
  'result_hash',
  'explanation',
  'explanation_sha256',
  'export_head',
  'provisional_since',
  'review_until',
  'finalised_at',
  'revision',
  'computed_at',
] as const;

/**
 * Writes many computed awards (in chunks, one array parameter per column), all `computed_at` =
 * `now` (the service's clock). An award at revision 1 is new — the planner found no current award
 * for its rule and measurement (or composite pair), under the locks settlement holds — and is
 * inserted plainly: no speculative insertion and no update triggers for `on conflict` (D211). Should
 * such a row exist after all, the insert fails on the unique key and the job's transaction rolls
 * back; nothing is overwritten unseen. Later revisions overwrite the existing award (same rule and
 * measurement) with their recomputed state.
 */
export async function upsertMany(db: Executor, rows: AwardUpsert[], now: Date): Promise<void> {
  if (!rows.length) return;
  // The explanation is stored as the planner's RFC 8785 text (no second serialisation here), and
  // the award's export head beside it (D168).
  const fresh: AwardInsert[] = [];
  const recomputed: AwardInsert[] = [];
  for (const a of rows) {
    const v: AwardInsert = { ...a, computed_at: now, export_head: '' };
    v.export_head = awardExportHead(v);
    (v.revision === 1 ? fresh : recomputed).push(v);
  }
  const names = sql.join(AWARD_COLUMNS.map(([name]) => sql.ref(name === 'explanation_text' ? 'explanation' : name)));
  for (let i = 0; i < fresh.length; i += BULK_CHUNK) {
    await sql`INSERT INTO awards (${names}) ${unnestRows(AWARD_COLUMNS, fresh.slice(i, i + BULK_CHUNK))}`.execute(db);
  }
  const updates = sql.join(RECOMPUTED.map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`));
  for (let i = 0; i < recomputed.length; i += BULK_CHUNK) {
    await sql`INSERT INTO awards (${names}) ${unnestRows(AWARD_COLUMNS, recomputed.slice(i, i + BULK_CHUNK))}
      ON CONFLICT (rule_id, measurement_id) DO UPDATE SET ${updates}`.execute(db);
  }
}

/**
 * Before these awards are overwritten with a new result, their current explanation and export
 * head move to their current revision row, which held neither while it was current (stored once:
 * migrations 0006, 0024).
 */
export async function keepSupersededExplanations(db: Executor, awardIds: string[]): Promise<void> {
  for (let i = 0; i < awardIds.length; i += BULK_CHUNK) {
    await sql`
      UPDATE award_revisions r SET explanation = a.explanation, export_head = a.export_head
        FROM awards a
       WHERE a.id = any(${awardIds.slice(i, i + BULK_CHUNK)}::uuid[]) AND r.award_id = a.id AND r.revision = a.revision`.execute(db);
  }
}

type PayeeRow = Selectable<AwardPayeesTable>;
const PAYEE_COLUMNS: ReadonlyArray<BulkColumn<PayeeRow>> = [
  ['award_id', 'uuid'],
  ['institution_id', 'uuid'],
  ['amount_ore', 'bigint'],
  ['payable_ore', 'bigint'],
];

/**
 * Each award's payees, replacing those it had. Only `existing` (awards stored before this
 * transaction; new awards have none) are looked up to delete their old payees (D211).
 */
export async function replacePayeesMany(db: Executor, byAward: Map<string, PayeeMoney[]>, existing: readonly string[]): Promise<void> {
  for (let i = 0; i < existing.length; i += BULK_CHUNK) {
    await db
      .deleteFrom('award_payees')
      .where(anyUuid('award_id', existing.slice(i, i + BULK_CHUNK)))
      .execute();
  }
  const rows = [...byAward].flatMap(([award_id, payees]) =>
    payees.map((p) => ({ award_id, institution_id: p.institutionId, amount_ore: p.amount, payable_ore: p.payable })),
  );
  await insertRows(db, 'award_payees', PAYEE_COLUMNS, rows);
}

/** A revision row as settlement writes it (the planner's PlannedRevision is one); its explanation and export head stay on the award until superseded. */
export type RevisionWrite = Omit<Selectable<AwardRevisionsTable>, 'explanation' | 'export_head' | 'computed_at'>;

type RevisionRow = Omit<RevisionWrite, 'payouts'> & { payouts: string };
const REVISION_COLUMNS: ReadonlyArray<BulkColumn<RevisionRow>> = [
  ['award_id', 'uuid'],
  ['revision', 'int'],
  ['earned', 'boolean'],
  ['amount_ore', 'bigint'],
  ['retained_ore', 'bigint'],
  ['payouts', 'json'],
];

/** A revision row per computed result; its explanation stays on the award until superseded. */
export async function insertRevisions(db: Executor, rows: RevisionWrite[]): Promise<void> {
  await insertRows(
    db,
    'award_revisions',
    REVISION_COLUMNS,
    rows.map((r) => ({ ...r, payouts: JSON.stringify(r.payouts) })),
  );
}

/**
 * Funding: sets each award's reservation and status in one statement. The second test on `a.id`
 * (the same ids) makes PostgreSQL find the rows by primary key instead of hash-joining them to a
 * sequential scan of `awards` (D205).
 */
export async function setReservations(db: Executor, rows: Array<{ id: string; reserved: bigint; status: AwardStatus }>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    const ids = part.map((r) => r.id);
    await sql`
      update awards a set reserved_ore = v.reserved::bigint, status = v.status
      from (select unnest(${ids}::uuid[]) as id,
                   unnest(${part.map((r) => r.reserved.toString())}::text[]) as reserved,
                   unnest(${part.map((r) => r.status)}::text[]) as status) v
      where a.id = v.id and ${anyUuidIndexed('a.id', ids)}`.execute(db);
  }
}

/** Finalisation: the awards hold nothing in reserve any more; every payee's amount is payable. */
export async function markFinal(db: Executor, ids: string[], at: Date): Promise<void> {
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK);
    await db.updateTable('awards').set({ status: 'final', reserved_ore: 0n, reserve_target_ore: 0n, finalised_at: at }).where(anyUuid('id', part)).execute();
    await db
      .updateTable('award_payees')
      .set((eb) => ({ payable_ore: eb.ref('amount_ore') }))
      .where(anyUuid('award_id', part))
      .execute();
  }
}

/** How many of a fund's awards await funds, their reserve target and what is reserved for them. */
export async function awaitingSummary(db: Executor, fundId: string) {
  return db
    .selectFrom('awards')
    .select((eb) => [
      eb.fn.countAll<bigint>().as('n'),
      eb.fn.sum<string>(eb.ref('reserve_target_ore')).as('target'),
      eb.fn.sum<string>(eb.ref('reserved_ore')).as('reserved'),
    ])
    .where('fund_id', '=', fundId)
    .where('status', '=', 'awaiting_funds')
    .executeTakeFirstOrThrow();
}
