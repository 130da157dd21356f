import { sql, type Selectable } from 'kysely';
import type { Executor } from '../db/database.js';
import type { ChildrenTable, InstitutionsTable, RuleAssumedRatesTable, RulesTable, RuleVersionsTable } from '../db/schema.js';
import { anyUuid } from '../db/any.js';
import type { PeriodSpec } from '../domain/periods.js';

/**
 * SQL of the liability forecast and the institution's pipeline (docs/FORECAST.md). The expensive
 * statement is `cohortScan`: one pass over the pending (child, award unit) pairs, their enrolments
 * and the window ranges of their birth date, aggregated to cohorts (unit, birth date, the
 * attributes the multipliers read). The service keeps its result while `inputsSeq` stands still.
 */

/** A rule with its versions' specs (a `jsonb_agg`, in version order). */
export type RuleRow = Pick<Selectable<RulesTable>, 'id' | 'name' | 'kind_key' | 'periods'> & { versions: Array<Selectable<RuleVersionsTable>['spec']> };

/** The fund's rules with their version specs, in publication order. */
export async function fundRules(db: Executor, fundId: string): Promise<RuleRow[]> {
  // Raw SQL: the versions' specs aggregated per rule in one statement.
  const { rows } = await sql<RuleRow>`
    SELECT r.id, r.name, r.kind_key, r.periods,
           coalesce((SELECT jsonb_agg(v.spec ORDER BY v.version) FROM rule_versions v WHERE v.rule_id = r.id), '[]'::jsonb) AS versions
    FROM rules r WHERE r.fund_id = ${fundId}::uuid ORDER BY r.name, r.id`.execute(db);
  return rows;
}

/** The catalogue's periods of these kinds. */
export async function kindPeriods(db: Executor, kinds: string[]): Promise<Map<string, Map<string, PeriodSpec>>> {
  const out = new Map<string, Map<string, PeriodSpec>>();
  if (!kinds.length) return out;
  const rows = await db.selectFrom('measurement_kind_periods').selectAll().where('kind_key', 'in', kinds).orderBy('kind_key').orderBy('period').execute();
  for (const r of rows) {
    const m = out.get(r.kind_key) ?? new Map<string, PeriodSpec>();
    m.set(r.period, { period: r.period, basis: r.basis, grade: r.grade, from_months: r.from_months, to_months: r.to_months, typical_months: r.typical_months, early_years: r.early_years, late_years: r.late_years, valid_from: r.valid_from, valid_to: r.valid_to });
    out.set(r.kind_key, m);
  }
  return out;
}

/** The distinct birth dates of registered children (the cohorts). */
export async function birthDates(db: Executor): Promise<string[]> {
  const { rows } = await sql<{ d: string }>`SELECT DISTINCT birth_date::text AS d FROM children ORDER BY 1`.execute(db);
  return rows.map((r) => r.d);
}

/** The change counter of the forecast's inputs (migration 0016). */
export async function inputsSeq(db: Executor): Promise<bigint> {
  const { rows } = await sql<{ v: string }>`SELECT (CASE WHEN is_called THEN last_value ELSE 0 END)::text AS v FROM forecast_inputs_seq`.execute(db);
  return BigInt(rows[0]!.v);
}

export interface ScanUnit {
  ruleId: string;
  /** The award's period; null: any award of the rule for the child decides it (composite). */
  period: string | null;
}

/** One window of a unit for one birth date whose known part [start, cut) is not empty. */
export interface ScanWindow {
  unit: number;
  birthDate: string;
  win: number;
  start: string;
  cut: string;
  kinds: string[];
  /** share_bp / (10000 · |D_w|), for the squares (floats are fine there). */
  weight: number;
}

export interface ScanRow {
  row: 'cohort' | 'window';
  unit: number;
  birth_date: string;
  attrs: unknown[];
  n: string | null;
  ksq: number | null;
  win: number | null;
  days: string | null;
}

/**
 * Pending (child, unit) pairs — no award of the unit's rule for the child with the unit's
 * period — aggregated per (unit, birth date, multiplier attributes): how many children, the days
 * their enrolments at the window's kinds cover in each window's known part (overlapping
 * enrolments capped at the part's length), and the sum of squares of each child's known share.
 * `keys`: the attributes the multipliers read; each becomes (present?, value) in `attrs`.
 */
export async function cohortScan(db: Executor, units: ScanUnit[], windows: ScanWindow[], keys: string[]): Promise<ScanRow[]> {
  if (!units.length) return [];
  const attrs = sql.join(keys.map((k) => sql`c.attributes ? ${k}::text, c.attributes -> ${k}::text`));
  const { rows } = await sql<ScanRow>`
    WITH u AS (
      SELECT * FROM unnest(${units.map((_, i) => i)}::int[], ${units.map((x) => x.ruleId)}::uuid[], ${units.map((x) => x.period)}::text[]) AS u(unit, rule_id, period)
    ), g AS (
      SELECT * FROM unnest(${windows.map((w) => w.unit)}::int[], ${windows.map((w) => w.birthDate)}::date[], ${windows.map((w) => w.win)}::int[],
                           ${windows.map((w) => w.start)}::date[], ${windows.map((w) => w.cut)}::date[], ${windows.map((w) => w.kinds.join(','))}::text[],
                           ${windows.map((w) => w.weight)}::float8[]) AS g(unit, birth_date, win, ws, cut, kinds, weight)
    ), decided AS (
      SELECT DISTINCT a.rule_id, m.period, a.child_id
      FROM awards a JOIN measurements m ON m.id = a.measurement_id
      WHERE a.rule_id = ANY(${units.map((x) => x.ruleId)}::uuid[])
    ), pending AS (
      SELECT u.unit, c.id AS child_id, c.birth_date, jsonb_build_array(${attrs}) AS attrs
      FROM children c CROSS JOIN u
      WHERE NOT EXISTS (SELECT 1 FROM decided d WHERE d.rule_id = u.rule_id AND d.child_id = c.id AND (u.period IS NULL OR d.period = u.period))
    ), known AS (
      SELECT p.unit, p.child_id, p.birth_date, p.attrs, g.win, g.weight,
             least(sum(least(coalesce(e.end_on, g.cut), g.cut) - greatest(e.start_on, g.ws)), g.cut - g.ws)::bigint AS days
      FROM pending p
      JOIN g ON g.unit = p.unit AND g.birth_date = p.birth_date
      JOIN enrolments e ON e.child_id = p.child_id AND e.start_on < g.cut AND (e.end_on IS NULL OR e.end_on > g.ws)
      JOIN institutions i ON i.id = e.institution_id AND i.kind = ANY(string_to_array(g.kinds, ','))
      GROUP BY p.unit, p.child_id, p.birth_date, p.attrs, g.win, g.weight, g.cut, g.ws
    ), child_k AS (
      SELECT unit, child_id, sum(days * weight) AS k FROM known GROUP BY unit, child_id
    )
    SELECT 'cohort' AS row, p.unit, p.birth_date::text AS birth_date, p.attrs, count(*)::text AS n,
           sum(coalesce(ck.k, 0) * coalesce(ck.k, 0))::float8 AS ksq, NULL::int AS win, NULL::text AS days
    FROM pending p LEFT JOIN child_k ck ON ck.unit = p.unit AND ck.child_id = p.child_id
    GROUP BY p.unit, p.birth_date, p.attrs
    UNION ALL
    SELECT 'window', k.unit, k.birth_date::text, k.attrs, NULL, NULL, k.win, sum(k.days)::text
    FROM known k GROUP BY k.unit, k.birth_date, k.attrs, k.win`.execute(db);
  return rows;
}

/** Decided awards per (rule, restgruppe origin): how many, how many earned, and the earned amounts. */
export async function decidedCounts(db: Executor, ruleIds: string[]) {
  if (!ruleIds.length) return [];
  const { rows } = await sql<{ rule_id: string; restgruppe: boolean; decided: string; earned: string; earned_ore: string }>`
    SELECT a.rule_id, coalesce((c.attributes -> 'restgruppe_origin') = 'true'::jsonb, false) AS restgruppe,
           count(*)::text AS decided, count(*) FILTER (WHERE a.earned)::text AS earned,
           coalesce(sum(a.amount_ore) FILTER (WHERE a.earned), 0)::text AS earned_ore
    FROM awards a JOIN children c ON c.id = a.child_id
    WHERE a.rule_id = ANY(${ruleIds}::uuid[])
    GROUP BY 1, 2`.execute(db);
  return rows.map((r) => ({ ruleId: r.rule_id, restgruppe: r.restgruppe, decided: Number(r.decided), earned: Number(r.earned), earnedOre: BigInt(r.earned_ore) }));
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
 * For the scans alone: memory to hash their cohorts, no JIT (compiling costs more than it saves
 * here), and no nested loops — the planner guesses 100 rows for each unnest() of window ranges
 * (there are hundreds of thousands) and would probe children and enrolments once per range.
 */
export async function scanSettings(trx: Executor): Promise<void> {
  await sql`SET LOCAL work_mem = '256MB'`.execute(trx);
  await sql`SET LOCAL jit = off`.execute(trx);
  await sql`SET LOCAL enable_nestloop = off`.execute(trx);
}

export interface ProfileSegment {
  unit: number;
  birthDate: string;
  win: number;
  seg: number;
  start: string;
  end: string;
  kinds: string[];
}

/**
 * The attribution profile: for segments of windows that recent cohorts have passed, the days
 * their enrolments at the window's kinds covered (capped per child and segment) and the days
 * there were (children × segment length), per (unit, birth date, window, segment).
 */
export async function coverageProfile(db: Executor, segments: ProfileSegment[]) {
  if (!segments.length) return [];
  const { rows } = await sql<{ unit: number; birth_date: string; win: number; seg: number; covered: string; days: string }>`
    WITH g AS (
      SELECT * FROM unnest(${segments.map((s) => s.unit)}::int[], ${segments.map((s) => s.birthDate)}::date[], ${segments.map((s) => s.win)}::int[],
                           ${segments.map((s) => s.seg)}::int[], ${segments.map((s) => s.start)}::date[], ${segments.map((s) => s.end)}::date[],
                           ${segments.map((s) => s.kinds.join(','))}::text[]) AS g(unit, birth_date, win, seg, s, e, kinds)
    ), born AS (
      SELECT c.birth_date, count(*) AS n FROM children c
      WHERE c.birth_date = ANY(${[...new Set(segments.map((s) => s.birthDate))]}::date[]) GROUP BY c.birth_date
    ), cov AS (
      SELECT g.unit, g.birth_date, g.win, g.seg,
             least(sum(least(coalesce(en.end_on, g.e), g.e) - greatest(en.start_on, g.s)), g.e - g.s) AS d
      FROM g JOIN children c ON c.birth_date = g.birth_date
      JOIN enrolments en ON en.child_id = c.id AND en.start_on < g.e AND (en.end_on IS NULL OR en.end_on > g.s)
      JOIN institutions i ON i.id = en.institution_id AND i.kind = ANY(string_to_array(g.kinds, ','))
      GROUP BY g.unit, g.birth_date, g.win, g.seg, c.id, g.s, g.e
    ), covered AS (
      SELECT unit, birth_date, win, seg, sum(d) AS d FROM cov GROUP BY 1, 2, 3, 4
    )
    SELECT g.unit, g.birth_date::text AS birth_date, g.win, g.seg, coalesce(cv.d, 0)::text AS covered, ((g.e - g.s)::bigint * b.n)::text AS days
    FROM g JOIN born b ON b.birth_date = g.birth_date
    LEFT JOIN covered cv ON (cv.unit, cv.birth_date, cv.win, cv.seg) = (g.unit, g.birth_date, g.win, g.seg)`.execute(db);
  return rows;
}

/** An institution's former and current children: birth date, attributes, and their enrolments there. */
export async function institutionChildren(db: Executor, institutionId: string) {
  const { rows } = await sql<Pick<Selectable<ChildrenTable>, 'id' | 'birth_date' | 'attributes'> & { spans: Array<{ start: string; end: string | null }> }>`
    SELECT c.id, c.birth_date::text AS birth_date, c.attributes,
           jsonb_agg(jsonb_build_object('start', e.start_on::text, 'end', e.end_on::text) ORDER BY e.start_on) AS spans
    FROM enrolments e JOIN children c ON c.id = e.child_id
    WHERE e.institution_id = ${institutionId}::uuid
    GROUP BY c.id ORDER BY c.id`.execute(db);
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
