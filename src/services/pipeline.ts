import type { Principal } from '../auth/principal.js';
import { ForecastRefusal } from '../forecast/errors.js';
import { pipelineItem, type PipelineItem } from '../forecast/pipeline.js';
import { GROUPS } from '../forecast/rates.js';
import * as repo from '../repositories/forecast.js';
import type { ServiceDeps } from './deps.js';
import type { ForecastService } from './forecast.js';

export const OTHER_PIPELINE = 'An institution key reads only its own pipeline.';

export interface Pipeline {
  institution_id: string;
  as_of: string;
  items: PipelineItem[];
  rules: Array<{ rule_id: string; rule_name: string; fund_id: string; pending: number; if_earned_ore: bigint; expected_ore: bigint }>;
}

/**
 * The institution's pipeline (issue 13 item 3): its former children with awards still pending per
 * rule that pays its kind, the bonus if earned, the expected bonus and when. Internal child ids
 * only. The rates are the forecast's (the fund's kept basis), without a scenario.
 */
export class PipelineService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly forecast: ForecastService,
  ) {}

  async pipeline(actor: Principal, institutionId: string): Promise<Pipeline> {
    if (actor.role === 'institution' && actor.institutionId !== institutionId) throw new ForecastRefusal('forbidden', null, OTHER_PIPELINE);
    const inst = await repo.institutionKind(this.deps.db, institutionId);
    if (!inst) throw new ForecastRefusal('not_found', null, 'No such institution.');
    const children = await repo.institutionChildren(this.deps.db, institutionId);
    const items: PipelineItem[] = [];
    const rules: Pipeline['rules'] = [];
    for (const fundId of await repo.fundsPaying(this.deps.db, inst.kind)) {
      const basis = await this.forecast.basis(fundId);
      const assumed = await repo.assumedRates(
        this.deps.db,
        basis.rules.map((r) => r.id),
      );
      const { rates } = this.forecast.rates(basis, assumed, []);
      const paying = basis.rules.filter((r) => r.versions.some((v) => v.windows.some((w) => w.kinds.includes(inst.kind))));
      const decided = await repo.decidedOf(
        this.deps.db,
        children.map((c) => c.id),
        paying.map((r) => r.id),
      );
      for (const rule of paying) {
        const meanEarned = this.forecast.meanEarned(basis, rule.id);
        const mine: PipelineItem[] = [];
        basis.units.forEach((unit, u) => {
          if (unit.ruleId !== rule.id) return;
          for (const child of children) {
            if (decided.has(`${rule.id}|${unit.period ?? '*'}|${child.id}`)) continue;
            const group = child.attributes['restgruppe_origin'] === true ? GROUPS[0]! : GROUPS[1]!;
            const item = pipelineItem(rule, unit, child, basis.geometry(u, child.birth_date), inst.kind, rates.get(`${rule.id}|${group}`)!.rate, meanEarned);
            if (item) mine.push(item);
          }
        });
        items.push(...mine);
        rules.push({
          rule_id: rule.id,
          rule_name: rule.name,
          fund_id: fundId,
          pending: mine.length,
          if_earned_ore: mine.reduce((s, i) => s + i.if_earned_ore, 0n),
          expected_ore: mine.reduce((s, i) => s + i.expected_ore, 0n),
        });
      }
    }
    items.sort(
      (a, b) => a.expected_payable_on.localeCompare(b.expected_payable_on) || a.child_id.localeCompare(b.child_id) || a.rule_id.localeCompare(b.rule_id),
    );
    return { institution_id: institutionId, as_of: this.forecast.today(), items, rules };
  }
}
