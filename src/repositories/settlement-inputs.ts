import type { Executor } from '../db/database.js';
import { anyUuid } from '../db/any.js';
import type { EnrolmentFacts, InstitutionFacts, RuleVersionSpec } from '../settlement/types.js';

/** Bulk loads of everything the settlement core needs for a batch of measurements. */

export interface RuleWithVersions {
  id: string;
  fund_id: string;
  kind_key: string;
  periods: string[] | null;
  versions: Array<{ id: string; version: number; effective_from: string; spec: RuleVersionSpec }>;
}

export async function rulesForKinds(db: Executor, kinds: string[]): Promise<RuleWithVersions[]> {
  if (!kinds.length) return [];
  const rules = await db
    .selectFrom('rules')
    .select(['id', 'fund_id', 'kind_key', 'periods'])
    .where('kind_key', 'in', kinds)
    .execute();
  if (!rules.length) return [];
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
    periods: (r.periods as string[] | null) ?? null,
    versions: versions
      .filter((v) => v.rule_id === r.id)
      .map((v) => ({ id: v.id, version: v.version, effective_from: v.effective_from, spec: v.spec as RuleVersionSpec })),
  }));
}

export async function childrenFacts(db: Executor, ids: string[]) {
  const out = new Map<string, { birth_date: string; attributes: Record<string, unknown> }>();
  if (!ids.length) return out;
  const rows = await db.selectFrom('children').select(['id', 'birth_date', 'attributes']).where(anyUuid('id', ids)).execute();
  for (const r of rows) out.set(r.id, { birth_date: r.birth_date, attributes: r.attributes ?? {} });
  return out;
}

export async function enrolmentsOfChildren(db: Executor, childIds: string[]) {
  const out = new Map<string, EnrolmentFacts[]>();
  if (!childIds.length) return out;
  const rows = await db
    .selectFrom('enrolments')
    .select(['id', 'child_id', 'institution_id', 'start_on', 'end_on'])
    .where(anyUuid('child_id', childIds))
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
      .where(anyUuid('id', frontier))
      .execute();
    for (const r of rows) out.set(r.id, r);
    frontier = [...new Set(rows.map((r) => r.successor_id).filter((s): s is string => !!s && !out.has(s)))];
  }
  return out;
}

/** The measurement kinds a fund's rules are triggered by (its funding barrier watches these). */
export async function ruleKindsOfFund(db: Executor, fundId: string): Promise<string[]> {
  const rows = await db.selectFrom('rules').select('kind_key').distinct().where('fund_id', '=', fundId).execute();
  return rows.map((r) => r.kind_key);
}
