import { sql, type ExpressionBuilder, type Insertable, type NotNull, type Selectable } from 'kysely';
import type { Executor } from '../db/database.js';
import type { AttributeValue, ChildrenTable, DB } from '../db/schema.js';
import type { CprHash } from '../domain/cpr.js';

export type { AttributeValue };

type Child = Selectable<ChildrenTable>;

/** A child as the service reads it: whether it has a CPR hash, never the hash itself. */
export type ChildRow = Pick<Child, 'id' | 'external_ref' | 'birth_date' | 'attributes' | 'created_at' | 'updated_at'> & { has_cpr: boolean };

function selectChildren(db: Executor) {
  return db
    .selectFrom('children')
    .select(['id', 'external_ref', 'birth_date', 'attributes', sql<boolean>`cpr_hmac is not null`.as('has_cpr'), 'created_at', 'updated_at']);
}

export type ChildFields = Pick<Child, 'external_ref' | 'birth_date' | 'attributes'> & { cpr: CprHash | null };

function toColumns(f: Partial<ChildFields>) {
  const { cpr, attributes, ...rest } = f;
  return {
    ...rest,
    ...(attributes !== undefined ? { attributes: JSON.stringify(attributes) } : {}),
    ...(cpr !== undefined ? { cpr_hmac: cpr?.hmac ?? null, cpr_key_id: cpr?.keyId ?? null } : {}),
  };
}

export async function insertChild(db: Executor, f: ChildFields): Promise<string> {
  const row = await db
    .insertInto('children')
    .values({ ...toColumns(f), birth_date: f.birth_date, attributes: JSON.stringify(f.attributes) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateChild(db: Executor, id: string, patch: Partial<ChildFields>): Promise<void> {
  await db
    .updateTable('children')
    .set({ ...toColumns(patch), updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

/**
 * With `scope` (institution ids), only a child with an enrolment at one of them: an integration's
 * view. One statement either way, so a child outside the scope costs what an unknown one does.
 */
export async function getChild(db: Executor, id: string, lock = false, scope: string[] | null = null): Promise<ChildRow | undefined> {
  return selectChildren(db)
    .where('id', '=', id)
    .$if(scope !== null, (q) => q.where((eb) => enrolledAtAny(eb, scope!)))
    .$if(lock, (q) => q.forUpdate())
    .executeTakeFirst();
}

/** The child has (had) an enrolment at one of these institutions. */
function enrolledAtAny(eb: ExpressionBuilder<DB, 'children'>, institutionIds: string[]) {
  if (!institutionIds.length) return eb.val(false);
  return eb.exists(
    eb
      .selectFrom('enrolments')
      .select(sql`1`.as('one'))
      .whereRef('enrolments.child_id', '=', 'children.id')
      .where('enrolments.institution_id', 'in', institutionIds),
  );
}

/**
 * `(cpr_key_id, cpr_hmac)` is one of the pairs. Grouped per key id so that each group is one
 * range of the unique index on (cpr_key_id, cpr_hmac); matching on the HMAC alone could not use it.
 */
export function cprHashIn(eb: ExpressionBuilder<DB, 'children'>, pairs: ReadonlyArray<CprHash>) {
  const byKey = new Map<string, Set<string>>();
  for (const p of pairs) byKey.set(p.keyId, (byKey.get(p.keyId) ?? new Set()).add(p.hmac));
  return eb.or([...[...byKey].map(([keyId, hmacs]) => eb.and([eb('cpr_key_id', '=', keyId), eb('cpr_hmac', 'in', [...hmacs])])), eb.val(false)]);
}

/** A child found by its CPR hash (which it therefore has). */
export type CprMatch = Pick<Child, 'id' | 'birth_date' | 'external_ref'> & { [K in 'cpr_key_id' | 'cpr_hmac']: NonNullable<Child[K]> };

/** Children whose stored hash is one of the pairs (candidates of many CPRs under every key). */
export async function findChildrenByCprHashes(db: Executor, pairs: ReadonlyArray<CprHash>): Promise<CprMatch[]> {
  if (!pairs.length) return [];
  return (
    db
      .selectFrom('children')
      .select(['id', 'birth_date', 'external_ref', 'cpr_key_id', 'cpr_hmac'])
      .where((eb) => cprHashIn(eb, pairs))
      // Matched on (cpr_key_id, cpr_hmac), so neither is null.
      .$narrowType<{ cpr_key_id: NotNull; cpr_hmac: NotNull }>()
      .execute()
  );
}

/** Birth dates of the children with these ids (those that exist). */
export async function birthDatesById(db: Executor, ids: string[]): Promise<Array<Pick<Child, 'id' | 'birth_date'>>> {
  if (!ids.length) return [];
  return db.selectFrom('children').select(['id', 'birth_date']).where('id', 'in', ids).execute();
}

/** Ids and birth dates of the children with these external references. */
export async function findChildrenByExternalRefs(db: Executor, refs: string[]): Promise<Array<Pick<Child, 'id' | 'birth_date' | 'external_ref'>>> {
  if (!refs.length) return [];
  return db.selectFrom('children').select(['id', 'birth_date', 'external_ref']).where('external_ref', 'in', refs).execute();
}

/** A new child as the batch import writes it (its id made by the caller, its attributes JSON text). */
export type ChildInsert = Required<Pick<Insertable<ChildrenTable>, 'id' | 'external_ref' | 'birth_date' | 'attributes' | 'cpr_hmac' | 'cpr_key_id'>>;

/** New children in one statement. */
export async function insertChildren(db: Executor, rows: ChildInsert[]): Promise<void> {
  if (rows.length) await db.insertInto('children').values(rows).execute();
}

/** `keyId:hmac`, to index matches by the candidate that found them. */
export const cprHashKey = (h: { keyId: string; hmac: string } | { cpr_key_id: string; cpr_hmac: string }): string =>
  'keyId' in h ? `${h.keyId}:${h.hmac}` : `${h.cpr_key_id}:${h.cpr_hmac}`;

/**
 * The child whose stored (key id, HMAC) matches one of the candidates, with the key id it matched
 * under; with `scope`, only if it has (had) an enrolment at one of those institutions.
 */
export async function findChildByCpr(
  db: Executor,
  candidates: CprHash[],
  scope: string[] | null = null,
): Promise<(ChildRow & { cpr_key_id: string }) | undefined> {
  return (
    selectChildren(db)
      .select('cpr_key_id')
      .where((eb) => cprHashIn(eb, candidates))
      // A stored hash matched, so its key id is not null.
      .$narrowType<{ cpr_key_id: NotNull }>()
      .$if(scope !== null, (q) => q.where((eb) => enrolledAtAny(eb, scope!)))
      .executeTakeFirst()
  );
}

/** Moves a child's CPR hash to the active key; not a change of the child, so updated_at stays. */
export async function rehashCpr(db: Executor, id: string, hash: CprHash): Promise<void> {
  await db.updateTable('children').set({ cpr_hmac: hash.hmac, cpr_key_id: hash.keyId }).where('id', '=', id).execute();
}

/**
 * Moves many children's CPR hashes to new ones in one statement. Each row moves only if it
 * still holds the hash it was found with (a concurrent lookup may have moved it already).
 * Returns the number of rows moved.
 */
export async function rehashCprs(db: Executor, moves: ReadonlyArray<{ id: string; from: CprHash; to: CprHash }>): Promise<number> {
  if (!moves.length) return 0;
  const values = sql.join(moves.map((m) => sql`(${m.id}::uuid, ${m.from.keyId}, ${m.from.hmac}, ${m.to.keyId}, ${m.to.hmac})`));
  const result = await sql`
    update children c set cpr_key_id = v.to_key, cpr_hmac = v.to_hmac
    from (values ${values}) as v(id, from_key, from_hmac, to_key, to_hmac)
    where c.id = v.id and c.cpr_key_id = v.from_key and c.cpr_hmac = v.from_hmac`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

/** Distinct stored key ids, by a loose index scan of (cpr_key_id, cpr_hmac): cheap at every start. */
export async function storedCprKeyIds(db: Executor): Promise<string[]> {
  const { rows } = await sql<{ k: string | null }>`
    with recursive ids(k) as (
      (select cpr_key_id from children where cpr_key_id is not null order by cpr_key_id limit 1)
      union all
      select (select cpr_key_id from children where cpr_key_id > ids.k order by cpr_key_id limit 1) from ids where ids.k is not null
    )
    select k from ids where k is not null`.execute(db);
  return rows.map((r) => r.k!);
}

/** How many children hold a CPR hash under each key id (all ids in use, or only `keyIds`; no hashes, only counts). */
export async function countChildrenByCprKey(db: Executor, keyIds?: string[]): Promise<Array<{ key_id: string; children: number }>> {
  if (keyIds && !keyIds.length) return [];
  const rows = await db
    .selectFrom('children')
    .select(['cpr_key_id', sql<bigint>`count(*)`.as('n')])
    .where('cpr_key_id', 'is not', null)
    .$if(keyIds !== undefined, (q) => q.where('cpr_key_id', 'in', keyIds!))
    .groupBy('cpr_key_id')
    .orderBy('cpr_key_id')
    .execute();
  return rows.map((r) => ({ key_id: r.cpr_key_id!, children: Number(r.n) }));
}

export async function listChildren(db: Executor, page: { after: string | null; limit: number; externalRef?: string | undefined }): Promise<ChildRow[]> {
  return selectChildren(db)
    .$if(page.after !== null, (q) => q.where('id', '>', page.after!))
    .$if(page.externalRef !== undefined, (q) => q.where('external_ref', '=', page.externalRef!))
    .orderBy('id')
    .limit(page.limit)
    .execute();
}

/** Locks the children's rows in id order (their enrolment sets are about to change). */
export async function lockChildren(db: Executor, ids: string[]): Promise<void> {
  if (!ids.length) return;
  await db
    .selectFrom('children')
    .select('id')
    .where('id', 'in', [...ids].sort())
    .orderBy('id')
    .forUpdate()
    .execute();
}
