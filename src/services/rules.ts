import type { z } from 'zod';
import type { Principal } from '../auth/principal.js';
import type { Executor } from '../db/database.js';
import { checkCompositeVersion, checkRequires, checkVersion, toSpec, type Requires, type ruleVersionSchema } from '../domain/rule-spec.js';
import { problems, type FieldError } from '../domain/problem.js';
import * as measurementsRepo from '../repositories/measurements.js';
import { listPeriods } from '../repositories/kinds.js';
import { enqueue } from '../repositories/outbox.js';
import * as rulesRepo from '../repositories/rules.js';
import { requirementsOf, type RequirementRow } from '../repositories/settlement-inputs.js';
import { recordAudit } from './audit.js';
import type { ServiceDeps } from './deps.js';

type VersionIn = z.output<typeof ruleVersionSchema>;

export interface RuleInput {
  fund_id: string;
  name?: string | undefined;
  /** A single-kind rule's triggering kind (§3) — or `requires` (§11), not both. */
  kind?: string | undefined;
  periods?: string[] | null | undefined;
  requires?: Requires | undefined;
  versions: VersionIn[];
}

/**
 * A rule as a list of requirements (the shape the pending view and a liability forecast read):
 * a composite rule's own; a single-kind rule's one requirement named after its kind, with its
 * one period, or null when it applies to several or every period (`periods` says which).
 */
export interface RequirementView {
  name: string;
  kind: string;
  period: string | null;
}

export function requirementViews(
  rule: Pick<rulesRepo.RuleRow, 'kind_key' | 'periods'>,
  requirements: readonly RequirementRow[] | undefined,
): RequirementView[] {
  if (rule.kind_key === null) return (requirements ?? []).map((r) => ({ name: r.name, kind: r.kind_key, period: r.period }));
  return [{ name: rule.kind_key, kind: rule.kind_key, period: rule.periods?.length === 1 ? rule.periods[0]! : null }];
}

const SETTLE_CHUNK = 500;
const INVALID = 'The rule is not valid.';

/**
 * Bonus rules and their versions. Versions are immutable once published (a database trigger
 * refuses updates); a new version must start after every existing one. A composite rule's
 * requirements are fixed when it is created. Publishing marks the measurements it may apply to
 * for re-settlement.
 */
export class RuleService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Every version fits the rule: its kind (single-kind) or its requirements (composite). */
  private async validate(trx: Executor, rule: { kind: string | null; requires: Requires | null }, versions: VersionIn[], path: (i: number) => string) {
    const keys = rule.requires ? [...new Set(Object.values(rule.requires).map((r) => r.kind))] : [rule.kind!];
    const [kinds, institutionKinds] = await Promise.all([rulesRepo.kindShapes(trx, keys), rulesRepo.institutionKindKeys(trx)]);
    const errors: FieldError[] = [];
    if (rule.requires) {
      errors.push(...checkRequires(rule.requires, 'body.requires', kinds));
      versions.forEach((v, i) => errors.push(...checkCompositeVersion(v, path(i), rule.requires!, kinds, institutionKinds)));
    } else {
      const kind = kinds.get(rule.kind!);
      if (!kind) throw problems.invalid('body.kind', `unknown measurement kind '${rule.kind}'`);
      versions.forEach((v, i) => errors.push(...checkVersion(v, path(i), kind, institutionKinds)));
    }
    if (errors.length) throw problems.invalidMany(errors, INVALID);
  }

  /** A rule names only periods its kinds declare (when they declare any): any other could never be measured. */
  private async validatePeriods(trx: Executor, wanted: ReadonlyArray<{ kind: string; period: string; field: string }>) {
    const periods = await listPeriods(trx, [...new Set(wanted.map((w) => w.kind))]);
    const declared = new Map<string, Set<string>>();
    for (const p of periods) declared.set(p.kind_key, (declared.get(p.kind_key) ?? new Set()).add(p.period));
    const errors = wanted.flatMap((w) => {
      const of = declared.get(w.kind);
      return of && !of.has(w.period) ? [{ field: w.field, message: `'${w.period}' is not a period of ${w.kind}` }] : [];
    });
    if (errors.length) throw problems.invalidMany(errors, INVALID);
  }

  /** Exactly one of `kind` and `requires`; `periods` only with `kind`; versions in date order. */
  private checkShape(input: RuleInput): void {
    if (input.kind && input.requires) throw problems.invalid('body.requires', 'a rule has either kind (single-kind) or requires (composite), not both');
    if (!input.kind && !input.requires) throw problems.invalid('body.kind', 'is required (or requires, for a composite rule)');
    if (input.requires && input.periods) throw problems.invalid('body.periods', 'a composite rule names its periods in requires');
    const dates = input.versions.map((v) => v.effective_from);
    for (let i = 1; i < dates.length; i++) {
      if (dates[i]! <= dates[i - 1]!) throw problems.invalid(`body.versions.${i}.effective_from`, 'must be later than the previous version');
    }
  }

  async create(actor: Principal, input: RuleInput) {
    this.checkShape(input);
    const requires = input.requires ?? null;
    const requirements = requires ? Object.entries(requires).map(([name, r]) => ({ name, kind_key: r.kind, period: r.period })) : [];
    const rule = await this.deps.db.transaction().execute(async (trx) => {
      if (!(await rulesRepo.fundExists(trx, input.fund_id))) throw problems.invalid('body.fund_id', 'unknown fund');
      await this.validate(trx, { kind: input.kind ?? null, requires }, input.versions, (i) => `body.versions.${i}`);
      await this.validatePeriods(
        trx,
        requires
          ? requirements.map((r) => ({ kind: r.kind_key, period: r.period, field: `body.requires.${r.name}.period` }))
          : (input.periods ?? []).map((p, i) => ({ kind: input.kind!, period: p, field: `body.periods.${i}` })),
      );
      const rule = await rulesRepo.insertRule(trx, {
        fund_id: input.fund_id,
        name: input.name ?? input.kind ?? Object.keys(requires!).join('+'),
        kind_key: input.kind ?? null,
        periods: input.periods ?? null,
        created_by: actor.keyId,
      });
      await rulesRepo.insertRequirements(trx, rule.id, requirements);
      await rulesRepo.insertVersions(
        trx,
        input.versions.map((v, i) => ({ rule_id: rule.id, version: i + 1, effective_from: v.effective_from, spec: toSpec(v), created_by: actor.keyId })),
      );
      await this.markForResettlement(trx, rule, requirements, input.versions[0]!.effective_from);
      const detail = requires ? { requires: requirements.length } : { kind: input.kind };
      await recordAudit(trx, actor, 'rule.create', { type: 'rule', id: rule.id }, { ...detail, versions: input.versions.length });
      return rule;
    });
    this.deps.afterCommit();
    return this.get(rule.id);
  }

  async addVersion(actor: Principal, ruleId: string, version: VersionIn) {
    const out = await this.deps.db.transaction().execute(async (trx) => {
      const rule = await rulesRepo.lockRule(trx, ruleId);
      if (!rule) throw problems.notFound('The rule', 'params.id');
      const last = await rulesRepo.latestVersion(trx, ruleId);
      if (version.effective_from <= last.effective_from) {
        throw problems.invalid('body.effective_from', `must be later than ${last.effective_from} (the latest version)`);
      }
      const requirements = (await requirementsOf(trx, [ruleId])).get(ruleId) ?? [];
      const requires = rule.kind_key === null ? Object.fromEntries(requirements.map((r) => [r.name, { kind: r.kind_key, period: r.period }])) : null;
      await this.validate(trx, { kind: rule.kind_key, requires }, [version], () => 'body');
      await rulesRepo.insertVersions(trx, [
        { rule_id: ruleId, version: last.version + 1, effective_from: version.effective_from, spec: toSpec(version), created_by: actor.keyId },
      ]);
      await this.markForResettlement(trx, rule, requirements, version.effective_from);
      await recordAudit(trx, actor, 'rule.version.create', { type: 'rule', id: ruleId }, { version: last.version + 1 });
      return ruleId;
    });
    this.deps.afterCommit();
    return this.get(out);
  }

  /**
   * Measurements the new version may now govern are re-settled (their awards may change). For a
   * composite rule: every requirement's measurements from that date (an award dated on or after
   * it has at least its latest measurement among them).
   */
  private async markForResettlement(
    trx: Executor,
    rule: { kind_key: string | null; periods: string[] | null },
    requirements: ReadonlyArray<{ kind_key: string; period: string }>,
    from: string,
  ) {
    const now = this.deps.clock();
    const ids =
      rule.kind_key !== null
        ? await measurementsRepo.bumpGenForKind(trx, rule.kind_key, rule.periods, from, now)
        : (await Promise.all(requirements.map((r) => measurementsRepo.bumpGenForKind(trx, r.kind_key, [r.period], from, now)))).flat();
    const messages = [];
    for (let i = 0; i < ids.length; i += SETTLE_CHUNK) {
      messages.push({ topic: 'settle' as const, payload: { measurementIds: ids.slice(i, i + SETTLE_CHUNK) } });
    }
    await enqueue(trx, messages);
  }

  async get(id: string) {
    const rule = await rulesRepo.getRule(this.deps.db, id);
    if (!rule) throw problems.notFound('The rule', 'params.id');
    const [versions, requirements] = await Promise.all([rulesRepo.versionsOf(this.deps.db, id), requirementsOf(this.deps.db, [id])]);
    return { ...rule, requirements: requirementViews(rule, requirements.get(id)), versions };
  }

  async list(filter: { fundId?: string | undefined }, after: string | null, limit: number) {
    const ids = await rulesRepo.listRuleIds(this.deps.db, filter, after, limit);
    return Promise.all(ids.map((id) => this.get(id)));
  }
}
