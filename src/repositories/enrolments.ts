import { sql, type Selectable } from 'kysely';
import type { Executor } from '../db/database.js';
import type { EnrolmentsTable } from '../db/schema.js';

/** An enrolment with its institution's code. */
export type EnrolmentRow = Selectable<EnrolmentsTable> & { institution_code: string };

/** What an enrolment is written with. */
export type EnrolmentFields = Pick<Selectable<EnrolmentsTable>, 'child_id' | 'institution_id' | 'start_on' | 'end_on'>;

function selectEnrolments(db: Executor) {
  return db
    .selectFrom('enrolments as e')
    .innerJoin('institutions as i', 'i.id', 'e.institution_id')
    .select(['e.id', 'e.child_id', 'e.institution_id', 'i.code as institution_code', 'e.start_on', 'e.end_on', 'e.created_at', 'e.updated_at']);
}

export async function getEnrolment(db: Executor, id: string, lock = false): Promise<EnrolmentRow | undefined> {
  return selectEnrolments(db)
    .where('e.id', '=', id)
    .$if(lock, (q) => q.forUpdate('e'))
    .executeTakeFirst();
}

export async function insertEnrolment(db: Executor, f: EnrolmentFields): Promise<string> {
  return (await db.insertInto('enrolments').values(f).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateEnrolment(db: Executor, id: string, patch: Partial<EnrolmentFields>): Promise<void> {
  await db
    .updateTable('enrolments')
    .set({ ...patch, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

export async function deleteEnrolment(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('enrolments').where('id', '=', id).execute();
}

export async function listEnrolments(
  db: Executor,
  page: { after: string | null; limit: number; childId?: string | undefined; institutionId?: string | undefined },
): Promise<EnrolmentRow[]> {
  return selectEnrolments(db)
    .$if(page.after !== null, (q) => q.where('e.id', '>', page.after!))
    .$if(page.childId !== undefined, (q) => q.where('e.child_id', '=', page.childId!))
    .$if(page.institutionId !== undefined, (q) => q.where('e.institution_id', '=', page.institutionId!))
    .orderBy('e.id')
    .limit(page.limit)
    .execute();
}

/** Of these children, those with an enrolment (past, ongoing or future) at one of these institutions. */
export async function childrenEnrolledAt(db: Executor, childIds: string[], institutionIds: string[]): Promise<Set<string>> {
  if (!childIds.length || !institutionIds.length) return new Set();
  const rows = await db
    .selectFrom('enrolments')
    .select('child_id')
    .distinct()
    .where('child_id', 'in', [...new Set(childIds)])
    .where('institution_id', 'in', institutionIds)
    .execute();
  return new Set(rows.map((r) => r.child_id));
}

/** Children ever enrolled at one of the institutions (any period). */
export async function childrenEverEnrolledAt(db: Executor, institutionIds: string[]): Promise<string[]> {
  if (!institutionIds.length) return [];
  const rows = await db.selectFrom('enrolments').select('child_id').distinct().where('institution_id', 'in', institutionIds).execute();
  return rows.map((r) => r.child_id);
}

/** Every enrolment of these children (their periods, to check a batch for overlaps). */
export async function enrolmentSpansOf(db: Executor, childIds: string[]) {
  if (!childIds.length) return [];
  return db.selectFrom('enrolments').select(['id', 'child_id', 'institution_id', 'start_on', 'end_on']).where('child_id', 'in', childIds).execute();
}

/** New enrolments in one statement; returns their ids with what identifies each. */
export async function insertEnrolments(db: Executor, rows: EnrolmentFields[]) {
  if (!rows.length) return [];
  return db.insertInto('enrolments').values(rows).returning(['id', 'child_id', 'institution_id', 'start_on']).execute();
}
