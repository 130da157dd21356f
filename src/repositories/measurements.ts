import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import { anyUuid } from '../db/any.js';
import type { MeasurementValue } from '../settlement/types.js';

export interface MeasurementRow {
  id: string;
  seq: bigint;
  child_id: string;
  kind_key: string;
  period: string;
  value: MeasurementValue | null;
  measured_on: string;
  source: string | null;
  status: 'active' | 'retracted';
  revision: number;
  gen: bigint;
  settled_gen: bigint;
  submitted_by: string | null;
  created_at: Date;
  updated_at: Date;
}

const columns = [
  'id',
  'seq',
  'child_id',
  'kind_key',
  'period',
  'value',
  'measured_on',
  'source',
  'status',
  'revision',
  'gen',
  'settled_gen',
  'submitted_by',
  'created_at',
  'updated_at',
] as const;

export async function findByIdentity(
  db: Executor,
  identity: { childId: string; kind: string; period: string },
  lock = false,
): Promise<MeasurementRow | undefined> {
  let q = db
    .selectFrom('measurements')
    .select(columns)
    .where('child_id', '=', identity.childId)
    .where('kind_key', '=', identity.kind)
    .where('period', '=', identity.period);
  if (lock) q = q.forUpdate();
  return (await q.executeTakeFirst()) as MeasurementRow | undefined;
}

export async function get(db: Executor, id: string): Promise<MeasurementRow | undefined> {
  return (await db.selectFrom('measurements').select(columns).where('id', '=', id).executeTakeFirst()) as
    | MeasurementRow
    | undefined;
}

export async function insert(
  db: Executor,
  m: {
    childId: string;
    kind: string;
    period: string;
    value: MeasurementValue;
    measuredOn: string;
    source: string | null;
    submittedBy: string | null;
  },
): Promise<MeasurementRow> {
  const row = (await db
    .insertInto('measurements')
    .values({
      child_id: m.childId,
      kind_key: m.kind,
      period: m.period,
      value: JSON.stringify(m.value),
      measured_on: m.measuredOn,
      source: m.source,
      status: 'active',
      submitted_by: m.submittedBy,
    })
    .returning(columns)
    .executeTakeFirstOrThrow()) as MeasurementRow;
  await insertRevision(db, row);
  return row;
}

/** A correction or retraction: new revision, same identity and acceptance order (`seq`). */
export async function revise(
  db: Executor,
  id: string,
  change: {
    status: 'active' | 'retracted';
    value: MeasurementValue | null;
    measuredOn: string;
    source: string | null;
    submittedBy: string | null;
  },
): Promise<MeasurementRow> {
  const row = (await db
    .updateTable('measurements')
    .set({
      status: change.status,
      value: JSON.stringify(change.value),
      measured_on: change.measuredOn,
      source: change.source,
      submitted_by: change.submittedBy,
      revision: sql`revision + 1`,
      gen: sql`gen + 1`,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .returning(columns)
    .executeTakeFirstOrThrow()) as MeasurementRow;
  await insertRevision(db, row);
  return row;
}

async function insertRevision(db: Executor, row: MeasurementRow): Promise<void> {
  await db
    .insertInto('measurement_revisions')
    .values({
      measurement_id: row.id,
      revision: row.revision,
      status: row.status,
      value: JSON.stringify(row.value),
      measured_on: row.measured_on,
      source: row.source,
      submitted_by: row.submitted_by,
    })
    .execute();
}

export async function revisions(db: Executor, id: string) {
  return db
    .selectFrom('measurement_revisions')
    .selectAll()
    .where('measurement_id', '=', id)
    .orderBy('revision')
    .execute();
}

/** Marks a child's measurements for re-settlement; returns their ids. */
export async function bumpGenForChildren(db: Executor, childIds: string[]): Promise<string[]> {
  if (!childIds.length) return [];
  const rows = await db
    .updateTable('measurements')
    .set({ gen: sql`gen + 1`, updated_at: new Date() })
    .where(anyUuid('child_id', childIds))
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Marks every measurement of a kind (optionally on or after a date) for re-settlement. */
export async function bumpGenForKind(
  db: Executor,
  kind: string,
  periods: string[] | null,
  measuredFrom: string | null,
): Promise<string[]> {
  let q = db.updateTable('measurements').set({ gen: sql`gen + 1`, updated_at: new Date() }).where('kind_key', '=', kind);
  if (periods) q = q.where('period', 'in', periods.length ? periods : ['\u0000']);
  if (measuredFrom) q = q.where('measured_on', '>=', measuredFrom);
  const rows = await q.returning('id').execute();
  return rows.map((r) => r.id);
}

/** Locks the rows a settlement job works on, in id order (a fixed order avoids deadlocks). */
export async function lockForSettlement(db: Executor, ids: string[]): Promise<MeasurementRow[]> {
  if (!ids.length) return [];
  return (await db
    .selectFrom('measurements')
    .select(columns)
    .where(anyUuid('id', ids))
    .orderBy('id')
    .forUpdate()
    .execute()) as MeasurementRow[];
}

/**
 * Records that these measurements are settled as of their current `gen`. The caller holds
 * their row locks (lockForSettlement), so `gen` cannot have moved since it was read.
 */
export async function markSettled(db: Executor, ids: string[]): Promise<void> {
  if (!ids.length) return;
  await db
    .updateTable('measurements')
    .set((eb) => ({ settled_gen: eb.ref('gen') }))
    .where(anyUuid('id', ids))
    .execute();
}

/**
 * The acceptance order (`seq`) of the earliest measurement of these kinds still waiting for
 * settlement: awards of later measurements must not be funded before it is settled.
 */
export async function earliestUnsettledSeq(db: Executor, kinds: string[]): Promise<bigint | null> {
  if (!kinds.length) return null;
  const row = await db
    .selectFrom('measurements')
    .select('seq')
    .where(sql<boolean>`settled_gen < gen`)
    .where('kind_key', 'in', kinds)
    .orderBy('seq')
    .limit(1)
    .executeTakeFirst();
  return row ? row.seq : null;
}

export async function unsettledCount(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('measurements')
    .select(sql<string>`count(*)`.as('n'))
    .where(sql<boolean>`settled_gen < gen`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Measurements unsettled for longer than `olderThanMs` (their job was probably lost). */
export async function staleUnsettled(db: Executor, olderThanMs: number, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('measurements')
    .select('id')
    .where(sql<boolean>`settled_gen < gen`)
    .where('updated_at', '<', new Date(Date.now() - olderThanMs))
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

export async function list(
  db: Executor,
  filter: { childId?: string; kind?: string; submittedBy?: string; afterSeq: bigint | null; limit: number },
): Promise<MeasurementRow[]> {
  let q = db.selectFrom('measurements').select(columns).orderBy('seq').limit(filter.limit);
  if (filter.childId) q = q.where('child_id', '=', filter.childId);
  if (filter.kind) q = q.where('kind_key', '=', filter.kind);
  if (filter.submittedBy) q = q.where('submitted_by', '=', filter.submittedBy);
  if (filter.afterSeq !== null) q = q.where('seq', '>', filter.afterSeq);
  return (await q.execute()) as MeasurementRow[];
}
