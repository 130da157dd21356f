import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import { principalOf } from '../plugins/auth.js';
import { decodeCursor, pageOf, pageQuery, pageSchema } from '../pagination.js';
import { idParams, isoDate, oreOut, positiveOre } from '../schemas.js';

const deposit = z
  .object({
    id: z.uuid(),
    fund_id: z.uuid(),
    amount_ore: z.number().int(),
    funder: z.string(),
    reference: z.string().nullable(),
    received_on: z.string(),
    entry_seq: z.number().int(),
    created_at: z.string(),
  })
  .meta({ id: 'Deposit' });

type DepositRow = Awaited<ReturnType<AppContext['services']['deposits']['list']>>[number];
const present = (d: DepositRow) => ({
  id: d.id,
  fund_id: d.fund_id,
  amount_ore: oreOut(d.amount_ore),
  funder: d.funder,
  reference: d.reference,
  received_on: d.received_on,
  entry_seq: oreOut(d.entry_seq),
  created_at: d.created_at.toISOString(),
});

export const depositRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.post(
    '/funds/:id/deposits',
    {
      config: { roles: ['admin'], problems: { 422: [{ field: 'body.received_on', message: 'cannot be in the future' }] } },
      schema: {
        tags: ['funds'],
        summary: 'Deposit money into a fund (funder → available); waiting awards are then funded in order',
        params: idParams,
        body: z.strictObject({
          amount_ore: positiveOre,
          funder: z.string().trim().min(1).max(200),
          reference: z.string().trim().max(200).nullish(),
          received_on: isoDate.optional(),
        }),
        response: { 201: deposit },
      },
    },
    async (req, reply) => {
      const d = await ctx.services.deposits.create(principalOf(req), req.params.id, req.body);
      return reply.code(201).send(present(d));
    },
  );

  app.get(
    '/funds/:id/deposits',
    {
      config: { roles: ['admin', 'auditor'] },
      schema: { tags: ['funds'], summary: "List a fund's deposits", params: idParams, querystring: pageQuery, response: { 200: pageSchema(deposit) } },
    },
    async (req) => {
      await ctx.services.funds.get(req.params.id); // an unknown fund is 404, not an empty list
      const rows = await ctx.services.deposits.list(req.params.id, decodeCursor(req.query.cursor), req.query.limit + 1);
      const page = pageOf(rows, req.query.limit, (r) => r.id);
      return { items: page.items.map(present), next_cursor: page.next_cursor };
    },
  );
};
