import type { Principal } from '../auth/principal.js';
import { problems } from '../domain/problem.js';
import { getInstitution } from '../repositories/institutions.js';
import { getFund } from '../repositories/funds.js';
import * as outcomesRepo from '../repositories/outcomes.js';
import { buildOutcomeReport, type GroupBy, type RuleReport } from '../reports/outcomes.js';
import { MIN_CELL } from '../reports/suppression.js';
import type { ServiceDeps } from './deps.js';
import type { OutcomeSummaryService } from './outcome-summary.js';

export interface OutcomeQuery {
  groupBy: GroupBy;
  fundId?: string | undefined;
  ruleId?: string | undefined;
}

export interface OutcomeReport {
  group_by: GroupBy;
  institution_id: string | null;
  min_cell: number;
  confidence: number;
  rules: RuleReport[];
}

const ORIGIN_LABELS: Record<string, string> = { restgruppe: 'Restgruppe origin', other: 'Other children' };

/**
 * The social-mobility report (issue 13): per rule, children measured and earned, the earn rate
 * with its 95 % Wilson interval and the amounts, grouped as asked, with small-cell protection;
 * the restgruppe gap in percentage points. An institution key gets the report over the children
 * it has had (any enrolment there), for the rules that pay its kind. docs/REPORTS.md.
 */
export class OutcomeReportService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly summary: OutcomeSummaryService,
  ) {}

  async report(actor: Principal, query: OutcomeQuery): Promise<OutcomeReport> {
    const db = this.deps.db;
    let payingKind: string | undefined;
    const institutionId = actor.role === 'institution' ? actor.institutionId : null;
    if (institutionId) {
      const inst = await getInstitution(db, institutionId);
      if (!inst) throw problems.forbidden('The key names no existing institution.');
      payingKind = inst.kind;
    }
    if (query.fundId && !(await getFund(db, query.fundId))) {
      throw problems.invalid('query.fund_id', 'unknown fund');
    }
    const rules = await outcomesRepo.reportRules(db, { fundId: query.fundId, ruleId: query.ruleId, payingKind });
    if (query.ruleId && !rules.length)
      throw problems.invalid('query.rule_id', institutionId ? 'unknown rule, or one that does not pay this institution' : 'unknown rule');
    // The summary is kept from change marks (D199): what they name is brought up to date first.
    await this.summary.refresh();
    // One aggregate statement; a generous sort/hash memory and no JIT for it alone (a few hundred
    // thousand groups at most; JIT compilation costs more than it saves here).
    const counts = await db.transaction().execute(async (trx) => {
      await outcomesRepo.reportSettings(trx);
      return outcomesRepo.outcomeCounts(trx, { groupBy: query.groupBy, ruleIds: rules.map((r) => r.id), institutionId });
    });
    const { label, compare } = await this.presentation(
      query.groupBy,
      counts.cells.map((c) => c.group),
    );
    return {
      group_by: query.groupBy,
      institution_id: institutionId,
      min_cell: MIN_CELL,
      confidence: 0.95,
      rules: buildOutcomeReport({
        groupBy: query.groupBy,
        rules: rules.map((r) => ({ id: r.id, name: r.name, fundId: r.fund_id })),
        cells: counts.cells,
        totals: counts.totals,
        label,
        compare,
      }),
    };
  }

  private async presentation(groupBy: GroupBy, keys: Array<string | null>) {
    const none = '(no institution of the rule’s kinds)';
    const byText = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1);
    if (groupBy === 'institution') {
      const names = await outcomesRepo.institutionLabels(this.deps.db, [...new Set(keys.filter((k): k is string => k !== null))]);
      const code = (k: string | null) => (k === null ? null : (names.get(k)?.code ?? k));
      return {
        label: (k: string | null) => (k === null ? none : `${names.get(k)?.code ?? k} ${names.get(k)?.name ?? ''}`.trim()),
        compare: (a: string | null, b: string | null) => byText(code(a), code(b)),
      };
    }
    if (groupBy === 'institution_kind') {
      const labels = await outcomesRepo.kindLabels(this.deps.db);
      return { label: (k: string | null) => (k === null ? none : (labels.get(k) ?? k)), compare: byText };
    }
    if (groupBy === 'origin') return { label: (k: string | null) => ORIGIN_LABELS[k ?? ''] ?? String(k), compare: byText };
    if (groupBy === 'municipality') return { label: (k: string | null) => (k === null ? none : k === '' ? '(no municipality recorded)' : k), compare: byText };
    return { label: (k: string | null) => k ?? none, compare: byText };
  }
}
