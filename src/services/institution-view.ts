import type { Principal } from '../auth/principal.js';
import { problems } from '../domain/problem.js';
import { getInstitution } from '../repositories/institutions.js';
import { rulesPayingKind } from '../repositories/rules.js';
import { statementCsv } from '../reports/statement-csv.js';
import type { ServiceDeps } from './deps.js';
import type { ReportService } from './reports.js';
import type { RuleService } from './rules.js';

export const OTHER_INSTITUTION = 'An institution key reads only the rules that pay itself.';

/**
 * What an institution sees of itself beyond its awards (issue 13, item 3): the rules that pay it
 * (a rule pays an institution when a window of any of its versions names the institution's kind)
 * and its statement as CSV. An institution key reads only its own; another institution's is
 * refused as the JSON statement is (403).
 */
export class InstitutionViewService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly rules: RuleService,
    private readonly reports: ReportService,
  ) {}

  private async institution(actor: Principal, institutionId: string) {
    if (actor.role === 'institution' && actor.institutionId !== institutionId) {
      throw problems.forbidden(OTHER_INSTITUTION);
    }
    const inst = await getInstitution(this.deps.db, institutionId);
    if (!inst) throw problems.notFound('The institution', 'params.id');
    return inst;
  }

  async payingRules(actor: Principal, institutionId: string) {
    const inst = await this.institution(actor, institutionId);
    const ids = await rulesPayingKind(this.deps.db, inst.kind);
    return Promise.all(ids.map((id) => this.rules.get(id)));
  }

  /** The statement as CSV; the institution (id or code), the period and access as for the JSON statement. */
  async statementCsv(
    actor: Principal,
    institutionRef: string,
    period: { from?: string | undefined; to?: string | undefined },
  ): Promise<{ csv: string; filename: string }> {
    const s = await this.reports.statement(actor, institutionRef, period);
    return { csv: statementCsv(s), filename: `statement-${s.institution.code.replace(/[^A-Za-z0-9._-]/g, '_')}-${s.from}-${s.to}.csv` };
  }
}
