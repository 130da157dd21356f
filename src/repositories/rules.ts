import type { Selectable } from 'kysely';
import type { Executor } from '../db/database.js';
import type { RuleRequirementsTable, RulesTable, RuleVersionsTable } from '../db/schema.js';
import type { KindShape } from '../domain/rule-spec.js';

/** Bonus rules, their requirements (composite rules, §11) and versions. */

export type RuleRow = Selectable<RulesTable>;

export async function fundExists(db: Executor, fundId: string): Promise<boolean> {
  return (await db.selectFrom('funds').select('id').where('id', '=', fundId).executeTakeFirst()) !== undefined;
}

/** The value shape of these measurement kinds (those that exist). */
export async function kindShapes(db: Executor, keys: string[]): Promise<Map<string, KindShape>> {
  if (!keys.length) return new Map();
  const rows = await db.selectFrom('measurement_kinds').select(['key', 'value_type', 'allowed_values']).where('key', 'in', keys).execute();
  return new Map(rows.map((r) => [r.key, { value_type: r.value_type, allowed_values: r.allowed_values ?? null }]));
}

export async function institutionKindKeys(db: Executor): Promise<Set<string>> {
  return new Set((await db.selectFrom('institution_kinds').select('key').execute()).map((r) => r.key));
}

export async function insertRule(db: Executor, r: Pick<RuleRow, 'fund_id' | 'name' | 'kind_key' | 'periods' | 'created_by'>): Promise<RuleRow> {
  return db
    .insertInto('rules')
    .values({ ...r, periods: r.periods ? JSON.stringify(r.periods) : null })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function insertRequirements(
  db: Executor,
  ruleId: string,
  requirements: ReadonlyArray<Pick<Selectable<RuleRequirementsTable>, 'name' | 'kind_key' | 'period'>>,
): Promise<void> {
  if (!requirements.length) return;
  await db
    .insertInto('rule_requirements')
    .values(requirements.map((r, position) => ({ rule_id: ruleId, name: r.name, kind_key: r.kind_key, period: r.period, position })))
    .execute();
}

export async function insertVersions(
  db: Executor,
  rows: ReadonlyArray<Pick<Selectable<RuleVersionsTable>, 'rule_id' | 'version' | 'effective_from' | 'spec' | 'created_by'>>,
): Promise<void> {
  if (!rows.length) return;
  await db
    .insertInto('rule_versions')
    .values(rows.map((v) => ({ ...v, spec: JSON.stringify(v.spec) })))
    .execute();
}

export async function lockRule(db: Executor, id: string): Promise<RuleRow | undefined> {
  return db.selectFrom('rules').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function latestVersion(db: Executor, ruleId: string): Promise<{ version: number; effective_from: string }> {
  return db
    .selectFrom('rule_versions')
    .select(['version', 'effective_from'])
    .where('rule_id', '=', ruleId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
}

export async function getRule(db: Executor, id: string): Promise<RuleRow | undefined> {
  return db.selectFrom('rules').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function versionsOf(db: Executor, ruleId: string) {
  return db.selectFrom('rule_versions').selectAll().where('rule_id', '=', ruleId).orderBy('version').execute();
}

export async function listRuleIds(db: Executor, filter: { fundId?: string | undefined }, after: string | null, limit: number): Promise<string[]> {
  let q = db.selectFrom('rules').select('id').orderBy('id').limit(limit);
  if (filter.fundId) q = q.where('fund_id', '=', filter.fundId);
  if (after) q = q.where('id', '>', after);
  return (await q.execute()).map((r) => r.id);
}

/**
 * Children pending for a composite rule (§11): at least one requirement has a current (active)
 * measurement, and the rule has no award for the child yet. Keyset-paged by child id.
 */
export async function pendingChildIds(db: Executor, ruleId: string, after: string | null, limit: number): Promise<string[]> {
  let q = db
    .selectFrom('measurements as m')
    .innerJoin('rule_requirements as q', (j) => j.onRef('q.kind_key', '=', 'm.kind_key').onRef('q.period', '=', 'm.period'))
    .select('m.child_id')
    .distinct()
    .where('q.rule_id', '=', ruleId)
    .where('m.status', '=', 'active')
    .where((eb) => eb.not(eb.exists(eb.selectFrom('awards as a').select('a.id').where('a.rule_id', '=', ruleId).whereRef('a.child_id', '=', 'm.child_id'))))
    .orderBy('m.child_id')
    .limit(limit);
  if (after) q = q.where('m.child_id', '>', after);
  return (await q.execute()).map((r) => r.child_id);
}

/**
 * How far a fund's rules have got, per rule: awards earned and not earned, and the children
 * pending (§11: some but not all requirements measured, no award yet — as `pendingChildIds`).
 * One statement; counts of awards and distinct children (the seed's report).
 */
export async function ruleProgress(
  db: Executor,
  fundId: string,
): Promise<Array<{ id: string; name: string; earned: number; not_earned: number; pending: number }>> {
  const rows = await db
    .selectFrom('rules as r')
    .select((eb) => [
      'r.id',
      'r.name',
      eb.selectFrom('awards as a').select(eb.fn.countAll<string>().as('n')).whereRef('a.rule_id', '=', 'r.id').where('a.earned', '=', true).as('earned'),
      eb.selectFrom('awards as a').select(eb.fn.countAll<string>().as('n')).whereRef('a.rule_id', '=', 'r.id').where('a.earned', '=', false).as('not_earned'),
      eb
        .selectFrom('measurements as m')
        .innerJoin('rule_requirements as q', (j) => j.onRef('q.kind_key', '=', 'm.kind_key').onRef('q.period', '=', 'm.period'))
        .select((e) => e.fn.count<string>('m.child_id').distinct().as('n'))
        .whereRef('q.rule_id', '=', 'r.id')
        .where('m.status', '=', 'active')
        .where((w) => w.not(w.exists(w.selectFrom('awards as a').select('a.id').whereRef('a.rule_id', '=', 'r.id').whereRef('a.child_id', '=', 'm.child_id'))))
        .as('pending'),
    ])
    .where('r.fund_id', '=', fundId)
    .orderBy('r.ordinal')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, earned: Number(r.earned ?? 0), not_earned: Number(r.not_earned ?? 0), pending: Number(r.pending ?? 0) }));
}

/** The current (active) measurements of these children for the rule's requirements: child id → requirement names. */
export async function measuredRequirements(db: Executor, ruleId: string, childIds: string[]): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  if (!childIds.length) return out;
  const rows = await db
    .selectFrom('measurements as m')
    .innerJoin('rule_requirements as q', (j) => j.onRef('q.kind_key', '=', 'm.kind_key').onRef('q.period', '=', 'm.period'))
    .select(['m.child_id', 'q.name'])
    .where('q.rule_id', '=', ruleId)
    .where('m.status', '=', 'active')
    .where('m.child_id', 'in', childIds)
    .execute();
  for (const r of rows) out.set(r.child_id, (out.get(r.child_id) ?? new Set()).add(r.name));
  return out;
}

/** Birth dates and enrolments at one institution of these children (the institution's view of pending children). */
export async function enrolmentsAt(db: Executor, institutionId: string, childIds: string[]) {
  if (!childIds.length) return [];
  return db
    .selectFrom('enrolments as e')
    .innerJoin('children as c', 'c.id', 'e.child_id')
    .innerJoin('institutions as i', 'i.id', 'e.institution_id')
    .select(['e.child_id', 'c.birth_date', 'i.kind', 'e.start_on', 'e.end_on'])
    .where('e.institution_id', '=', institutionId)
    .where('e.child_id', 'in', childIds)
    .execute();
}

/** Rules with a window naming this institution kind (what an institution may read). */
export async function rulesPayingKind(db: Executor, kind: string): Promise<string[]> {
  const rows = await db.selectFrom('rule_paid_kinds').select('rule_id').distinct().where('kind', '=', kind).orderBy('rule_id').execute();
  return rows.map((r) => r.rule_id);
}
