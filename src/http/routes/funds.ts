import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import type { FundRow } from '../../repositories/funds.js';
import { principalOf } from '../plugins/auth.js';
import { pageQuery, pageSchema } from '../pagination.js';
import { idParams, iso, timestamp } from '../schemas.js';

const fundOut = z
  .object({ id: z.uuid(), name: z.string(), description: z.string().nullable(), created_at: timestamp })
  .meta({ id: 'Fund', description: 'A fund: holds deposited money and owns bonus rules.' });

const fundBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().max(2000).nullable().optional(),
});

const toFund = (f: FundRow): z.infer<typeof fundOut> => ({
  id: f.id,
  name: f.name,
  description: f.description,
  created_at: iso(f.created_at)!,
});

const tags = ['funds'];

export const fundRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const funds = ctx.services.funds;

  app.post(
    '/funds',
    {
      config: { roles: ['admin'] },
      schema: {
        tags,
        summary: 'Create a fund (and its ledger accounts)',
        body: fundBody,
        response: { 201: fundOut },
      },
    },
    async (request, reply) => reply.code(201).send(toFund(await funds.create(principalOf(request), request.body))),
  );

  app.get(
    '/funds',
    {
      config: { roles: ['admin', 'auditor'] },
      schema: { tags, summary: 'List funds', querystring: z.strictObject(pageQuery.shape), response: { 200: pageSchema(fundOut) } },
    },
    async (request) => {
      const page = await funds.list(request.query);
      return { ...page, items: page.items.map(toFund) };
    },
  );

  app.get(
    '/funds/:id',
    {
      config: { roles: ['admin', 'auditor'] },
      schema: { tags, summary: 'Get a fund', params: idParams, response: { 200: fundOut } },
    },
    async (request) => toFund(await funds.get(request.params.id)),
  );

  app.patch(
    '/funds/:id',
    {
      config: { roles: ['admin'] },
      schema: { tags, summary: 'Update a fund', params: idParams, body: fundBody.partial(), response: { 200: fundOut } },
    },
    async (request) => toFund(await funds.update(principalOf(request), request.params.id, request.body)),
  );
};
