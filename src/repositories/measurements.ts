import { sql, type Expression, type Selectable, type SqlBool } from 'kysely';
import type { Executor } from '../db/database.js';
import type { MeasurementRevisionsTable, MeasurementsTable } from '../db/schema.js';
import { anyUuid, anyUuidIndexed } from '../db/any.js';
import { PREPARED } from '../db/database.js';
import { arrayLiteral, joinedTexts } from '../db/bulk.js';
import { fixedStatement } from '../db/fixed-statement.js';
import type { OutboxMessage } from './outbox.js';
import type { MeasurementValue } from '../settlement/types.js';

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
  'submitted_by',
  'created_at',
  'updated_at',
] as const;

/** A measurement as stored (every column but `revised_at`, which only the revision history reads). */
export type StoredMeasurement = Pick<Selectable<MeasurementsTable>, (typeof columns)[number]>;

/**
 * A measurement as read, with whether it is settled: not waiting in `settlement_backlog`
 * (migration 0033; D224). Settled means settled as of its current inputs (`gen`).
 */
export type MeasurementRow = StoredMeasurement & { settled: boolean };

/**
 * Whether the measurement whose id is `idColumn` is settled: it does not wait in the backlog (D224).
 * For a SELECT, not a RETURNING: the backlog triggers run after the statement's rows.
 */
export const isSettled = (idColumn: string) => sql<boolean>`not exists (select 1 from settlement_backlog b where b.measurement_id = ${sql.ref(idColumn)})`;
const settled = isSettled('measurements.id').as('settled');
/** `settled` of a row just inserted or changed by the statement returning it: it waits, by its triggers. */
const waitingNow = sql<boolean>`false`.as('settled');

export async function findByIdentity(
  db: Executor,
  identity: { childId: string; kind: string; period: string },
  lock = false,
): Promise<MeasurementRow | undefined> {
  let q = db
    .selectFrom('measurements')
    .select([...columns, settled])
    .where('child_id', '=', identity.childId)
    .where('kind_key', '=', identity.kind)
    .where('period', '=', identity.period);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function get(db: Executor, id: string): Promise<MeasurementRow | undefined> {
  return db
    .selectFrom('measurements')
    .select([...columns, settled])
    .where('id', '=', id)
    .executeTakeFirst();
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
  const row = await db
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
    .returning([...columns, waitingNow])
    .executeTakeFirstOrThrow();
  return row;
}

/** A correction or retraction: new revision, same identity and acceptance order (`seq`). */
export async function revise(
  db: Executor,
  id: string,
  change: Pick<MeasurementRow, 'status' | 'value' | 'source'> & { measuredOn: string; submittedBy: string | null },
): Promise<MeasurementRow> {
  // Raw SQL: the update and the copy of the state it replaces into the history are one statement (a WITH).
  const { rows } = await sql<MeasurementRow>`
    with history as (${supersede([id])})
    update measurements set
      status = ${change.status}, value = ${JSON.stringify(change.value)}::jsonb, measured_on = ${change.measuredOn}::date,
      source = ${change.source}, submitted_by = ${change.submittedBy}::uuid,
      revision = revision + 1, gen = gen + 1, updated_at = now(), revised_at = now()
    where id = ${id}::uuid
    returning ${sql.join(columns.map((c) => sql.ref(c)))}, false as settled`.execute(db);
  return rows[0]!;
}

/** Every revision of a measurement, oldest first: the superseded ones and the current one. */
export async function revisions(db: Executor, id: string) {
  // Raw SQL: a UNION of the history and the current revision, which sits on the measurement row.
  const { rows } = await sql<Selectable<MeasurementRevisionsTable>>`
    select measurement_id, revision, status, value, measured_on, source, submitted_by, created_at
    from measurement_revisions where measurement_id = ${id}::uuid
    union all
    -- A measurement last changed before migration 0007 has its current revision in the history too.
    select id, revision, status, value, measured_on, source, submitted_by, coalesce(revised_at, created_at)
    from measurements m where id = ${id}::uuid
      and not exists (select 1 from measurement_revisions r where r.measurement_id = m.id and r.revision = m.revision)
    order by revision`.execute(db);
  return rows;
}

/** New measurements as a batch writes them, one array per column; `values` are JSON text. */
export interface IngestColumns {
  childIds: string[];
  kinds: string[];
  periods: string[];
  values: string[];
  measuredOns: string[];
  sources: Array<string | null>;
}

/** The identity (child, kind, period) of a measurement and its id. */
export type IdentityRow = Pick<MeasurementRow, 'id' | 'child_id' | 'kind_key' | 'period'>;

/** A unique violation of the identity (child, kind, period): the insert met an existing measurement. */
export function isIdentityConflict(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string };
  return e.code === '23505' && (e.constraint === undefined || e.constraint === 'measurements_child_id_kind_key_period_key');
}

/**
 * Inserts new measurements (returned in the order given, as PostgreSQL inserts an unnest; the
 * order is not a documented promise, so callers check it): one array parameter per column
 * (`unnest`), so PostgreSQL parses and plans one small statement whatever the row count (a
 * multi-row VALUES list costs a parameter per value and has a 65,535-parameter ceiling).
 *
 * With `skipExisting` an identity that exists (an earlier chunk, a concurrent writer) is skipped
 * and missing from the result (ON CONFLICT DO NOTHING: a second index descent per row);
 * without it, one fails the statement (`isIdentityConflict`) and the caller starts over.
 */
export async function insertMany(db: Executor, rows: IngestColumns, submittedBy: string | null, skipExisting: boolean): Promise<IdentityRow[]> {
  if (!rows.childIds.length) return [];
  const { rows: inserted } = await sql<IdentityRow>`
    insert into measurements (child_id, kind_key, period, value, measured_on, source, status, submitted_by)
    select v.child_id, v.kind_key, v.period, v.value::jsonb, v.measured_on::date, v.source, 'active', ${submittedBy}::uuid
    from unnest(${rows.childIds}::uuid[], ${rows.kinds}::text[], ${rows.periods}::text[],
                ${rows.values}::text[], ${rows.measuredOns}::text[], ${rows.sources}::text[])
         as v(child_id, kind_key, period, value, measured_on, source)
    ${skipExisting ? sql`on conflict (child_id, kind_key, period) do nothing` : sql``}
    returning id, child_id, kind_key, period`.execute(db);
  return inserted;
}

/**
 * New measurements with their ids (given by the caller), one PostgreSQL array literal per
 * column (`arrayLiteral`, src/db/bulk.ts), except `values`: their JSON texts joined on U+001E
 * (`joinedTexts`).
 */
export interface NewMeasurementLiterals {
  ids: string;
  childIds: string;
  kinds: string;
  periods: string;
  values: string;
  measuredOns: string;
  sources: string;
}

const insertAnnounced = fixedStatement(
  ['ids', 'childIds', 'kinds', 'periods', 'values', 'measuredOns', 'sources', 'submittedBy', 'topics', 'payloads'],
  (s) => sql`${sql.raw(PREPARED)}
    with inserted as (
      insert into measurements (id, child_id, kind_key, period, value, measured_on, source, status, submitted_by)
      select v.id, v.child_id, v.kind_key, v.period, v.value::jsonb, v.measured_on::date, v.source, 'active', ${s.submittedBy}::uuid
      from unnest(${s.ids}::uuid[], ${s.childIds}::uuid[], ${s.kinds}::text[], ${s.periods}::text[],
                  string_to_array(${s.values}::text, E'\\x1e'), ${s.measuredOns}::text[], ${s.sources}::text[])
           as v(id, child_id, kind_key, period, value, measured_on, source)
    )
    insert into outbox (topic, payload)
    select o.topic, o.payload::jsonb
    from unnest(${s.topics}::text[], string_to_array(${s.payloads}::text, E'\\x1e')) with ordinality as o(topic, payload, n)
    order by o.n`,
);

/**
 * Inserts new measurements and the outbox messages that announce them as ONE statement, in
 * its own transaction: what `insertMany` (without `skipExisting`) and `enqueue` do in a
 * transaction, without its four round trips (BEGIN, insert, outbox, COMMIT) and without
 * returning the rows (the caller gave the ids). An identity that exists fails the statement
 * (`isIdentityConflict`) and nothing is stored. The statement-level triggers of `measurements`
 * (references, settlement backlog) fire at its end, as for any insert. Outbox rows get their
 * ids in the order given. Must not run inside a caller's transaction unless that is meant.
 */
export async function insertAnnouncedNew(
  db: Executor,
  rows: NewMeasurementLiterals,
  submittedBy: string | null,
  messages: readonly OutboxMessage[],
): Promise<void> {
  await insertAnnounced(db, {
    ...rows,
    submittedBy,
    topics: arrayLiteral(messages.map((m) => m.topic)),
    payloads: joinedTexts(
      messages.map((m) => JSON.stringify(m.payload)),
      'payload',
    ),
  });
}

/** The existing measurements of these identities, locked FOR UPDATE in id order. */
export async function lockByIdentities(
  db: Executor,
  ids: ReadonlyArray<{ childId: string; kind: string; period: string }>,
): Promise<Array<Pick<MeasurementRow, keyof IdentityRow | 'value' | 'measured_on' | 'status'>>> {
  if (!ids.length) return [];
  // Raw SQL: a join with the unnested identity arrays (one array parameter per column, whatever the count).
  const { rows } = await sql<Pick<MeasurementRow, keyof IdentityRow | 'value' | 'measured_on' | 'status'>>`
    select m.id, m.child_id, m.kind_key, m.period, m.value, m.measured_on::text as measured_on, m.status
    from measurements m
    join unnest(${ids.map((i) => i.childId)}::uuid[], ${ids.map((i) => i.kind)}::text[], ${ids.map((i) => i.period)}::text[])
      as v(child_id, kind_key, period)
      on m.child_id = v.child_id and m.kind_key = v.kind_key and m.period = v.period
    order by m.id
    for update of m`.execute(db);
  return rows;
}

/**
 * `measurement_revisions` holds the superseded revisions; the current one is the measurement
 * row itself (received at `revised_at`, or `created_at` for revision 1). So a new measurement
 * writes one row, and a change first copies the state it replaces into the history, in the
 * same statement (every sub-statement of a WITH sees the rows as they were before it). Rows
 * written before migration 0007 already hold their current revision: ON CONFLICT keeps them.
 */
const supersede = (ids: readonly string[]) => sql`
  insert into measurement_revisions (measurement_id, revision, status, value, measured_on, source, submitted_by, created_at)
  select id, revision, status, value, measured_on, source, submitted_by, coalesce(revised_at, created_at)
  from measurements where id = any(${ids}::uuid[])
  on conflict (measurement_id, revision) do nothing`;

/** Corrections of many measurements (new revision, `gen` bumped, same `seq`), their old state kept in the history. */
export async function reviseMany(
  db: Executor,
  changes: ReadonlyArray<{ id: string; value: string; measuredOn: string; source: string | null }>,
  submittedBy: string | null,
): Promise<void> {
  if (!changes.length) return;
  await sql`
    with history as (${supersede(changes.map((c) => c.id))})
    update measurements m set
      status = 'active', value = v.value::jsonb, measured_on = v.measured_on::date, source = v.source,
      submitted_by = ${submittedBy}::uuid, revision = m.revision + 1, gen = m.gen + 1, updated_at = now(), revised_at = now()
    from unnest(${changes.map((c) => c.id)}::uuid[], ${changes.map((c) => c.value)}::text[],
                ${changes.map((c) => c.measuredOn)}::text[], ${changes.map((c) => c.source)}::text[]) as v(id, value, measured_on, source)
    where m.id = v.id`.execute(db);
}

/**
 * Bumps `gen` of the measurements a condition selects (they wait for settlement again, by the
 * update trigger), locking them first in id order: the order settlement (lockForSettlement) and
 * ingest (lockByIdentities) lock measurements in. The UPDATE's own scan order (a child's rows by
 * kind and period, say) deadlocked with a settlement job holding some of the same rows.
 */
async function bumpGen(db: Executor, condition: Expression<SqlBool>, now: Date): Promise<string[]> {
  const rows = await db
    .updateTable('measurements as m')
    .set({ gen: sql`m.gen + 1`, updated_at: now })
    .from((eb) => eb.selectFrom('measurements').select('id').where(condition).orderBy('id').forUpdate().as('locked'))
    .whereRef('m.id', '=', 'locked.id')
    .returning('m.id')
    .execute();
  return rows.map((r) => r.id);
}

/** Marks a child's measurements for re-settlement as of `now`; returns their ids. */
export async function bumpGenForChildren(db: Executor, childIds: string[], now: Date): Promise<string[]> {
  if (!childIds.length) return [];
  return bumpGen(db, anyUuid('child_id', childIds), now);
}

/** Marks every measurement of a kind (optionally on or after a date) for re-settlement. */
export async function bumpGenForKind(db: Executor, kind: string, periods: string[] | null, measuredFrom: string | null, now: Date): Promise<string[]> {
  const conditions = [sql<SqlBool>`kind_key = ${kind}`];
  if (periods) conditions.push(sql<SqlBool>`period = any(${periods}::text[])`);
  if (measuredFrom) conditions.push(sql<SqlBool>`measured_on >= ${measuredFrom}::date`);
  return bumpGen(db, sql<SqlBool>`${sql.join(conditions, sql` and `)}`, now);
}

/** Locks the rows a settlement job works on, in id order (a fixed order avoids deadlocks). */
export async function lockForSettlement(db: Executor, ids: string[]): Promise<StoredMeasurement[]> {
  if (!ids.length) return [];
  return db.selectFrom('measurements').select(columns).where(anyUuidIndexed('id', ids)).orderBy('id').forUpdate().execute();
}

/**
 * Takes these measurements out of the settlement backlog and returns the ids of those that were
 * in it: the ones this transaction settles. The caller holds their row locks (lockForSettlement)
 * and runs this as a statement after taking them, so it sees every earlier settlement's commit:
 * a measurement is claimed by one settlement per change of its inputs. Rolled back with the
 * caller's transaction, the rows wait again.
 */
export async function claimWaiting(db: Executor, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await db.deleteFrom('settlement_backlog').where(anyUuidIndexed('measurement_id', ids)).returning('measurement_id').execute();
  return new Set(rows.map((r) => r.measurement_id));
}

/**
 * The acceptance order (`seq`) of the earliest measurement of these kinds still waiting for
 * settlement: awards of later measurements must not be funded before it is settled.
 * One index probe per kind: `min(seq) … where kind_key in (…)` cannot use the (kind_key, seq)
 * index's order across several keys and read every backlog row of those kinds — on every
 * funding pass, so settling a national backlog cost time proportional to its size per job.
 */
export async function earliestUnsettledSeq(db: Executor, kinds: string[]): Promise<bigint | null> {
  if (!kinds.length) return null;
  const { rows } = await sql<{ seq: string | null }>`
    select min(b.seq)::text as seq
    from unnest(${kinds}::text[]) as k(kind_key)
    cross join lateral (
      select seq from settlement_backlog where kind_key = k.kind_key order by seq limit 1
    ) b`.execute(db);
  return rows[0]?.seq ? BigInt(rows[0].seq) : null;
}

/** Measurements waiting for settlement, counted exactly (tests and small backlogs). */
export async function unsettledCount(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('settlement_backlog')
    .select(sql<bigint>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Whether any measurement waits for settlement (one index probe, whatever the backlog). */
export async function anyUnsettled(db: Executor): Promise<boolean> {
  const row = await db.selectFrom('settlement_backlog').select('measurement_id').limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Up to this many backlog rows are counted exactly; beyond, the statistics' estimate is given. */
export const EXACT_BACKLOG_COUNT = 10_000;

/**
 * The size of the settlement backlog for operators: exact up to EXACT_BACKLOG_COUNT, else
 * PostgreSQL's live-row statistic for the table (inserts minus deletes, current to within the
 * statistics flush, about a second), because counting millions of rows on every status poll
 * took a core away from settlement itself.
 */
export async function backlogSize(db: Executor): Promise<{ count: number; estimated: boolean }> {
  const { rows } = await sql<{ n: string }>`
    select count(*)::text as n from (select 1 from settlement_backlog limit ${EXACT_BACKLOG_COUNT + 1}) b`.execute(db);
  const exact = Number(rows[0]!.n);
  if (exact <= EXACT_BACKLOG_COUNT) return { count: exact, estimated: false };
  const stats = await sql<{ n: string | null }>`
    select n_live_tup::text as n from pg_stat_user_tables
    where relid = 'settlement_backlog'::regclass`.execute(db);
  return { count: Math.max(exact, Number(stats.rows[0]?.n ?? 0)), estimated: true };
}

/**
 * Claims up to `limit` measurements waiting since before `before`, oldest first, and restarts
 * their clock (`since` = now): the reconciler's record that it put them back on the queue, kept
 * in the database so that no other process puts them back again before the patience has passed
 * once more. Rows another transaction holds (being settled) are skipped.
 */
export async function claimStaleUnsettled(db: Executor, before: Date, limit: number): Promise<string[]> {
  const rows = await db
    .updateTable('settlement_backlog as b')
    .set({ since: sql<Date>`now()` })
    .from((eb) =>
      eb.selectFrom('settlement_backlog').select('measurement_id').where('since', '<', before).orderBy('seq').limit(limit).forUpdate().skipLocked().as('s'),
    )
    .whereRef('b.measurement_id', '=', 's.measurement_id')
    .returning('b.measurement_id')
    .execute();
  return rows.map((r) => r.measurement_id);
}

export async function list(
  db: Executor,
  filter: { childId?: string; kind?: string; submittedBy?: string; afterSeq: bigint | null; limit: number },
): Promise<MeasurementRow[]> {
  let q = db
    .selectFrom('measurements')
    .select([...columns, settled])
    .orderBy('seq')
    .limit(filter.limit);
  if (filter.childId) q = q.where('child_id', '=', filter.childId);
  if (filter.kind) q = q.where('kind_key', '=', filter.kind);
  if (filter.submittedBy) q = q.where('submitted_by', '=', filter.submittedBy);
  if (filter.afterSeq !== null) q = q.where('seq', '>', filter.afterSeq);
  return q.execute();
}
