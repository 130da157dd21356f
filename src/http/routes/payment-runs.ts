import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import type { RunWithLines } from '../../services/payments.js';
import { accountText } from '../../services/payment-files.js';
import { principalOf } from '../plugins/auth.js';
import { decodeCursor, pageOf, pageQuery, pageSchema } from '../pagination.js';
import { problemResponses, sendFile } from '../responses.js';
import { idParams, isoDate, oreOut } from '../schemas.js';

const line = z.object({
  institution_id: z.uuid(),
  code: z.string(),
  name: z.string(),
  line_no: z.number().int(),
  reference: z.string().meta({ description: 'The EndToEndId of this line’s credit transfer in the payment file' }),
  amount_ore: z.number().int(),
  status: z.enum(['pending', 'paid', 'returned', 'cancelled']),
  settled_on: z.string().nullable().meta({ description: 'Booking date of the bank entry that paid or returned the line' }),
  return_reason: z.string().nullable(),
  payee_details: z
    .object({ id: z.uuid(), version: z.number().int(), cvr: z.string(), ean: z.string().nullable(), account: z.string() })
    .nullable()
    .meta({ description: 'The payee details approved when the run was created (null: there were none)' }),
});

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
    debtor: z
      .object({ name: z.string(), iban: z.string(), bic: z.string().nullable() })
      .nullable()
      .meta({ description: 'The fund’s account when the run was created' }),
    lines: z.array(line),
  })
  .meta({ id: 'PaymentRun' });

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const present = (r: RunWithLines) => ({
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
  debtor: r.debtor_iban === null ? null : { name: r.debtor_name ?? '', iban: r.debtor_iban, bic: r.debtor_bic },
  lines: r.lines.map((l) => ({
    institution_id: l.institution_id,
    code: l.code,
    name: l.name,
    line_no: l.line_no,
    reference: l.reference,
    amount_ore: oreOut(l.amount_ore),
    status: l.status,
    settled_on: l.settled_on,
    return_reason: l.return_reason,
    payee_details: l.payee ? { id: l.payee.id, version: l.payee.version, cvr: l.payee.cvr, ean: l.payee.ean, account: accountText(l.payee) } : null,
  })),
});

const tags = ['payments'];

const runRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
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
        tags,
        operationId: 'createPaymentRun',
        summary: 'Create a payment run: every positive payable at the cut-off → paid out, one line per institution',
        params: idParams,
        body: z.strictObject({ cutoff_on: isoDate }),
        response: { 201: run, ...problemResponses(400, 404, 409, 422) },
      },
    },
    async (req, reply) => reply.code(201).send(present(await ctx.services.payments.create(principalOf(req), req.params.id, req.body.cutoff_on))),
  );

  app.get(
    '/payment-runs',
    {
      config: { roles: ['admin', 'auditor'] },
      schema: {
        tags,
        operationId: 'listPaymentRuns',
        summary: 'List payment runs',
        querystring: pageQuery.extend({ fund_id: z.uuid().optional() }),
        response: { 200: pageSchema(run), ...problemResponses(400, 422) },
      },
    },
    async (req) => {
      const rows = await ctx.services.payments.list(req.query.fund_id, decodeCursor(req.query.cursor), req.query.limit + 1);
      const page = pageOf(rows, req.query.limit, (r) => r.id);
      return { items: page.items.map(present), next_cursor: page.next_cursor };
    },
  );

  app.get(
    '/payment-runs/:id',
    {
      config: { roles: ['admin', 'auditor'] },
      schema: { tags, operationId: 'getPaymentRun', summary: 'Read a payment run', params: idParams, response: { 200: run, ...problemResponses(400, 404) } },
    },
    async (req) => present(await ctx.services.payments.get(req.params.id)),
  );

  for (const action of ['confirm', 'cancel'] as const) {
    app.post(
      `/payment-runs/:id/${action}`,
      {
        config: { roles: ['admin'], problems: { 409: [{ field: 'params.id', message: 'the run is confirmed (or cancelled)' }] } },
        schema: {
          tags,
          operationId: action === 'confirm' ? 'confirmPaymentRun' : 'cancelPaymentRun',
          summary:
            action === 'confirm'
              ? 'Confirm the run was paid (every pending line → paid)'
              : 'Cancel an unconfirmed run that the bank has not touched (reverses its ledger entry)',
          params: idParams,
          response: { 200: run, ...problemResponses(400, 404, 409) },
        },
      },
      async (req) => present(await ctx.services.payments[action](principalOf(req), req.params.id)),
    );
  }
};

const fileRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/payment-runs/:id/file',
    {
      config: { roles: ['admin', 'auditor'] },
      schema: {
        tags,
        operationId: 'getPaymentRunCsv',
        summary: 'The payment file as CSV (with each line’s reference and payee details)',
        params: idParams,
        produces: ['text/csv'],
        response: problemResponses(400, 404),
      },
    },
    async (req, reply) => {
      const csv = await ctx.services.paymentFiles.csv(req.params.id);
      return sendFile(reply, 'text/csv; charset=utf-8', `payment-run-${req.params.id}.csv`, csv);
    },
  );

  app.get(
    '/payment-runs/:id/file.xml',
    {
      config: { roles: ['admin', 'auditor'] },
      schema: {
        tags,
        operationId: 'getPaymentRunPain001',
        summary: 'The payment file as ISO 20022 pain.001.001.03 (DKK; one credit transfer per line, EndToEndId = the line’s reference)',
        description:
          'Needs the fund’s account and approved payee details for every line at the run’s creation (409 naming what is missing). ' +
          'MsgId and PmtInfId are the run’s reference, so a bank refuses the same file twice.',
        params: idParams,
        querystring: z.strictObject({ execution_date: isoDate.optional().meta({ description: 'Requested execution date; default today, not in the past' }) }),
        produces: ['application/xml'],
        response: problemResponses(400, 404, 409, 422),
      },
    },
    async (req, reply) => {
      const xml = await ctx.services.paymentFiles.pain001(req.params.id, req.query.execution_date);
      return sendFile(reply, 'application/xml; charset=utf-8', `payment-run-${req.params.id}.xml`, xml);
    },
  );
};

/** Payment runs and their files (CSV and ISO 20022 pain.001). */
export const paymentRunRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, opts) => {
  await runRoutes(app, opts);
  await fileRoutes(app, opts);
};
