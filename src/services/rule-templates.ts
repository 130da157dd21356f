import type { Principal } from '../auth/principal.js';
import { RULE_TEMPLATES, type RuleTemplate } from '../catalogue/rule-templates.js';
import { problems } from '../domain/problem.js';
import type { RuleService } from './rules.js';

export interface Instantiation {
  fund_id: string;
  /** Defaults to the template's name. */
  name?: string | undefined;
}

/**
 * The default rules the proposal describes (`src/catalogue/rule-templates.ts`, docs/SEED.md),
 * offered as templates: read them, or instantiate one into a fund as a composite rule — exactly
 * as `POST /v1/rules` would create it from the template's `requires` and versions (same checks,
 * same audit record), so a template can never bypass validation.
 */
export class RuleTemplateService {
  constructor(private readonly rules: RuleService) {}

  list(): readonly RuleTemplate[] {
    return RULE_TEMPLATES;
  }

  get(key: string): RuleTemplate {
    const template = RULE_TEMPLATES.find((t) => t.key === key);
    if (!template) throw problems.notFound('The rule template', 'params.key');
    return template;
  }

  async instantiate(actor: Principal, key: string, input: Instantiation) {
    const template = this.get(key);
    return this.rules.create(actor, {
      fund_id: input.fund_id,
      name: input.name ?? template.name,
      requires: template.requires,
      versions: template.versions.map((v) => ({ ...v, season_start: v.season_start ?? null })),
    });
  }
}
