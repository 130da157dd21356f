import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import { anyUuid } from '../db/any.js';
import type { AwardStatus } from '../db/schema.js';
import type { PayeeMoney } from '../settlement/lifecycle.js';

export interface AwardRow {
  id: string;
  rule_id: string;
  measurement_id: string;
  fund_id: string;
  child_id: string;
  measurement_seq: bigint;
  rule_version_id: string | null;
  status: AwardStatus;
  earned: boolean;
  amount_ore: bigint;
  payout_total_ore: bigint;
  retained_ore: bigint;
  reserved_ore: bigint;
  reserve_target_ore: bigint;
  open_objections: number;
  revision: number;
  result_hash: string;
  provisional_since: Date | null;
  review_until: Date | null;
  finalised_at: Date | null;
  computed_at: Date;
  created_at: Date;
}

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
      anyUuid(
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
  const rows = (await db
    .selectFrom('awards')
    .select(columns)
    .where(anyUuid('measurement_id', measurementIds))
    .orderBy('id')
    .forUpdate()
    .execute()) as AwardRow[];
  return withPayees(db, rows);
}

export async function get(db: Executor, id: string, lock = false): Promise<AwardWithPayees | undefined> {
  let q = db.selectFrom('awards').select(columns).where('id', '=', id);
  if (lock) q = q.forUpdate();
  const row = (await q.executeTakeFirst()) as AwardRow | undefined;
  return row ? (await withPayees(db, [row]))[0] : undefined;
}

export async function explanationOf(db: Executor, id: string): Promise<unknown> {
  const row = await db.selectFrom('awards').select('explanation').where('id', '=', id).executeTakeFirst();
  return row?.explanation;
}

export interface AwardWrite {
  id?: string;
  rule_id: string;
  measurement_id: string;
  fund_id: string;
  child_id: string;
  measurement_seq: bigint;
  rule_version_id: string | null;
  status: AwardStatus;
  earned: boolean;
  amount_ore: bigint;
  payout_total_ore: bigint;
  retained_ore: bigint;
  reserved_ore: bigint;
  reserve_target_ore: bigint;
  result_hash: string;
  explanation: unknown;
  provisional_since: Date | null;
  review_until: Date | null;
  finalised_at: Date | null;
}


export async function update(
  db: Executor,
  id: string,
  a: Partial<AwardWrite> & { revision?: number; open_objections?: number },
): Promise<void> {
  const { explanation, ...rest } = a;
  await db
    .updateTable('awards')
    .set({
      ...rest,
      ...(explanation !== undefined ? { explanation: JSON.stringify(explanation), computed_at: new Date() } : {}),
    } as never)
    .where('id', '=', id)
    .execute();
}



/** Awards of a fund waiting for (more) reservation, in acceptance order. */
export async function awaitingFunds(db: Executor, fundId: string, limit: number) {
  return (await db
    .selectFrom('awards')
    .select(columns)
    .where('fund_id', '=', fundId)
    .where(sql<boolean>`reserved_ore < reserve_target_ore`)
    .orderBy('measurement_seq')
    .orderBy('id')
    .limit(limit)
    .execute()) as AwardRow[];
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

/** Funded, unheld, provisional awards whose review window has passed (or any, when `now` is null). */
export async function finalisable(
  db: Executor,
  opts: { now: Date | null; fundId?: string | undefined; awardIds?: string[] | undefined; limit: number },
): Promise<AwardWithPayees[]> {
  let q = db
    .selectFrom('awards')
    .select(columns)
    .where('status', '=', 'provisional')
    .where('open_objections', '=', 0)
    .where(sql<boolean>`reserved_ore = reserve_target_ore`)
    .where('reserve_target_ore', '>', 0n)
    .orderBy('measurement_seq')
    .limit(opts.limit)
    .forUpdate()
    .skipLocked();
  if (opts.now) q = q.where('review_until', '<=', opts.now);
  if (opts.fundId) q = q.where('fund_id', '=', opts.fundId);
  if (opts.awardIds) q = q.where('id', 'in', opts.awardIds.length ? opts.awardIds : ['00000000-0000-0000-0000-000000000000']);
  return withPayees(db, (await q.execute()) as AwardRow[]);
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
  return withPayees(db, (await q.execute()) as AwardRow[]);
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

export async function revisionsOf(db: Executor, awardId: string) {
  return db.selectFrom('award_revisions').selectAll().where('award_id', '=', awardId).orderBy('revision').execute();
}

const CHUNK = 1000;

/**
 * Writes many computed awards in one statement per 1,000: new ones inserted, existing ones
 * (same rule and measurement) overwritten with their recomputed state.
 */
export async function upsertMany(db: Executor, rows: Array<AwardWrite & { id: string; revision: number }>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const now = new Date();
    await db
      .insertInto('awards')
      .values(rows.slice(i, i + CHUNK).map((a) => ({ ...a, explanation: JSON.stringify(a.explanation), computed_at: now })))
      .onConflict((oc) =>
        oc.columns(['rule_id', 'measurement_id']).doUpdateSet((eb) => ({
          rule_version_id: eb.ref('excluded.rule_version_id'),
          status: eb.ref('excluded.status'),
          earned: eb.ref('excluded.earned'),
          amount_ore: eb.ref('excluded.amount_ore'),
          payout_total_ore: eb.ref('excluded.payout_total_ore'),
          retained_ore: eb.ref('excluded.retained_ore'),
          reserved_ore: eb.ref('excluded.reserved_ore'),
          reserve_target_ore: eb.ref('excluded.reserve_target_ore'),
          result_hash: eb.ref('excluded.result_hash'),
          explanation: eb.ref('excluded.explanation'),
          provisional_since: eb.ref('excluded.provisional_since'),
          review_until: eb.ref('excluded.review_until'),
          finalised_at: eb.ref('excluded.finalised_at'),
          revision: eb.ref('excluded.revision'),
          computed_at: eb.ref('excluded.computed_at'),
        })),
      )
      .execute();
  }
}

export async function replacePayeesMany(db: Executor, byAward: Map<string, PayeeMoney[]>): Promise<void> {
  const ids = [...byAward.keys()];
  for (let i = 0; i < ids.length; i += CHUNK) {
    await db.deleteFrom('award_payees').where(anyUuid('award_id', ids.slice(i, i + CHUNK))).execute();
  }
  const rows = [...byAward].flatMap(([award_id, payees]) =>
    payees.map((p) => ({ award_id, institution_id: p.institutionId, amount_ore: p.amount, payable_ore: p.payable })),
  );
  for (let i = 0; i < rows.length; i += CHUNK) await db.insertInto('award_payees').values(rows.slice(i, i + CHUNK)).execute();
}

export async function insertRevisions(
  db: Executor,
  rows: Array<{ award_id: string; revision: number; earned: boolean; amount_ore: bigint; retained_ore: bigint; payouts: unknown; explanation: unknown }>,
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db
      .insertInto('award_revisions')
      .values(rows.slice(i, i + CHUNK).map((r) => ({ ...r, payouts: JSON.stringify(r.payouts), explanation: JSON.stringify(r.explanation) })))
      .execute();
  }
}

/** Funding: sets each award's reservation and status in one statement. */
export async function setReservations(db: Executor, rows: Array<{ id: string; reserved: bigint; status: AwardStatus }>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    await sql`
      update awards a set reserved_ore = v.reserved::bigint, status = v.status
      from (select unnest(${part.map((r) => r.id)}::uuid[]) as id,
                   unnest(${part.map((r) => r.reserved.toString())}::text[]) as reserved,
                   unnest(${part.map((r) => r.status)}::text[]) as status) v
      where a.id = v.id`.execute(db);
  }
}

/** Finalisation: the awards hold nothing in reserve any more; every payee's amount is payable. */
export async function markFinal(db: Executor, ids: string[], at: Date): Promise<void> {
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK);
    await db
      .updateTable('awards')
      .set({ status: 'final', reserved_ore: 0n, reserve_target_ore: 0n, finalised_at: at })
      .where(anyUuid('id', part))
      .execute();
    await db.updateTable('award_payees').set((eb) => ({ payable_ore: eb.ref('amount_ore') })).where(anyUuid('award_id', part)).execute();
  }
}
