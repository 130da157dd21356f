import { sql, type RawBuilder, type Selectable } from 'kysely';
import type { Executor } from '../db/database.js';
import type { InstitutionsTable, RuleAssumedRatesTable, RuleRequirementsTable, RulesTable, RuleVersionsTable } from '../db/schema.js';
import { anyUuid } from '../db/any.js';
import type { PeriodSpec } from '../domain/periods.js';

/**
 * SQL of the liability forecast and the institution's pipeline (docs/FORECAST.md): the rules, the
 * catalogue's periods, decided awards and holdings. The per-cohort figures come from the
 * forecast's summary (forecast-summary.ts).
 */

/** A rule with its requirements and its versions' specs (`jsonb_agg`s, in position and version order). */
export type RuleRow = Pick<Selectable<RulesTable>, 'id' | 'name' | 'kind_key' | 'periods'> & {
  requirements: Array<Pick<Selectable<RuleRequirementsTable>, 'name' | 'kind_key' | 'period'>>;
  versions: Array<Selectable<RuleVersionsTable>['spec']>;
};

function rulesWhere(where: RawBuilder<unknown>) {
  return sql<RuleRow>`
    SELECT r.id, r.name, r.kind_key, r.periods,
           coalesce((SELECT jsonb_agg(jsonb_build_object('name', q.name, 'kind_key', q.kind_key, 'period', q.period) ORDER BY q.position, q.name)
                     FROM rule_requirements q WHERE q.rule_id = r.id), '[]'::jsonb) AS requirements,
           coalesce((SELECT jsonb_agg(v.spec ORDER BY v.version) FROM rule_versions v WHERE v.rule_id = r.id), '[]'::jsonb) AS versions
    FROM rules r WHERE ${where} ORDER BY r.name, r.id`;
}

/** The fund's rules with their requirements (composite rules) and version specs, in publication order. */
export async function fundRules(db: Executor, fundId: string): Promise<RuleRow[]> {
  return (await rulesWhere(sql`r.fund_id = ${fundId}::uuid`).execute(db)).rows;
}

/** Every fund's rules, as `fundRules` (the forecast's summary covers them all). */
export async function allRules(db: Executor): Promise<RuleRow[]> {
  return (await rulesWhere(sql`true`).execute(db)).rows;
}

/** The catalogue's periods of these kinds. */
export async function kindPeriods(db: Executor, kinds: string[]): Promise<Map<string, Map<string, PeriodSpec>>> {
  const out = new Map<string, Map<string, PeriodSpec>>();
  if (!kinds.length) return out;
  const rows = await db.selectFrom('measurement_kind_periods').selectAll().where('kind_key', 'in', kinds).orderBy('kind_key').orderBy('period').execute();
  for (const r of rows) {
    const m = out.get(r.kind_key) ?? new Map<string, PeriodSpec>();
    m.set(r.period, {
      period: r.period,
      basis: r.basis,
      grade: r.grade,
      from_months: r.from_months,
      to_months: r.to_months,
      typical_months: r.typical_months,
      early_years: r.early_years,
      late_years: r.late_years,
      valid_from: r.valid_from,
      valid_to: r.valid_to,
    });
    out.set(r.kind_key, m);
  }
  return out;
}

/** The change counter of the forecast's inputs (migration 0016). */
export async function inputsSeq(db: Executor): Promise<bigint> {
  const { rows } = await sql<{ v: string }>`SELECT (CASE WHEN is_called THEN last_value ELSE 0 END)::text AS v FROM forecast_inputs_seq`.execute(db);
  return BigInt(rows[0]!.v);
}

/**
 * Decided awards per (rule, restgruppe origin): how many, how many earned, and the earned amounts —
 * from the outcome summary's totals (migration 0023: `outcome_counts` counts awards too), not from
 * every award. A not-earned award's amount is 0 (SETTLEMENT.md §3), so the summary's amount is
 * the earned awards' amount.
 */
export async function decidedCounts(db: Executor, ruleIds: string[]) {
  if (!ruleIds.length) return [];
  const { rows } = await sql<{ rule_id: string; restgruppe: boolean; decided: string; earned: string; earned_ore: string }>`
    SELECT rule_id, restgruppe, awards::text AS decided, earned_awards::text AS earned, amount_ore::text AS earned_ore
    FROM outcome_counts WHERE dim = 'total' AND rule_id = ANY(${ruleIds}::uuid[]) AND awards > 0`.execute(db);
  return rows.map((r) => ({
    ruleId: r.rule_id,
    restgruppe: r.restgruppe,
    decided: Number(r.decided),
    earned: Number(r.earned),
    earnedOre: BigInt(r.earned_ore),
  }));
}

/** Payouts of the fund's decided awards that are not yet payable (awaiting funds, provisional, held). */
export async function committedOre(db: Executor, fundId: string): Promise<bigint> {
  const { rows } = await sql<{ s: string }>`
    SELECT coalesce(sum(payout_total_ore), 0)::text AS s FROM awards
    WHERE fund_id = ${fundId}::uuid AND status IN ('awaiting_funds', 'provisional', 'held')`.execute(db);
  return BigInt(rows[0]!.s);
}

export async function assumedRates(db: Executor, ruleIds: string[]): Promise<Map<string, Pick<Selectable<RuleAssumedRatesTable>, 'rate' | 'note' | 'set_at'>>> {
  if (!ruleIds.length) return new Map();
  const rows = await db.selectFrom('rule_assumed_rates').select(['rule_id', 'rate', 'note', 'set_at']).where(anyUuid('rule_id', ruleIds)).execute();
  return new Map(rows.map((r) => [r.rule_id, { rate: String(r.rate), note: r.note, set_at: r.set_at }]));
}

export async function setAssumedRate(db: Executor, v: { ruleId: string; rate: string; note: string | null; setBy: string | null }): Promise<void> {
  await db
    .insertInto('rule_assumed_rates')
    .values({ rule_id: v.ruleId, rate: v.rate, note: v.note, set_by: v.setBy })
    .onConflict((oc) => oc.column('rule_id').doUpdateSet({ rate: v.rate, note: v.note, set_by: v.setBy, set_at: sql`now()` }))
    .execute();
}

export async function clearAssumedRate(db: Executor, ruleId: string): Promise<boolean> {
  const r = await db.deleteFrom('rule_assumed_rates').where('rule_id', '=', ruleId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/**
 * An institution's former and current children: birth date, attributes, their enrolments there,
 * and their enrolments elsewhere with the other institution's kind (a day shared is split, §5).
 */
export async function institutionChildren(db: Executor, institutionId: string) {
  const { rows } = await sql<{
    id: string;
    birth_date: string;
    attributes: Record<string, unknown>;
    spans: Array<{ start: string; end: string | null }>;
    others: Array<{ start: string; end: string | null; kind: string }>;
  }>`
    WITH mine AS (
      SELECT c.id, c.birth_date::text AS birth_date, c.attributes,
             jsonb_agg(jsonb_build_object('start', e.start_on::text, 'end', e.end_on::text) ORDER BY e.start_on) AS spans
      FROM enrolments e JOIN children c ON c.id = e.child_id
      WHERE e.institution_id = ${institutionId}::uuid
      GROUP BY c.id
    )
    SELECT m.id, m.birth_date, m.attributes, m.spans,
           coalesce((SELECT jsonb_agg(jsonb_build_object('start', o.start_on::text, 'end', o.end_on::text, 'kind', i.kind) ORDER BY o.start_on)
                     FROM enrolments o JOIN institutions i ON i.id = o.institution_id
                     WHERE o.child_id = m.id AND o.institution_id <> ${institutionId}::uuid), '[]'::jsonb) AS others
    FROM mine m ORDER BY m.id`.execute(db);
  return rows;
}

/** The decided (rule, period, child) triples of these children and rules. */
export async function decidedOf(db: Executor, childIds: string[], ruleIds: string[]): Promise<Set<string>> {
  if (!childIds.length || !ruleIds.length) return new Set();
  const { rows } = await sql<{ rule_id: string; period: string; child_id: string }>`
    SELECT DISTINCT a.rule_id, m.period, a.child_id
    FROM awards a JOIN measurements m ON m.id = a.measurement_id
    WHERE a.child_id = ANY(${childIds}::uuid[]) AND a.rule_id = ANY(${ruleIds}::uuid[])`.execute(db);
  const out = new Set<string>();
  for (const r of rows) {
    out.add(`${r.rule_id}|${r.period}|${r.child_id}`);
    out.add(`${r.rule_id}|*|${r.child_id}`);
  }
  return out;
}

/** The funds with a rule whose windows name this institution kind. */
export async function fundsPaying(db: Executor, kind: string): Promise<string[]> {
  const { rows } = await sql<{ fund_id: string }>`
    SELECT DISTINCT r.fund_id FROM rules r JOIN rule_paid_kinds k ON k.rule_id = r.id WHERE k.kind = ${kind} ORDER BY 1`.execute(db);
  return rows.map((r) => r.fund_id);
}

export async function institutionKind(db: Executor, id: string): Promise<Pick<Selectable<InstitutionsTable>, 'id' | 'kind' | 'code' | 'name'> | undefined> {
  return db.selectFrom('institutions').select(['id', 'kind', 'code', 'name']).where('id', '=', id).executeTakeFirst();
}
