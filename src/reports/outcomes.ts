import { MIN_CELL, suppressSmallCells, type Suppression } from './suppression.js';
import { wilsonInterval } from './wilson.js';

/**
 * The social-mobility report (GET /v1/reports/outcomes), pure: from the aggregate counts per
 * (rule, group, origin) and per (rule, origin), the published figures with small-cell
 * protection, Wilson intervals and the restgruppe gap. docs/REPORTS.md.
 */

export const GROUP_BYS = ['origin', 'municipality', 'institution_kind', 'institution', 'birth_year'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

/** Counts of one (rule, group, origin) — or, with group undefined, of the rule's distinct children by origin. */
export interface CountRow {
  ruleId: string;
  /** The group's key; null: the child has no value for it (e.g. no institution of the rule's kinds). */
  group: string | null;
  restgruppe: boolean;
  measured: number;
  earned: number;
  amountOre: bigint;
}

export interface RuleInfo {
  id: string;
  name: string;
  fundId: string;
}

export interface Figures {
  measured: number | null;
  earned: number | null;
  earn_rate: number | null;
  ci_low: number | null;
  ci_high: number | null;
  amount_ore: bigint | null;
  suppressed: Suppression | null;
}

export interface GroupFigures extends Figures {
  key: string | null;
  label: string;
  /** Restgruppe-origin earn rate minus the others', percentage points; null when either side has < 5 children. */
  gap_pp: number | null;
}

export interface RuleReport {
  rule_id: string;
  rule_name: string;
  fund_id: string;
  total: Figures;
  gap_pp: number | null;
  groups: GroupFigures[];
}

const round = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places;

interface Tally {
  measured: number;
  earned: number;
  amountOre: bigint;
}

const add = (a: Tally, b: Tally): Tally => ({ measured: a.measured + b.measured, earned: a.earned + b.earned, amountOre: a.amountOre + b.amountOre });
const ZERO: Tally = { measured: 0, earned: 0, amountOre: 0n };

function figures(t: Tally, suppressed: Suppression | null): Figures {
  if (suppressed) return { measured: null, earned: null, earn_rate: null, ci_low: null, ci_high: null, amount_ore: null, suppressed };
  // Nobody measured yet: nothing to protect and no rate.
  if (t.measured === 0) return { measured: 0, earned: 0, earn_rate: null, ci_low: null, ci_high: null, amount_ore: 0n, suppressed: null };
  const ci = wilsonInterval(t.earned, t.measured);
  return {
    measured: t.measured,
    earned: t.earned,
    earn_rate: round(t.earned / t.measured, 4),
    ci_low: round(ci.low, 4),
    ci_high: round(ci.high, 4),
    amount_ore: t.amountOre,
    suppressed: null,
  };
}

/** The gap in percentage points, when both sides count at least MIN_CELL children. */
function gap(restgruppe: Tally, others: Tally): number | null {
  if (restgruppe.measured < MIN_CELL || others.measured < MIN_CELL) return null;
  return round((restgruppe.earned / restgruppe.measured - others.earned / others.measured) * 100, 2);
}

export interface ReportInput {
  groupBy: GroupBy;
  rules: RuleInfo[];
  /** Per (rule, group, origin). For group_by origin these are not used: the groups are the origins. */
  cells: CountRow[];
  /** Per (rule, origin), each child once (group ignored). */
  totals: CountRow[];
  /** Display label of a group key (institution code and name, kind label…). */
  label: (key: string | null) => string;
  /** Sort order of the groups. */
  compare: (a: string | null, b: string | null) => number;
}

export function buildRuleReport(rule: RuleInfo, input: ReportInput): RuleReport {
  const byOrigin = { restgruppe: { ...ZERO }, others: { ...ZERO } };
  for (const r of input.totals) {
    if (r.ruleId !== rule.id) continue;
    const side = r.restgruppe ? 'restgruppe' : 'others';
    byOrigin[side] = add(byOrigin[side], r);
  }
  const total = add(byOrigin.restgruppe, byOrigin.others);
  const groups = new Map<string | null, { restgruppe: Tally; others: Tally }>();
  if (input.groupBy === 'origin') {
    if (byOrigin.restgruppe.measured) groups.set('restgruppe', { restgruppe: byOrigin.restgruppe, others: ZERO });
    if (byOrigin.others.measured) groups.set('other', { restgruppe: ZERO, others: byOrigin.others });
  } else {
    for (const r of input.cells) {
      if (r.ruleId !== rule.id) continue;
      const g = groups.get(r.group) ?? { restgruppe: ZERO, others: ZERO };
      if (r.restgruppe) g.restgruppe = add(g.restgruppe, r);
      else g.others = add(g.others, r);
      groups.set(r.group, g);
    }
  }
  const keyOf = (k: string | null) => (k === null ? '\u0000none' : k);
  const tallies = [...groups.entries()].map(([key, g]) => ({ key, origins: g, tally: add(g.restgruppe, g.others) }));
  const suppression = suppressSmallCells(
    tallies.map((t) => ({ key: keyOf(t.key), n: t.tally.measured })),
    total.measured,
  );
  const totalFigures = figures(total, suppression.totalSuppressed ? 'primary' : null);
  return {
    rule_id: rule.id,
    rule_name: rule.name,
    fund_id: rule.fundId,
    total: totalFigures,
    gap_pp: suppression.totalSuppressed ? null : gap(byOrigin.restgruppe, byOrigin.others),
    groups: tallies
      .sort((a, b) => input.compare(a.key, b.key))
      .map((t) => {
        const why = suppression.cells.get(keyOf(t.key)) ?? null;
        return {
          key: t.key,
          label: input.label(t.key),
          ...figures(t.tally, why),
          gap_pp: why || input.groupBy === 'origin' ? null : gap(t.origins.restgruppe, t.origins.others),
        };
      }),
  };
}

export function buildOutcomeReport(input: ReportInput): RuleReport[] {
  return input.rules.map((rule) => buildRuleReport(rule, input));
}
