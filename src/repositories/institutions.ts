import { sql, type Selectable } from 'kysely';
import type { Executor } from '../db/database.js';
import type { InstitutionsTable } from '../db/schema.js';

/** An institution with its successor's code. */
export type InstitutionRow = Selectable<InstitutionsTable> & { successor_code: string | null };

/** What an institution is written with. */
export type InstitutionFields = Omit<Selectable<InstitutionsTable>, 'id' | 'created_at' | 'updated_at'>;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Institutions with their successor's code, so responses can name it without a second query. */
function selectInstitutions(db: Executor) {
  return db
    .selectFrom('institutions as i')
    .leftJoin('institutions as s', 's.id', 'i.successor_id')
    .select([
      'i.id',
      'i.code',
      'i.kind',
      'i.name',
      'i.municipality',
      'i.closed_on',
      'i.successor_id',
      's.code as successor_code',
      'i.created_at',
      'i.updated_at',
    ]);
}

export async function getInstitution(db: Executor, id: string): Promise<InstitutionRow | undefined> {
  return selectInstitutions(db).where('i.id', '=', id).executeTakeFirst();
}

/**
 * An institution by id or by code. A uuid-shaped reference is tried as an id first (ids are
 * what the API hands out), then as a code; anything else can only be a code (and must not be
 * compared with the uuid column, which would be a type error in PostgreSQL).
 */
export async function findInstitutionByRef(db: Executor, ref: string): Promise<InstitutionRow | undefined> {
  if (UUID_RE.test(ref)) {
    const byId = await getInstitution(db, ref.toLowerCase());
    if (byId) return byId;
  }
  return selectInstitutions(db).where('i.code', '=', ref).executeTakeFirst();
}

export async function listInstitutions(db: Executor, page: { after: string | null; limit: number; kind?: string | undefined }): Promise<InstitutionRow[]> {
  return selectInstitutions(db)
    .$if(page.after !== null, (q) => q.where('i.code', '>', page.after!))
    .$if(page.kind !== undefined, (q) => q.where('i.kind', '=', page.kind!))
    .orderBy('i.code')
    .limit(page.limit)
    .execute();
}

export async function insertInstitution(db: Executor, f: InstitutionFields): Promise<string> {
  const row = await db.insertInto('institutions').values(f).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updateInstitution(db: Executor, id: string, patch: Partial<InstitutionFields>): Promise<void> {
  await db
    .updateTable('institutions')
    .set({ ...patch, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

/** Locks the row for the rest of the transaction and returns it (undefined when unknown). */
export async function lockInstitution(db: Executor, id: string): Promise<InstitutionRow | undefined> {
  await db.selectFrom('institutions').select('id').where('id', '=', id).forUpdate().execute();
  return getInstitution(db, id);
}

/**
 * Serialises successor changes: a cycle check reads several rows, so two concurrent changes
 * (A→B and B→A) could each pass on their own. One transaction-scoped advisory lock is enough,
 * since successor changes are rare admin actions.
 */
export async function lockSuccessorGraph(db: Executor): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('institutions.successor_id'))`.execute(db);
}

/** Ids on the successor chain starting at `id` (inclusive). UNION stops on an existing cycle. */
export async function successorChain(db: Executor, id: string): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    with recursive chain (id, successor_id) as (
      select id, successor_id from institutions where id = ${id}
      union
      select i.id, i.successor_id from institutions i join chain c on i.id = c.successor_id
    )
    select id from chain`.execute(db);
  return rows.map((r) => r.id);
}

/** Institutions whose successor is one of `ids` (one step back along the successor chains). */
export async function predecessorsOf(db: Executor, ids: string[]): Promise<string[]> {
  if (!ids.length) return [];
  const rows = await db.selectFrom('institutions').select('id').where('successor_id', 'in', ids).execute();
  return rows.map((r) => r.id);
}

/** Ids and codes of the institutions named by code or id (`refs` may mix both). */
export async function findInstitutionsByRefs(db: Executor, refs: string[]): Promise<Array<{ id: string; code: string }>> {
  if (!refs.length) return [];
  const uuidish = refs.filter((r) => /^[0-9a-f-]{36}$/i.test(r));
  return db
    .selectFrom('institutions')
    .select(['id', 'code'])
    .where((eb) => eb.or([eb('code', 'in', refs), ...(uuidish.length ? [eb('id', 'in', uuidish)] : [])]))
    .execute();
}

/** Codes of the institutions with these ids. */
export async function institutionCodes(db: Executor, institutionIds: string[]): Promise<Map<string, string>> {
  if (!institutionIds.length) return new Map();
  const rows = await db.selectFrom('institutions').select(['id', 'code']).where('id', 'in', institutionIds).execute();
  return new Map(rows.map((r) => [r.id, r.code]));
}
