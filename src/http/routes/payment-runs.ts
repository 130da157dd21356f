import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import { principalOf } from '../plugins/auth.js';
import { decodeCursor, pageOf, pageQuery, pageSchema } from '../pagination.js';
import { idParams, isoDate, oreOut } from '../schemas.js';

const run = z
  .object({
    id: z.uuid(),
    fund_id: z.uuid(),
    cutoff_on: z.string(),
    reference: z.string(),
    status: z.enum(['created', 'confirmed', 'cancelled']),
    total_ore: z.number().int(),
    entry_seq: z.number().int().nullable(),
    created_at: z.string(),
    confirmed_at: z.string().nullable(),
    cancelled_at: z.string().nullable(),
    lines: z.array(z.object({ institution_id: z.uuid(), code: z.string(), name: z.string(), amount_ore: z.number().int(), status: z.string() })),
  })
  .meta({ id: 'PaymentRun' });

type RunOut = Awaited<ReturnType<AppContext['services']['payments']['get']>>;
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const present = (r: RunOut) => ({
  id: r.id,
  fund_id: r.fund_id,
  cutoff_on: r.cutoff_on,
  reference: r.reference,
  status: r.status,
  total_ore: oreOut(r.total_ore),
  entry_seq: r.entry_seq === null ? null : oreOut(r.entry_seq),
  created_at: r.created_at.toISOString(),
  confirmed_at: iso(r.confirmed_at),
  cancelled_at: iso(r.cancelled_at),
  lines: r.lines.map((l) => ({ ...l, amount_ore: oreOut(l.amount_ore) })),
});

export const paymentRunRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.post(
    '/funds/:id/payment-runs',
    {
      config: {
        roles: ['admin'],
        problems: {
          409: [{ field: 'body.cutoff_on', message: 'nothing is payable for this fund at this cut-off' }],
          422: [{ field: 'body.cutoff_on', message: 'cannot be in the future' }],
        },
      },
      schema: {
        tags: ['payments'],
        summary: 'Create a payment run: every positive payable at the cut-off → paid out, one line per institution',
        params: idParams,
        body: z.strictObject({ cutoff_on: isoDate }),
        response: { 201: run },
      },
    },
    async (req, reply) => reply.code(201).send(present(await ctx.services.payments.create(principalOf(req), req.params.id, req.body.cutoff_on))),
  );

  app.get(
    '/payment-runs',
    {
      config: { roles: ['admin', 'auditor'] },
      schema: { tags: ['payments'], summary: 'List payment runs', querystring: pageQuery.extend({ fund_id: z.uuid().optional() }), response: { 200: pageSchema(run) } },
    },
    async (req) => {
      const rows = await ctx.services.payments.list(req.query.fund_id, decodeCursor(req.query.cursor), req.query.limit + 1);
      const page = pageOf(rows, req.query.limit, (r) => r.id);
      return { items: page.items.map(present), next_cursor: page.next_cursor };
    },
  );

  app.get(
    '/payment-runs/:id',
    { config: { roles: ['admin', 'auditor'] }, schema: { tags: ['payments'], summary: 'Read a payment run', params: idParams, response: { 200: run } } },
    async (req) => present(await ctx.services.payments.get(req.params.id)),
  );

  app.get(
    '/payment-runs/:id/file',
    {
      config: { roles: ['admin', 'auditor'] },
      schema: { tags: ['payments'], summary: 'The payment file (CSV)', params: idParams, produces: ['text/csv'] },
    },
    async (req, reply) => {
      const csv = await ctx.services.payments.paymentFile(req.params.id);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="payment-run-${req.params.id}.csv"`).send(csv);
    },
  );

  for (const action of ['confirm', 'cancel'] as const) {
    app.post(
      `/payment-runs/:id/${action}`,
      {
        config: { roles: ['admin'], problems: { 409: [{ field: 'params.id', message: 'the run is confirmed (or cancelled)' }] } },
        schema: {
          tags: ['payments'],
          summary: action === 'confirm' ? 'Confirm the run was paid' : 'Cancel an unconfirmed run (reverses its ledger entry)',
          params: idParams,
          response: { 200: run },
        },
      },
      async (req) => present(await ctx.services.payments[action](principalOf(req), req.params.id)),
    );
  }
};
