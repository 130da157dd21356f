import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import type { StatementRow } from '../../repositories/bank-statements.js';
import { principalOf } from '../plugins/auth.js';
import { pageQuery, pageSchema } from '../pagination.js';
import { problemResponses } from '../responses.js';
import { idParams, iso, timestamp } from '../schemas.js';

const OUTCOMES = [
  'paid',
  'returned',
  'already_paid',
  'already_returned',
  'not_booked',
  'unmatched',
  'amount_mismatch',
  'currency_mismatch',
  'account_mismatch',
  'unexpected',
] as const;

const item = z.object({
  path: z.string().meta({ description: 'Where the transaction is in the document' }),
  end_to_end_id: z.string().nullable(),
  amount_ore: z.number().int().nullable(),
  credit_debit: z.enum(['CRDT', 'DBIT']),
  entry_status: z.enum(['BOOK', 'PDNG', 'INFO']),
  booking_date: z.string().nullable(),
  outcome: z.enum(OUTCOMES),
  line_reference: z.string().nullable(),
  return_reason: z.string().nullable(),
  message: z.string(),
});

const report = z
  .object({
    statement_id: z.uuid(),
    message_type: z.enum(['camt.053', 'camt.054']),
    message_id: z.string(),
    duplicate: z.boolean().meta({ description: 'This document was uploaded before: its first report, nothing done again' }),
    counts: z.record(z.string(), z.number().int()),
    items: z.array(item),
  })
  .meta({ id: 'ReconciliationReport', description: 'What an uploaded bank statement did, per transaction.' });

const statementOut = z
  .object({
    id: z.uuid(),
    message_type: z.enum(['camt.053', 'camt.054']),
    message_id: z.string(),
    document_sha256: z.string(),
    uploaded_by: z.uuid().nullable(),
    uploaded_at: timestamp,
    report,
  })
  .meta({ id: 'BankStatement' });

const toStatement = (r: StatementRow): z.infer<typeof statementOut> => ({
  id: r.id,
  message_type: r.message_type,
  message_id: r.message_id,
  document_sha256: r.document_sha256,
  uploaded_by: r.uploaded_by,
  uploaded_at: iso(r.uploaded_at)!,
  report: r.summary as unknown as z.infer<typeof report>,
});

const tags = ['payments'];

export const bankStatementRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  // Statements are uploaded as XML text, parsed by the service; only the routes of this plugin
  // take XML (everywhere else it stays 415).
  app.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.post(
    '/bank-statements',
    {
      config: { roles: ['admin'] },
      schema: {
        tags,
        operationId: 'uploadBankStatement',
        summary: 'Reconcile a camt.053 statement or camt.054 debit/credit notification against the payment lines',
        description:
          'The XML document as the body (`application/xml`). Booked debits mark lines paid; returns put the amount back on the ' +
          'institution’s payable and flag the line; everything else is reported, nothing guessed. 201 with the report; the same ' +
          'document again: 200 with the first report and `duplicate: true`, nothing changed.',
        consumes: ['application/xml', 'text/xml'],
        body: z.string().meta({ description: 'camt.053.001.02 or camt.054.001.02 XML' }),
        response: { 200: report, 201: report, ...problemResponses(400, 413, 415, 422) },
      },
    },
    async (req, reply) => {
      const r = await ctx.services.reconciliation.upload(principalOf(req), req.body);
      return reply.code(r.duplicate ? 200 : 201).send(r);
    },
  );

  app.get(
    '/bank-statements',
    {
      config: { roles: ['admin', 'auditor'] },
      schema: {
        tags,
        operationId: 'listBankStatements',
        summary: 'Uploaded bank statements, with what each did',
        querystring: pageQuery,
        response: { 200: pageSchema(statementOut), ...problemResponses(400, 422) },
      },
    },
    async (req) => {
      const page = await ctx.services.reconciliation.list(req.query);
      return { ...page, items: page.items.map(toStatement) };
    },
  );

  app.get(
    '/bank-statements/:id',
    {
      config: { roles: ['admin', 'auditor'] },
      schema: {
        tags,
        operationId: 'getBankStatement',
        summary: 'An uploaded bank statement and its report',
        params: idParams,
        response: { 200: statementOut, ...problemResponses(400, 404) },
      },
    },
    async (req) => toStatement(await ctx.services.reconciliation.get(req.params.id)),
  );
};
