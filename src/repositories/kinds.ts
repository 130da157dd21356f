import type { Executor } from '../db/database.js';

export interface MeasurementKindRow {
  key: string;
  value_type: 'enum' | 'number' | 'boolean';
  allowed_values: string[] | null;
  /** numeric comes back as a decimal string (exact). */
  min_value: string | null;
  max_value: string | null;
  description: string | null;
  created_at: Date;
}

export interface InstitutionKindRow {
  key: string;
  label: string;
  created_at: Date;
}

const measurementColumns = [
  'key',
  'value_type',
  'allowed_values',
  'min_value',
  'max_value',
  'description',
  'created_at',
] as const;

export async function insertMeasurementKind(
  db: Executor,
  k: {
    key: string;
    type: MeasurementKindRow['value_type'];
    values: string[] | null;
    min: number | null;
    max: number | null;
    description: string | null;
  },
): Promise<MeasurementKindRow> {
  return (await db
    .insertInto('measurement_kinds')
    .values({
      key: k.key,
      value_type: k.type,
      allowed_values: k.values ? JSON.stringify(k.values) : null,
      // numeric columns: pass the JS number's shortest round-trip text, parsed exactly by PostgreSQL.
      min_value: k.min === null ? null : String(k.min),
      max_value: k.max === null ? null : String(k.max),
      description: k.description,
    })
    .returning(measurementColumns)
    .executeTakeFirstOrThrow()) as MeasurementKindRow;
}

export async function getMeasurementKind(db: Executor, key: string): Promise<MeasurementKindRow | undefined> {
  return (await db.selectFrom('measurement_kinds').select(measurementColumns).where('key', '=', key).executeTakeFirst()) as
    | MeasurementKindRow
    | undefined;
}

export async function listMeasurementKinds(
  db: Executor,
  page: { after: string | null; limit: number },
): Promise<MeasurementKindRow[]> {
  return (await db
    .selectFrom('measurement_kinds')
    .select(measurementColumns)
    .$if(page.after !== null, (q) => q.where('key', '>', page.after!))
    .orderBy('key')
    .limit(page.limit)
    .execute()) as MeasurementKindRow[];
}

/** The subset of `keys` that are not measurement kinds. */
export async function missingMeasurementKinds(db: Executor, keys: string[]): Promise<string[]> {
  if (!keys.length) return [];
  const found = await db.selectFrom('measurement_kinds').select('key').where('key', 'in', keys).execute();
  const known = new Set(found.map((r) => r.key));
  return keys.filter((k) => !known.has(k));
}

export async function insertInstitutionKind(db: Executor, k: { key: string; label: string }): Promise<InstitutionKindRow> {
  return db.insertInto('institution_kinds').values(k).returning(['key', 'label', 'created_at']).executeTakeFirstOrThrow();
}

export async function institutionKindExists(db: Executor, key: string): Promise<boolean> {
  return !!(await db.selectFrom('institution_kinds').select('key').where('key', '=', key).executeTakeFirst());
}

export async function listInstitutionKinds(
  db: Executor,
  page: { after: string | null; limit: number },
): Promise<InstitutionKindRow[]> {
  return db
    .selectFrom('institution_kinds')
    .select(['key', 'label', 'created_at'])
    .$if(page.after !== null, (q) => q.where('key', '>', page.after!))
    .orderBy('key')
    .limit(page.limit)
    .execute();
}
