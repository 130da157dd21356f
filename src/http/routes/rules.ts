import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import { requiresSchema, ruleVersionSchema } from '../../domain/rule-spec.js';
import { principalOf } from '../plugins/auth.js';
import { decodeCursor, encodeCursor, pageOf, pageQuery, pageSchema } from '../pagination.js';
import { idParams } from '../schemas.js';

const requirementView = z.object({ name: z.string(), kind: z.string(), period: z.string().nullable() }).meta({ id: 'RuleRequirement' });
const pendingChild = z.object({ child_id: z.uuid(), missing: z.array(requirementView) }).meta({ id: 'PendingChild' });

export const ruleSchema = z
  .object({
    id: z.uuid(),
    fund_id: z.uuid(),
    name: z.string(),
    /** Null for a composite rule. */
    kind: z.string().nullable(),
    periods: z.array(z.string()).nullable(),
    requires: z
      .array(requirementView)
      .describe(
        'The rule as a list of requirements: a composite rule’s own (SETTLEMENT.md §11); a single-kind rule’s one, named after its kind, with its one period or null when it applies to several or every period (see periods).',
      ),
    created_at: z.string(),
    versions: z.array(z.object({ id: z.uuid(), version: z.number().int(), effective_from: z.string(), spec: z.unknown(), created_at: z.string() })),
  })
  .meta({ id: 'Rule' });

// Causes the service adds to the derived problem answers (contract/causes.ts).
const BAD_VERSION = {
  field: 'body.windows',
  message: 'shares above 10000 in total, to not above from, an unknown institution kind, or a predicate that does not fit the kind',
};
const CREATE_PROBLEMS = {
  422: [
    { field: 'body.fund_id', message: 'unknown fund' },
    { field: 'body.kind', message: 'unknown measurement kind, or neither kind nor requires given' },
    { field: 'body.requires', message: 'both kind and requires given, two requirements of the same {kind, period}, or an unknown kind' },
    { field: 'body.versions.0.predicates', message: 'predicates that do not match the requirement names' },
    { field: 'body.versions.0.amount', message: 'a value-based amount on a composite rule' },
    { ...BAD_VERSION, field: 'body.versions.0.windows' },
  ],
};
const VERSION_PROBLEMS = {
  409: [{ field: 'body.effective_from', message: 'a version with this effective_from exists' }],
  422: [{ field: 'body.effective_from', message: 'must be later than the latest version' }, BAD_VERSION],
};

type RuleOut = Awaited<ReturnType<AppContext['services']['rules']['get']>>;
export const presentRule = (r: RuleOut) => ({
  id: r.id,
  fund_id: r.fund_id,
  name: r.name,
  kind: r.kind_key,
  periods: (r.periods as string[] | null) ?? null,
  requires: r.requirements,
  created_at: r.created_at.toISOString(),
  versions: r.versions.map((v) => ({
    id: v.id,
    version: v.version,
    effective_from: v.effective_from,
    spec: v.spec,
    created_at: v.created_at.toISOString(),
  })),
});

/** A new rule: single-kind (kind) or composite (requires), with its first versions. */
const createRuleBody = z.strictObject({
  fund_id: z.uuid(),
  name: z.string().trim().min(1).max(200).optional(),
  kind: z.string().min(1).max(64).optional().describe('A single-kind rule’s triggering kind (SETTLEMENT.md §3); or give requires.'),
  requires: requiresSchema
    .optional()
    .describe(
      'A composite rule’s requirements (SETTLEMENT.md §11): name → {kind, period}, 1–20, fixed once created; its versions give predicates (one per name) and a fixed_ore amount.',
    ),
  periods: z.array(z.string().trim().min(1).max(64)).min(1).max(100).nullish(),
  versions: z.array(ruleVersionSchema).min(1).max(50),
});

export const ruleRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.post(
    '/rules',
    {
      config: { roles: ['admin'], problems: CREATE_PROBLEMS },
      schema: {
        tags: ['rules'],
        summary: 'Create a bonus rule with its versions (published, immutable): single-kind (kind) or composite (requires)',
        body: createRuleBody,
        response: { 201: ruleSchema },
      },
    },
    async (req, reply) => reply.code(201).send(presentRule(await ctx.services.rules.create(principalOf(req), req.body))),
  );

  app.post(
    '/rules/:id/versions',
    {
      config: { roles: ['admin'], problems: VERSION_PROBLEMS },
      schema: {
        tags: ['rules'],
        summary: 'Publish a new version (effective after every existing one); affected awards are re-settled',
        params: idParams,
        body: ruleVersionSchema,
        response: { 201: ruleSchema },
      },
    },
    async (req, reply) => reply.code(201).send(presentRule(await ctx.services.rules.addVersion(principalOf(req), req.params.id, req.body))),
  );

  app.get(
    '/rules',
    {
      config: { roles: ['admin', 'auditor'] },
      schema: {
        tags: ['rules'],
        summary: 'List rules',
        querystring: pageQuery.extend({ fund_id: z.uuid().optional() }),
        response: { 200: pageSchema(ruleSchema) },
      },
    },
    async (req) => {
      const rows = await ctx.services.rules.list({ fundId: req.query.fund_id }, decodeCursor(req.query.cursor), req.query.limit + 1);
      const page = pageOf(rows, req.query.limit, (r) => r.id);
      return { items: page.items.map(presentRule), next_cursor: page.next_cursor };
    },
  );

  app.get(
    '/rules/:id/pending',
    {
      config: { roles: ['admin', 'auditor', 'institution'] },
      schema: {
        tags: ['rules'],
        summary: 'Children a composite rule is still waiting for, and the requirements they miss (SETTLEMENT.md §11)',
        description:
          'A child is pending while some but not all of the rule’s requirements have a current measurement (no award yet). ' +
          'Children are internal ids only. An institution sees only children it had in one of the rule’s windows. A single-kind rule has none.',
        params: idParams,
        querystring: pageQuery,
        response: { 200: pageSchema(pendingChild) },
      },
    },
    async (req) => {
      const page = await ctx.services.pending.pending(principalOf(req), req.params.id, decodeCursor(req.query.cursor), req.query.limit);
      return { items: page.items, next_cursor: page.next ? encodeCursor(page.next) : null };
    },
  );

  app.get(
    '/rules/:id',
    { config: { roles: ['admin', 'auditor'] }, schema: { tags: ['rules'], summary: 'Read a rule', params: idParams, response: { 200: ruleSchema } } },
    async (req) => presentRule(await ctx.services.rules.get(req.params.id)),
  );
};
