import type { Insertable } from 'kysely';
import type { Executor } from '../db/database.js';
import type { RuleVersionsTable, RulesTable } from '../db/schema.js';

/** What a rule version is checked against: its kind's value type and allowed values. */
export async function kindForRule(db: Executor, kindKey: string) {
  return db.selectFrom('measurement_kinds').select(['value_type', 'allowed_values']).where('key', '=', kindKey).executeTakeFirst();
}

/** The keys of every institution kind (a rule's split names them). */
export async function institutionKindKeys(db: Executor): Promise<Set<string>> {
  return new Set((await db.selectFrom('institution_kinds').select('key').execute()).map((r) => r.key));
}

export async function insertRule(db: Executor, row: Insertable<RulesTable>) {
  return db.insertInto('rules').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function insertVersions(db: Executor, rows: Array<Insertable<RuleVersionsTable>>): Promise<void> {
  if (rows.length) await db.insertInto('rule_versions').values(rows).execute();
}

export async function getRule(db: Executor, id: string, lock = false) {
  return db
    .selectFrom('rules')
    .selectAll()
    .where('id', '=', id)
    .$if(lock, (q) => q.forUpdate())
    .executeTakeFirst();
}

/** The rule's latest version: its number and when it takes effect. */
export async function latestVersion(db: Executor, ruleId: string) {
  return db
    .selectFrom('rule_versions')
    .select(['version', 'effective_from'])
    .where('rule_id', '=', ruleId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
}

export async function versionsOf(db: Executor, ruleId: string) {
  return db.selectFrom('rule_versions').selectAll().where('rule_id', '=', ruleId).orderBy('version').execute();
}

/** Rule ids in id order after `after`, of one fund or all. */
export async function listRuleIds(db: Executor, filter: { fundId?: string | undefined }, after: string | null, limit: number): Promise<string[]> {
  let q = db.selectFrom('rules').select('id').orderBy('id').limit(limit);
  if (filter.fundId) q = q.where('fund_id', '=', filter.fundId);
  if (after) q = q.where('id', '>', after);
  return (await q.execute()).map((r) => r.id);
}

/** Rules a window of any of whose versions names this institution kind, in id order. */
export async function rulesPayingKind(db: Executor, kind: string): Promise<string[]> {
  const rows = await db.selectFrom('rule_paid_kinds').select('rule_id').distinct().where('kind', '=', kind).orderBy('rule_id').execute();
  return rows.map((r) => r.rule_id);
}
