import { sql, type Selectable } from 'kysely';
import type { Executor } from '../db/database.js';
import type { InstitutionKindsTable, MeasurementKindPeriodsTable, MeasurementKindsTable } from '../db/schema.js';

const measurementColumns = [
  'key',
  'value_type',
  'allowed_values',
  'min_value',
  'max_value',
  'description',
  'created_at',
  'unit',
  'source',
  'family',
  'valid_from',
  'valid_to',
  'origin',
  'catalogue_version',
] as const;

const periodColumns = [
  'kind_key',
  'period',
  'basis',
  'grade',
  'from_months',
  'to_months',
  'typical_months',
  'early_years',
  'late_years',
  'valid_from',
  'valid_to',
  'description',
  'origin',
] as const;

/** A kind as read (`min_value`/`max_value`: numeric as exact decimal text). */
export type MeasurementKindRow = Pick<Selectable<MeasurementKindsTable>, (typeof measurementColumns)[number]>;

export type KindPeriodRow = Pick<Selectable<MeasurementKindPeriodsTable>, (typeof periodColumns)[number]>;

/** A kind as it is written: what POST, PUT and the catalogue give (type, values and range under their API names). */
export type KindWrite = Pick<
  MeasurementKindRow,
  'key' | 'description' | 'unit' | 'source' | 'family' | 'valid_from' | 'valid_to' | 'origin' | 'catalogue_version'
> & {
  type: MeasurementKindRow['value_type'];
  values: string[] | null;
  min: number | null;
  max: number | null;
};

export type PeriodWrite = Omit<KindPeriodRow, 'kind_key'>;

export type InstitutionKindRow = Selectable<InstitutionKindsTable>;

function kindValues(k: KindWrite) {
  return {
    value_type: k.type,
    allowed_values: k.values ? JSON.stringify(k.values) : null,
    // numeric columns: pass the JS number's shortest round-trip text, parsed exactly by PostgreSQL.
    min_value: k.min === null ? null : String(k.min),
    max_value: k.max === null ? null : String(k.max),
    description: k.description,
    unit: k.unit,
    source: k.source,
    family: k.family,
    valid_from: k.valid_from,
    valid_to: k.valid_to,
    origin: k.origin,
    catalogue_version: k.catalogue_version,
  };
}

export async function insertMeasurementKind(db: Executor, k: KindWrite): Promise<MeasurementKindRow> {
  return db
    .insertInto('measurement_kinds')
    .values({ key: k.key, ...kindValues(k) })
    .returning(measurementColumns)
    .executeTakeFirstOrThrow();
}

/** Inserts the kind unless one with its key exists; true when inserted. */
export async function insertMeasurementKindIfAbsent(db: Executor, k: KindWrite): Promise<boolean> {
  const row = await db
    .insertInto('measurement_kinds')
    .values({ key: k.key, ...kindValues(k) })
    .onConflict((oc) => oc.column('key').doNothing())
    .returning('key')
    .executeTakeFirst();
  return row !== undefined;
}

/** Replaces every attribute of an existing kind (PUT) as of `now`; its periods are replaced separately. */
export async function replaceMeasurementKind(db: Executor, k: KindWrite, now: Date): Promise<MeasurementKindRow> {
  return db
    .updateTable('measurement_kinds')
    .set({ ...kindValues(k), updated_at: now })
    .where('key', '=', k.key)
    .returning(measurementColumns)
    .executeTakeFirstOrThrow();
}

/** The kind's row, locked against concurrent use (a measurement's foreign key check waits for it). */
export async function lockMeasurementKind(db: Executor, key: string): Promise<MeasurementKindRow | undefined> {
  return db.selectFrom('measurement_kinds').select(measurementColumns).where('key', '=', key).forUpdate().executeTakeFirst();
}

/** Whether any measurement (retracted ones included) or rule uses the kind. */
export async function kindInUse(db: Executor, key: string): Promise<{ measurements: boolean; rules: boolean }> {
  const [m, r, q] = await Promise.all([
    db.selectFrom('measurements').select('id').where('kind_key', '=', key).limit(1).executeTakeFirst(),
    db.selectFrom('rules').select('id').where('kind_key', '=', key).limit(1).executeTakeFirst(),
    db.selectFrom('rule_requirements').select('rule_id').where('kind_key', '=', key).limit(1).executeTakeFirst(),
  ]);
  return { measurements: m !== undefined, rules: r !== undefined || q !== undefined };
}

export async function insertPeriods(db: Executor, kindKey: string, periods: PeriodWrite[], ifAbsent = false): Promise<number> {
  if (!periods.length) return 0;
  const rows = await db
    .insertInto('measurement_kind_periods')
    .values(periods.map((p) => ({ kind_key: kindKey, ...p })))
    .$if(ifAbsent, (q) => q.onConflict((oc) => oc.columns(['kind_key', 'period']).doNothing()))
    .returning('period')
    .execute();
  return rows.length;
}

export async function deletePeriods(db: Executor, kindKey: string): Promise<void> {
  await db.deleteFrom('measurement_kind_periods').where('kind_key', '=', kindKey).execute();
}

/** The periods of the given kinds (all kinds when `keys` is null), ordered by kind and period. */
export async function listPeriods(db: Executor, keys: string[] | null): Promise<KindPeriodRow[]> {
  if (keys && !keys.length) return [];
  return db
    .selectFrom('measurement_kind_periods')
    .select(periodColumns)
    .$if(keys !== null, (q) => q.where('kind_key', 'in', keys!))
    .orderBy('kind_key')
    .orderBy('period')
    .execute();
}

/** Those of `keys` that are kinds the catalogue installed (origin 'catalogue', never replaced). */
export async function listCatalogueKindKeys(db: Executor, keys: string[]): Promise<string[]> {
  if (!keys.length) return [];
  const rows = await db.selectFrom('measurement_kinds').select('key').where('key', 'in', keys).where('origin', '=', 'catalogue').execute();
  return rows.map((r) => r.key);
}

/** The catalogue entries already handled, by entry name. */
export async function handledCatalogueEntries(db: Executor): Promise<Set<string>> {
  return new Set((await db.selectFrom('catalogue_entries').select('entry').execute()).map((r) => r.entry));
}

export async function recordCatalogueEntries(db: Executor, entries: Array<{ entry: string; outcome: 'installed' | 'kept' }>, version: number): Promise<void> {
  if (!entries.length) return;
  await db
    .insertInto('catalogue_entries')
    .values(entries.map((e) => ({ ...e, catalogue_version: version })))
    .onConflict((oc) => oc.column('entry').doNothing())
    .execute();
}

/** Serialises catalogue installs of concurrently starting processes (API and workers). */
export async function lockCatalogue(db: Executor): Promise<void> {
  await sql`LOCK TABLE catalogue_entries IN SHARE ROW EXCLUSIVE MODE`.execute(db);
}

export async function getMeasurementKind(db: Executor, key: string): Promise<MeasurementKindRow | undefined> {
  return db.selectFrom('measurement_kinds').select(measurementColumns).where('key', '=', key).executeTakeFirst();
}

export async function listMeasurementKinds(
  db: Executor,
  page: { after: string | null; limit: number; family?: string | undefined },
): Promise<MeasurementKindRow[]> {
  return db
    .selectFrom('measurement_kinds')
    .select(measurementColumns)
    .$if(page.after !== null, (q) => q.where('key', '>', page.after!))
    .$if(page.family !== undefined, (q) => q.where('family', '=', page.family!))
    .orderBy('key')
    .limit(page.limit)
    .execute();
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

export async function listInstitutionKinds(db: Executor, page: { after: string | null; limit: number }): Promise<InstitutionKindRow[]> {
  return db
    .selectFrom('institution_kinds')
    .select(['key', 'label', 'created_at'])
    .$if(page.after !== null, (q) => q.where('key', '>', page.after!))
    .orderBy('key')
    .limit(page.limit)
    .execute();
}

/** Every measurement kind, whole rows (the ingest checks a chunk against them). */
export async function allMeasurementKinds(db: Executor) {
  return db.selectFrom('measurement_kinds').selectAll().execute();
}
