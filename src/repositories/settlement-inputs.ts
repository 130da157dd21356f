import { sql, type Selectable } from 'kysely';
import type { Executor } from '../db/database.js';
import { anyUuid, anyUuidIndexed } from '../db/any.js';
import type { RuleRequirementsTable, RulesTable, RuleVersionsTable } from '../db/schema.js';
import type { EnrolmentFacts, InstitutionFacts } from '../settlement/types.js';

/** Bulk loads of everything the settlement core needs for a batch of measurements. */

export type RequirementRow = Pick<Selectable<RuleRequirementsTable>, 'name' | 'kind_key' | 'period'>;

/** The rule's columns settlement reads (`kind_key` is null for a composite rule, §11). */
type RuleFacts = Pick<Selectable<RulesTable>, 'id' | 'fund_id' | 'kind_key' | 'periods'>;

export type RuleWithVersions = RuleFacts & {
  /** A composite rule's requirements in creation order; null for a single-kind rule. */
  requirements: RequirementRow[] | null;
  versions: Array<Pick<Selectable<RuleVersionsTable>, 'id' | 'version' | 'effective_from' | 'spec'>>;
};

/** The requirements of these rules, by rule, in creation order (composite rules only have any). */
export async function requirementsOf(db: Executor, ruleIds: string[]): Promise<Map<string, RequirementRow[]>> {
  const out = new Map<string, RequirementRow[]>();
  if (!ruleIds.length) return out;
  const rows = await db
    .selectFrom('rule_requirements')
    .select(['rule_id', 'name', 'kind_key', 'period'])
    .where(anyUuid('rule_id', ruleIds))
    .orderBy('rule_id')
    .orderBy('position')
    .execute();
  for (const r of rows) out.set(r.rule_id, [...(out.get(r.rule_id) ?? []), { name: r.name, kind_key: r.kind_key, period: r.period }]);
  return out;
}

/** Every rule a measurement of these kinds may trigger: single-kind rules on them, composite rules requiring them. */
export async function rulesForKinds(db: Executor, kinds: string[]): Promise<RuleWithVersions[]> {
  if (!kinds.length) return [];
  const rules = await db
    .selectFrom('rules')
    .select(['id', 'fund_id', 'kind_key', 'periods'])
    .where((eb) => eb.or([eb('kind_key', 'in', kinds), eb('id', 'in', eb.selectFrom('rule_requirements').select('rule_id').where('kind_key', 'in', kinds))]))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return withVersions(db, rules);
}

/** One rule with its requirements and versions, or undefined. */
export async function ruleFacts(db: Executor, ruleId: string): Promise<RuleWithVersions | undefined> {
  const rules = await db.selectFrom('rules').select(['id', 'fund_id', 'kind_key', 'periods']).where('id', '=', ruleId).execute();
  return (await withVersions(db, rules))[0];
}

async function withVersions(db: Executor, rules: RuleFacts[]): Promise<RuleWithVersions[]> {
  if (!rules.length) return [];
  const requirements = await requirementsOf(
    db,
    rules.filter((r) => r.kind_key === null).map((r) => r.id),
  );
  const versions = await db
    .selectFrom('rule_versions')
    .select(['id', 'rule_id', 'version', 'effective_from', 'spec'])
    .where(
      'rule_id',
      'in',
      rules.map((r) => r.id),
    )
    .orderBy('effective_from')
    .execute();
  return rules.map((r) => ({
    id: r.id,
    fund_id: r.fund_id,
    kind_key: r.kind_key,
    periods: r.periods ?? null,
    requirements: r.kind_key === null ? (requirements.get(r.id) ?? []) : null,
    versions: versions.filter((v) => v.rule_id === r.id).map((v) => ({ id: v.id, version: v.version, effective_from: v.effective_from, spec: v.spec })),
  }));
}

export async function childrenFacts(db: Executor, ids: string[]) {
  const out = new Map<string, { birth_date: string; attributes: Record<string, unknown> }>();
  if (!ids.length) return out;
  const rows = await db.selectFrom('children').select(['id', 'birth_date', 'attributes']).where(anyUuidIndexed('id', ids)).execute();
  for (const r of rows) out.set(r.id, { birth_date: r.birth_date, attributes: r.attributes ?? {} });
  return out;
}

export async function enrolmentsOfChildren(db: Executor, childIds: string[]) {
  const out = new Map<string, EnrolmentFacts[]>();
  if (!childIds.length) return out;
  const rows = await db
    .selectFrom('enrolments')
    .select(['id', 'child_id', 'institution_id', 'start_on', 'end_on'])
    .where(anyUuidIndexed('child_id', childIds))
    .orderBy('start_on')
    .orderBy('id')
    .execute();
  for (const r of rows) {
    const list = out.get(r.child_id) ?? [];
    list.push({ id: r.id, institution_id: r.institution_id, start: r.start_on, end: r.end_on });
    out.set(r.child_id, list);
  }
  return out;
}

/** Institutions by id, plus their successors transitively (payee redirection follows them). */
export async function institutionsWithSuccessors(db: Executor, ids: Iterable<string>) {
  const out = new Map<string, InstitutionFacts>();
  let frontier = [...new Set(ids)];
  while (frontier.length) {
    const rows = await db
      .selectFrom('institutions')
      .select(['id', 'code', 'kind', 'closed_on', 'successor_id'])
      .where(anyUuidIndexed('id', frontier))
      .execute();
    for (const r of rows) out.set(r.id, r);
    frontier = [...new Set(rows.map((r) => r.successor_id).filter((s): s is string => !!s && !out.has(s)))];
  }
  return out;
}

/** The measurement kinds a fund's rules are triggered by (its funding barrier watches these). */
export async function ruleKindsOfFund(db: Executor, fundId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('rules')
    .select('kind_key')
    .where('fund_id', '=', fundId)
    .where('kind_key', 'is not', null)
    .union(db.selectFrom('rule_requirements as q').innerJoin('rules as r', 'r.id', 'q.rule_id').select('q.kind_key').where('r.fund_id', '=', fundId))
    .execute();
  return rows.map((r) => r.kind_key!).sort();
}

/**
 * The children's measurements of these {kind, period} pairs, any status (a composite rule's
 * requirements, §11). Read, not locked: the pair's advisory lock (lockCompositePairs) orders
 * the settlements that change the pair's award.
 */
export async function measurementsOfPairs(db: Executor, childIds: string[], pairs: ReadonlyArray<{ kind_key: string; period: string }>) {
  if (!childIds.length || !pairs.length) return [];
  return db
    .selectFrom('measurements')
    .select(['id', 'seq', 'child_id', 'kind_key', 'period', 'value', 'measured_on', 'status'])
    .where(anyUuid('child_id', childIds))
    .where(sql<boolean>`(kind_key, period) in (select * from unnest(${pairs.map((p) => p.kind_key)}::text[], ${pairs.map((p) => p.period)}::text[]))`)
    .orderBy('seq')
    .execute();
}

/**
 * Serialises the settlements of these (composite rule, child) pairs: one transaction-scoped
 * advisory lock per pair, taken in a fixed order. Two settle jobs for two requirements of the
 * same child would otherwise both see no award and both create one.
 */
export async function lockCompositePairs(db: Executor, keys: string[]): Promise<void> {
  for (const key of [...new Set(keys)].sort()) {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`composite:${key}`}, 0))`.execute(db);
  }
}
