import { sql, type RawBuilder, type Selectable } from 'kysely';
import type { Executor } from '../db/database.js';
import type { OutcomeFactsTable, RulesTable } from '../db/schema.js';
import { anyUuid } from '../db/any.js';
import type { CountRow, GroupBy } from '../reports/outcomes.js';

/**
 * The social-mobility report's counts (migration 0012): for the whole population from
 * `outcome_counts`, kept at every settlement; for one institution's former children from
 * `outcome_facts`, grouped twice — per (rule, group, origin) and per (rule, origin). A child can
 * count under several institutions (kinds, municipalities) of one rule; the per-(rule, origin)
 * totals count it once (its first group), so they are distinct children.
 */

/** The group values of one row, each with its position (1 = the first; a child with none has one null group). */
const GROUPS: Record<GroupBy, RawBuilder<unknown>> = {
  origin: sql`(SELECT NULL::text, 1::bigint)`,
  birth_year: sql`(SELECT f.birth_year::text, 1::bigint)`,
  institution: sql`unnest(CASE WHEN cardinality(f.institution_ids) = 0 THEN ARRAY[NULL]::text[] ELSE f.institution_ids::text[] END) WITH ORDINALITY`,
  institution_kind: sql`unnest(CASE WHEN cardinality(f.institution_kinds) = 0 THEN ARRAY[NULL]::text[] ELSE f.institution_kinds END) WITH ORDINALITY`,
  municipality: sql`unnest(CASE WHEN cardinality(f.municipalities) = 0 THEN ARRAY[NULL]::text[] ELSE f.municipalities END) WITH ORDINALITY`,
};

/** One grouping-set row of `fromFacts` (counts as int, sums of øre as text). */
type Row = Pick<Selectable<OutcomeFactsTable>, 'rule_id' | 'restgruppe'> & {
  grp: string | null;
  is_total: number;
  n_all: number;
  n_first: number;
  e_all: number;
  e_first: number;
  a_all: string;
  a_first: string | null;
};

export async function outcomeCounts(
  db: Executor,
  opts: { groupBy: GroupBy; ruleIds: string[]; institutionId: string | null },
): Promise<{ cells: CountRow[]; totals: CountRow[] }> {
  if (!opts.ruleIds.length) return { cells: [], totals: [] };
  return opts.institutionId === null ? fromCounts(db, opts.groupBy, opts.ruleIds) : fromFacts(db, opts.groupBy, opts.ruleIds, opts.institutionId);
}

/** The whole population: the pre-aggregated counts (a few rows per rule and group). */
async function fromCounts(db: Executor, groupBy: GroupBy, ruleIds: string[]): Promise<{ cells: CountRow[]; totals: CountRow[] }> {
  const dims: Array<'total' | Exclude<GroupBy, 'origin'>> = groupBy === 'origin' ? ['total'] : ['total', groupBy];
  const rows = await db
    .selectFrom('outcome_counts')
    .select(['rule_id', 'dim', 'value', 'restgruppe', 'measured', 'earned', 'amount_ore'])
    .where(anyUuid('rule_id', ruleIds))
    .where('dim', 'in', dims)
    .where('measured', '>', 0n)
    .execute();
  const cells: CountRow[] = [];
  const totals: CountRow[] = [];
  for (const r of rows) {
    const row = {
      ruleId: r.rule_id,
      group: r.value,
      restgruppe: r.restgruppe,
      measured: Number(r.measured),
      earned: Number(r.earned),
      amountOre: r.amount_ore,
    };
    (r.dim === 'total' ? totals : cells).push(row);
  }
  return { cells, totals };
}

/** The children once enrolled at one institution: aggregated from outcome_facts (a few thousand rows). */
async function fromFacts(db: Executor, groupBy: GroupBy, ruleIds: string[], institutionId: string): Promise<{ cells: CountRow[]; totals: CountRow[] }> {
  const opts = { groupBy, ruleIds, institutionId };
  const scope = sql`AND f.child_id IN (SELECT e.child_id FROM enrolments e WHERE e.institution_id = ${opts.institutionId}::uuid)`;
  const { rows } = await sql<Row>`
    SELECT f.rule_id, g.value AS grp, f.restgruppe, GROUPING(g.value) AS is_total,
           count(*)::int AS n_all, count(*) FILTER (WHERE g.ord = 1)::int AS n_first,
           count(*) FILTER (WHERE f.earned_awards > 0)::int AS e_all,
           count(*) FILTER (WHERE g.ord = 1 AND f.earned_awards > 0)::int AS e_first,
           sum(f.amount_ore)::text AS a_all, sum(f.amount_ore) FILTER (WHERE g.ord = 1)::text AS a_first
    FROM outcome_facts f
    CROSS JOIN LATERAL ${GROUPS[opts.groupBy]} AS g(value, ord)
    WHERE f.rule_id = ANY(${opts.ruleIds}::uuid[]) ${scope}
    GROUP BY GROUPING SETS ((f.rule_id, g.value, f.restgruppe), (f.rule_id, f.restgruppe))`.execute(db);
  const cells: CountRow[] = [];
  const totals: CountRow[] = [];
  for (const r of rows) {
    if (Number(r.is_total) === 1) {
      totals.push({ ruleId: r.rule_id, group: null, restgruppe: r.restgruppe, measured: r.n_first, earned: r.e_first, amountOre: BigInt(r.a_first ?? '0') });
    } else {
      cells.push({ ruleId: r.rule_id, group: r.grp, restgruppe: r.restgruppe, measured: r.n_all, earned: r.e_all, amountOre: BigInt(r.a_all) });
    }
  }
  return { cells, totals };
}

/** For the report's one statement, in the caller's transaction: enough memory to hash its groups, and no JIT (it costs more than it saves). */
export async function reportSettings(trx: Executor): Promise<void> {
  await sql`SET LOCAL work_mem = '64MB'`.execute(trx);
  await sql`SET LOCAL jit = off`.execute(trx);
}

/** Rules for the report: all (optionally of one fund, or one rule), or those paying an institution's kind. */
export async function reportRules(
  db: Executor,
  filter: { fundId?: string | undefined; ruleId?: string | undefined; payingKind?: string | undefined },
): Promise<Array<Pick<Selectable<RulesTable>, 'id' | 'name' | 'fund_id'>>> {
  let q = db.selectFrom('rules').select(['id', 'name', 'fund_id']).orderBy('name').orderBy('id');
  if (filter.fundId) q = q.where('fund_id', '=', filter.fundId);
  if (filter.ruleId) q = q.where('id', '=', filter.ruleId);
  if (filter.payingKind !== undefined) {
    const kind = filter.payingKind;
    q = q.where('id', 'in', db.selectFrom('rule_paid_kinds').select('rule_id').where('kind', '=', kind));
  }
  return q.execute();
}

/** Labels of the groups: institutions by id (code and name), institution kinds by key. */
export async function institutionLabels(db: Executor, ids: string[]): Promise<Map<string, { code: string; name: string }>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('institutions').select(['id', 'code', 'name']).where(anyUuid('id', ids)).execute();
  return new Map(rows.map((r) => [r.id, { code: r.code, name: r.name }]));
}

export async function kindLabels(db: Executor): Promise<Map<string, string>> {
  const rows = await db.selectFrom('institution_kinds').select(['key', 'label']).execute();
  return new Map(rows.map((r) => [r.key, r.label]));
}
