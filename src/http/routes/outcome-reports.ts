import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import { GROUP_BYS, type Figures } from '../../reports/outcomes.js';
import { principalOf } from '../plugins/auth.js';
import { oreOut } from '../schemas.js';
import { sendJsonText } from './awards.js';

const count = z.number().int().nullable();
const rate = z.number().nullable();
const suppression = z.enum(['primary', 'secondary']).nullable().meta({
  description:
    'Why the figures are withheld (null: published): primary — fewer than 5 children; secondary — withheld so that a primary cell cannot be worked out from the total',
});
const figures = {
  measured: count.meta({ description: 'Children with an award of the rule (null: suppressed)' }),
  earned: count.meta({ description: 'Of them, children with an earned award' }),
  earn_rate: rate.meta({ description: 'earned / measured (4 decimals)' }),
  ci_low: rate.meta({ description: 'Lower bound of the 95 % Wilson interval of the earn rate' }),
  ci_high: rate.meta({ description: 'Upper bound of the 95 % Wilson interval' }),
  amount_ore: z.number().int().nullable().meta({ description: 'Sum of the award amounts (øre)' }),
  suppressed: suppression,
};
const gap = z.number().nullable().meta({
  description: 'Earn rate of children of restgruppe origin minus that of the others, in percentage points; null when either side has fewer than 5 children',
});

const outcomeReport = z
  .object({
    group_by: z.enum(GROUP_BYS),
    institution_id: z.uuid().nullable().meta({ description: 'Set for an institution key: the report covers only children once enrolled there' }),
    min_cell: z.number().int(),
    confidence: z.number(),
    rules: z.array(
      z.object({
        rule_id: z.uuid(),
        rule_name: z.string(),
        fund_id: z.uuid(),
        total: z.object(figures),
        gap_pp: gap,
        groups: z.array(z.object({ key: z.string().nullable(), label: z.string(), ...figures, gap_pp: gap })),
      }),
    ),
  })
  .meta({ id: 'OutcomeReport' });

const present = (f: Figures) => ({ ...f, amount_ore: f.amount_ore === null ? null : oreOut(f.amount_ore) });

export const outcomeReportRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/reports/outcomes',
    {
      config: {
        roles: ['admin', 'auditor', 'institution'],
        problems: {
          403: [{ message: 'The key names no existing institution.' }],
          422: [
            { field: 'query.fund_id', message: 'unknown fund' },
            { field: 'query.rule_id', message: 'unknown rule' },
            { field: 'query.rule_id', message: 'unknown rule, or one that does not pay this institution' },
          ],
        },
      },
      schema: {
        tags: ['reports'],
        summary:
          'Social-mobility report: per rule, children measured and earned, earn rate with a 95 % Wilson interval, amounts, grouped, with small-cell protection',
        description:
          '"Measured" for a rule = children with an award of that rule. Groups: `origin` (restgruppe origin or not), `municipality`, ' +
          '`institution_kind` and `institution` (the institutions of the kinds the rule pays that the child attended — a child who ' +
          'attended several counts under each; the total counts it once), `birth_year`. A group with fewer than 5 children is ' +
          'suppressed, and further groups where the first could be worked out from the total (docs/REPORTS.md). An institution key ' +
          'gets the report over the children once enrolled there, for the rules that pay its kind.',
        querystring: z.strictObject({
          group_by: z.enum(GROUP_BYS).default('origin'),
          fund_id: z.uuid().optional(),
          rule_id: z.uuid().optional(),
        }),
        response: { 200: outcomeReport },
      },
    },
    async (req, reply) => {
      const r = await ctx.services.outcomes.report(principalOf(req), { groupBy: req.query.group_by, fundId: req.query.fund_id, ruleId: req.query.rule_id });
      const body = { ...r, rules: r.rules.map((rule) => ({ ...rule, total: present(rule.total), groups: rule.groups.map((g) => ({ ...g, ...present(g) })) })) };
      // By institution the report has a group per institution (18,000 at a million children):
      // validating that through the response schema took longer than computing it, so the text
      // is sent as built (the schema documents it; the integration tests read it back).
      return sendJsonText(reply, JSON.stringify(body));
    },
  );
};
