import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import type { CprHash } from '../domain/cpr.js';

export type AttributeValue = string | number | boolean | null;

/** A child as the service reads it: whether it has a CPR hash, never the hash itself. */
export interface ChildRow {
  id: string;
  external_ref: string | null;
  birth_date: string;
  attributes: Record<string, AttributeValue>;
  has_cpr: boolean;
  created_at: Date;
  updated_at: Date;
}

function selectChildren(db: Executor) {
  return db
    .selectFrom('children')
    .select([
      'id',
      'external_ref',
      'birth_date',
      'attributes',
      sql<boolean>`cpr_hmac is not null`.as('has_cpr'),
      'created_at',
      'updated_at',
    ]);
}

export interface ChildFields {
  external_ref: string | null;
  birth_date: string;
  attributes: Record<string, AttributeValue>;
  cpr: CprHash | null;
}

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

export async function getChild(db: Executor, id: string, lock = false): Promise<ChildRow | undefined> {
  return (await selectChildren(db)
    .where('id', '=', id)
    .$if(lock, (q) => q.forUpdate())
    .executeTakeFirst()) as ChildRow | undefined;
}

/** The child whose stored (key id, HMAC) matches one of the candidates, with the key id it matched under. */
export async function findChildByCpr(
  db: Executor,
  candidates: CprHash[],
): Promise<(ChildRow & { cpr_key_id: string }) | undefined> {
  return (await selectChildren(db)
    .select('cpr_key_id')
    .where((eb) => eb.or(candidates.map((c) => eb.and([eb('cpr_key_id', '=', c.keyId), eb('cpr_hmac', '=', c.hmac)]))))
    .executeTakeFirst()) as (ChildRow & { cpr_key_id: string }) | undefined;
}

/** Moves a child's CPR hash to the active key; not a change of the child, so updated_at stays. */
export async function rehashCpr(db: Executor, id: string, hash: CprHash): Promise<void> {
  await db.updateTable('children').set({ cpr_hmac: hash.hmac, cpr_key_id: hash.keyId }).where('id', '=', id).execute();
}

export async function listChildren(
  db: Executor,
  page: { after: string | null; limit: number; externalRef?: string | undefined },
): Promise<ChildRow[]> {
  return (await selectChildren(db)
    .$if(page.after !== null, (q) => q.where('id', '>', page.after!))
    .$if(page.externalRef !== undefined, (q) => q.where('external_ref', '=', page.externalRef!))
    .orderBy('id')
    .limit(page.limit)
    .execute()) as ChildRow[];
}
