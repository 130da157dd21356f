import type { Principal } from '../auth/principal.js';
import { problems } from '../domain/problem.js';
import * as rulesRepo from '../repositories/rules.js';
import { requirementsOf } from '../repositories/settlement-inputs.js';
import { toDayNumber } from '../settlement/dates.js';
import { windowRangeForBirthDate } from '../settlement/windows.js';
import type { ServiceDeps } from './deps.js';
import { requirementViews, type RequirementView } from './rules.js';

export interface PendingChild {
  child_id: string;
  /** The requirements the child has no current measurement for. */
  missing: RequirementView[];
}

/** Pending children are scanned in pages of this size when an institution's view filters them. */
const SCAN = 200;

/**
 * Which children a rule is still waiting for (SETTLEMENT.md §11): a child is pending for a
 * composite rule while some but not all of its requirements have a current measurement (no
 * award yet). A single-kind rule has no pending children: its one measurement makes the award.
 *
 * `requirements` and `missingRequirements` are the building blocks a liability forecast reuses:
 * a rule as a list of {name, kind, period}, and per child what it still misses.
 */
export class PendingService {
  constructor(private readonly deps: ServiceDeps) {}

  /** The rule's requirements (a single-kind rule: one, named after its kind), and its versions' specs. */
  async requirements(ruleId: string): Promise<{ rule: rulesRepo.RuleRow; requirements: RequirementView[] }> {
    const rule = await rulesRepo.getRule(this.deps.db, ruleId);
    if (!rule) throw problems.notFound('The rule', 'params.id');
    const rows = (await requirementsOf(this.deps.db, [ruleId])).get(ruleId);
    return { rule, requirements: requirementViews(rule, rows) };
  }

  /** Per child, the requirements of the rule it has no current measurement for (every one when it has none). */
  async missingRequirements(ruleId: string, childIds: string[]): Promise<Map<string, RequirementView[]>> {
    const { rule, requirements } = await this.requirements(ruleId);
    const measured = rule.kind_key === null ? await rulesRepo.measuredRequirements(this.deps.db, ruleId, childIds) : new Map<string, Set<string>>();
    return new Map(childIds.map((id) => [id, rule.kind_key === null ? requirements.filter((r) => !measured.get(id)?.has(r.name)) : []]));
  }

  /** Per rule of the fund, in creation order: awards earned, not earned, and children pending (`npm run seed`'s report). */
  async progress(fundId: string) {
    return rulesRepo.ruleProgress(this.deps.db, fundId);
  }

  /**
   * A page of the rule's pending children with what they miss, after `after` (child id). An
   * institution sees only children it had in one of the rule's windows (an enrolment there
   * overlapping a window, of any version, whose kinds include the institution's kind).
   */
  async pending(actor: Principal, ruleId: string, after: string | null, limit: number): Promise<{ items: PendingChild[]; next: string | null }> {
    const { rule } = await this.requirements(ruleId);
    if (rule.kind_key !== null) return { items: [], next: null };
    const items: PendingChild[] = [];
    let cursor = after;
    for (;;) {
      const want = actor.role === 'institution' ? SCAN : limit + 1 - items.length;
      const ids = await rulesRepo.pendingChildIds(this.deps.db, ruleId, cursor, want);
      const visible = actor.role === 'institution' ? await this.hadInWindows(ruleId, actor.institutionId!, ids) : ids;
      const missing = await this.missingRequirements(ruleId, visible);
      for (const id of visible) {
        if (items.length > limit) break;
        items.push({ child_id: id, missing: missing.get(id) ?? [] });
      }
      if (items.length > limit) return { items: items.slice(0, limit), next: items[limit - 1]!.child_id };
      if (ids.length < want) return { items, next: null };
      cursor = ids.at(-1)!;
    }
  }

  /** The children among `childIds` this institution had in one of the rule's windows. */
  private async hadInWindows(ruleId: string, institutionId: string, childIds: string[]): Promise<string[]> {
    const [enrolments, versions] = await Promise.all([
      rulesRepo.enrolmentsAt(this.deps.db, institutionId, childIds),
      rulesRepo.versionsOf(this.deps.db, ruleId),
    ]);
    const specs = versions.map((v) => v.spec);
    const inWindow = new Set<string>();
    for (const e of enrolments) {
      const start = toDayNumber(e.start_on);
      const end = e.end_on ? toDayNumber(e.end_on) : Number.POSITIVE_INFINITY;
      const hit = specs.some((s) =>
        s.windows.some((w) => {
          if (!w.kinds.includes(e.kind)) return false;
          const range = windowRangeForBirthDate(s.age_basis, e.birth_date, w, s.season_start ?? null);
          return start < range.end && range.start < end;
        }),
      );
      if (hit) inWindow.add(e.child_id);
    }
    return childIds.filter((id) => inWindow.has(id));
  }
}
