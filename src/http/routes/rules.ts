import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import { ruleVersionSchema } from '../../domain/rule-spec.js';
import { principalOf } from '../plugins/auth.js';
import { decodeCursor, pageOf, pageQuery, pageSchema } from '../pagination.js';
import { idParams } from '../schemas.js';

export const rule = z
  .object({
    id: z.uuid(),
    fund_id: z.uuid(),
    name: z.string(),
    kind: z.string(),
    periods: z.array(z.string()).nullable(),
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
    { field: 'body.kind', message: 'unknown measurement kind' },
    { ...BAD_VERSION, field: 'body.versions.0.windows' },
  ],
};
const VERSION_PROBLEMS = {
  409: [{ field: 'body.effective_from', message: 'a version with this effective_from exists' }],
  422: [{ field: 'body.effective_from', message: 'must be later than the latest version' }, BAD_VERSION],
};

type RuleOut = Awaited<ReturnType<AppContext['services']['rules']['get']>>;
export const present = (r: RuleOut) => ({
  id: r.id,
  fund_id: r.fund_id,
  name: r.name,
  kind: r.kind_key,
  periods: (r.periods as string[] | null) ?? null,
  created_at: r.created_at.toISOString(),
  versions: r.versions.map((v) => ({
    id: v.id,
    version: v.version,
    effective_from: v.effective_from,
    spec: v.spec,
    created_at: v.created_at.toISOString(),
  })),
});

export const ruleRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.post(
    '/rules',
    {
      config: { roles: ['admin'], problems: CREATE_PROBLEMS },
      schema: {
        tags: ['rules'],
        summary: 'Create a bonus rule with its versions (published, immutable)',
        body: z.strictObject({
          fund_id: z.uuid(),
          name: z.string().trim().min(1).max(200).optional(),
          kind: z.string().min(1).max(64),
          periods: z.array(z.string().trim().min(1).max(64)).min(1).max(100).nullish(),
          versions: z.array(ruleVersionSchema).min(1).max(50),
        }),
        response: { 201: rule },
      },
    },
    async (req, reply) => reply.code(201).send(present(await ctx.services.rules.create(principalOf(req), req.body))),
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
        response: { 201: rule },
      },
    },
    async (req, reply) => reply.code(201).send(present(await ctx.services.rules.addVersion(principalOf(req), req.params.id, req.body))),
  );

  app.get(
    '/rules',
    {
      config: { roles: ['admin', 'auditor'] },
      schema: { tags: ['rules'], summary: 'List rules', querystring: pageQuery.extend({ fund_id: z.uuid().optional() }), response: { 200: pageSchema(rule) } },
    },
    async (req) => {
      const rows = await ctx.services.rules.list({ fundId: req.query.fund_id }, decodeCursor(req.query.cursor), req.query.limit + 1);
      const page = pageOf(rows, req.query.limit, (r) => r.id);
      return { items: page.items.map(present), next_cursor: page.next_cursor };
    },
  );

  app.get(
    '/rules/:id',
    { config: { roles: ['admin', 'auditor'] }, schema: { tags: ['rules'], summary: 'Read a rule', params: idParams, response: { 200: rule } } },
    async (req) => present(await ctx.services.rules.get(req.params.id)),
  );
};
