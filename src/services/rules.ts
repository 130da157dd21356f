import type { z } from 'zod';
import type { Principal } from '../auth/principal.js';
import type { Executor } from '../db/database.js';
import { checkVersion, toSpec, type ruleVersionSchema } from '../domain/rule-spec.js';
import { problems, type FieldError } from '../domain/problem.js';
import * as measurementsRepo from '../repositories/measurements.js';
import { listPeriods } from '../repositories/kinds.js';
import { enqueue } from '../repositories/outbox.js';
import * as rulesRepo from '../repositories/rules.js';
import { getFund } from '../repositories/funds.js';
import { recordAudit } from './audit.js';
import type { ServiceDeps } from './deps.js';

type VersionIn = z.output<typeof ruleVersionSchema>;

export interface RuleInput {
  fund_id: string;
  name?: string | undefined;
  kind: string;
  periods?: string[] | null | undefined;
  versions: VersionIn[];
}

const SETTLE_CHUNK = 500;

/**
 * Bonus rules and their versions. Versions are immutable once published (a database trigger
 * refuses updates); a new version must start after every existing one. Publishing marks the
 * measurements it may apply to for re-settlement.
 */
export class RuleService {
  constructor(private readonly deps: ServiceDeps) {}

  private async validate(trx: Executor, kindKey: string, versions: VersionIn[], path: (i: number) => string) {
    const kind = await rulesRepo.kindForRule(trx, kindKey);
    if (!kind) throw problems.invalid('body.kind', `unknown measurement kind '${kindKey}'`);
    const institutionKinds = await rulesRepo.institutionKindKeys(trx);
    const errors: FieldError[] = versions.flatMap((v, i) =>
      checkVersion(v, path(i), { value_type: kind.value_type, allowed_values: kind.allowed_values as string[] | null }, institutionKinds),
    );
    if (errors.length) throw problems.invalidMany(errors, 'The rule is not valid.');
  }

  /** A rule on a kind with declared periods names only those periods: any other could never be measured. */
  private async validatePeriods(trx: Executor, kindKey: string, periods: string[] | null) {
    if (!periods) return;
    const declared = new Set((await listPeriods(trx, [kindKey])).map((p) => p.period));
    if (!declared.size) return;
    const errors: FieldError[] = [];
    periods.forEach((p, i) => {
      if (!declared.has(p)) errors.push({ field: `body.periods.${i}`, message: `'${p}' is not a period of ${kindKey}` });
    });
    if (errors.length) throw problems.invalidMany(errors, 'The rule is not valid.');
  }

  async create(actor: Principal, input: RuleInput) {
    const dates = input.versions.map((v) => v.effective_from);
    for (let i = 1; i < dates.length; i++) {
      if (dates[i]! <= dates[i - 1]!) {
        throw problems.invalid(`body.versions.${i}.effective_from`, 'must be later than the previous version');
      }
    }
    const rule = await this.deps.db.transaction().execute(async (trx) => {
      const fund = await getFund(trx, input.fund_id);
      if (!fund) throw problems.invalid('body.fund_id', 'unknown fund');
      await this.validate(trx, input.kind, input.versions, (i) => `body.versions.${i}`);
      await this.validatePeriods(trx, input.kind, input.periods ?? null);
      const rule = await rulesRepo.insertRule(trx, {
        fund_id: input.fund_id,
        name: input.name ?? input.kind,
        kind_key: input.kind,
        periods: input.periods ? JSON.stringify(input.periods) : null,
        created_by: actor.keyId,
      });
      await rulesRepo.insertVersions(
        trx,
        input.versions.map((v, i) => ({
          rule_id: rule.id,
          version: i + 1,
          effective_from: v.effective_from,
          spec: JSON.stringify(toSpec(v)),
          created_by: actor.keyId,
        })),
      );
      await this.markForResettlement(trx, input.kind, input.periods ?? null, dates[0]!);
      await recordAudit(trx, actor, 'rule.create', { type: 'rule', id: rule.id }, { kind: input.kind, versions: input.versions.length });
      return rule;
    });
    this.deps.afterCommit();
    return this.get(rule.id);
  }

  async addVersion(actor: Principal, ruleId: string, version: VersionIn) {
    const out = await this.deps.db.transaction().execute(async (trx) => {
      const rule = await rulesRepo.getRule(trx, ruleId, true);
      if (!rule) throw problems.notFound('The rule', 'params.id');
      const last = await rulesRepo.latestVersion(trx, ruleId);
      if (version.effective_from <= last.effective_from) {
        throw problems.invalid('body.effective_from', `must be later than ${last.effective_from} (the latest version)`);
      }
      await this.validate(trx, rule.kind_key, [version], () => 'body');
      await rulesRepo.insertVersions(trx, [
        {
          rule_id: ruleId,
          version: last.version + 1,
          effective_from: version.effective_from,
          spec: JSON.stringify(toSpec(version)),
          created_by: actor.keyId,
        },
      ]);
      await this.markForResettlement(trx, rule.kind_key, (rule.periods as string[] | null) ?? null, version.effective_from);
      await recordAudit(trx, actor, 'rule.version.create', { type: 'rule', id: ruleId }, { version: last.version + 1 });
      return ruleId;
    });
    this.deps.afterCommit();
    return this.get(out);
  }

  /** Measurements the new version may now govern are re-settled (their awards may change). */
  private async markForResettlement(trx: Executor, kind: string, periods: string[] | null, from: string) {
    const ids = await measurementsRepo.bumpGenForKind(trx, kind, periods, from, this.deps.clock());
    const messages = [];
    for (let i = 0; i < ids.length; i += SETTLE_CHUNK) {
      messages.push({ topic: 'settle' as const, payload: { measurementIds: ids.slice(i, i + SETTLE_CHUNK) } });
    }
    await enqueue(trx, messages);
  }

  async get(id: string) {
    const rule = await rulesRepo.getRule(this.deps.db, id);
    if (!rule) throw problems.notFound('The rule', 'params.id');
    const versions = await rulesRepo.versionsOf(this.deps.db, id);
    return { ...rule, versions };
  }

  async list(filter: { fundId?: string | undefined }, after: string | null, limit: number) {
    const ids = await rulesRepo.listRuleIds(this.deps.db, filter, after, limit);
    return Promise.all(ids.map((id) => this.get(id)));
  }
}
