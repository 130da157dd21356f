import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import { predicateSchema } from '../../domain/rule-spec.js';
import { principalOf } from '../plugins/auth.js';
import { presentRule, ruleSchema } from './rules.js';

const template = z
  .object({
    key: z.string(),
    name: z.string(),
    description: z.string(),
    requires: z.record(z.string(), z.object({ kind: z.string(), period: z.string() })),
    versions: z.array(
      z.object({
        effective_from: z.string(),
        predicates: z.record(z.string(), predicateSchema),
        amount: z.object({ fixed_ore: z.number().int() }),
        multipliers: z.array(
          z.object({ attribute: z.string(), equals: z.union([z.string(), z.number(), z.boolean(), z.null()]), factor_bp: z.number().int() }),
        ),
        age_basis: z.enum(['months', 'calendar_years', 'seasons']),
        season_start: z.string().nullable().optional(),
        windows: z.array(z.object({ from: z.number().int(), to: z.number().int(), share_bp: z.number().int(), kinds: z.array(z.string()) })),
        unattributed: z.enum(['retain', 'redistribute']),
        review_days: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'RuleTemplate' });

const keyParams = z.object({ key: z.string().min(1).max(100) });

const INSTANTIATE_PROBLEMS = {
  422: [
    { field: 'body.fund_id', message: 'unknown fund' },
    { field: 'body.requires.language.kind', message: 'a kind the template needs is not installed (the catalogue was changed)' },
  ],
};

/** The default rules of the proposal as templates (docs/SEED.md), and their instantiation into a fund. */
export const ruleTemplateRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/rule-templates',
    {
      config: { roles: ['admin', 'auditor', 'institution'] },
      schema: {
        tags: ['rules'],
        summary: 'The default rules the proposal describes, as composite-rule templates (docs/SEED.md)',
        response: { 200: z.object({ items: z.array(template) }) },
      },
    },
    async () => ({ items: [...ctx.services.ruleTemplates.list()] }),
  );

  app.get(
    '/rule-templates/:key',
    {
      config: { roles: ['admin', 'auditor', 'institution'] },
      schema: { tags: ['rules'], summary: 'Read a rule template', params: keyParams, response: { 200: template } },
    },
    async (req) => ctx.services.ruleTemplates.get(req.params.key),
  );

  app.post(
    '/rule-templates/:key/rules',
    {
      config: { roles: ['admin'], problems: INSTANTIATE_PROBLEMS },
      schema: {
        tags: ['rules'],
        summary: 'Create a rule of a fund from a template (as POST /v1/rules would, with the template’s requires and versions)',
        params: keyParams,
        body: z.strictObject({ fund_id: z.uuid(), name: z.string().trim().min(1).max(200).optional() }),
        response: { 201: ruleSchema },
      },
    },
    async (req, reply) => reply.code(201).send(presentRule(await ctx.services.ruleTemplates.instantiate(principalOf(req), req.params.key, req.body))),
  );
};
