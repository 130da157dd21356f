import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import type { PayeeDetailsRow } from '../../repositories/payees.js';
import { principalOf } from '../plugins/auth.js';
import { pageQuery, pageSchema } from '../pagination.js';
import { problemResponses } from '../responses.js';
import { idParams, iso, timestamp } from '../schemas.js';

const account = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('dk_account'),
    reg_no: z.string().max(8).meta({ description: 'Danish registration number, 4 digits', example: '1234' }),
    account_no: z.string().max(16).meta({ description: 'Account number, up to 10 digits', example: '0001234567' }),
  }),
  z.strictObject({
    type: z.literal('iban'),
    iban: z.string().max(64).meta({ description: 'ISO 13616 IBAN, spaces allowed', example: 'DK5000400440116243' }),
    bic: z.string().max(16).nullable().optional().meta({ description: 'The bank’s BIC (8 or 11 characters), if known' }),
  }),
  z.strictObject({ type: z.literal('nemkonto').meta({ description: 'Pay the NemKonto registered to the CVR number' }) }),
]);

const detailsBody = z.strictObject({
  cvr: z.string().max(16).meta({ description: 'CVR number: 8 digits, modulus 11', example: '61126228' }),
  ean: z.string().max(20).nullable().optional().meta({ description: 'EAN / GLN location number of a public unit: 13 digits, GS1 check digit' }),
  account,
});

const decisionBody = z.strictObject({ note: z.string().trim().min(1).max(1000).nullable().optional() });

const detailsOut = z
  .object({
    id: z.uuid(),
    institution_id: z.uuid(),
    version: z.number().int(),
    status: z.enum(['pending', 'approved', 'rejected', 'superseded']),
    cvr: z.string(),
    ean: z.string().nullable(),
    account: z.object({
      type: z.enum(['dk_account', 'iban', 'nemkonto']),
      reg_no: z.string().nullable(),
      account_no: z.string().nullable(),
      iban: z.string().nullable(),
      bic: z.string().nullable(),
    }),
    proposed_by: z.uuid(),
    proposed_at: timestamp,
    decided_by: z.uuid().nullable(),
    decided_at: timestamp.nullable(),
    decision_note: z.string().nullable(),
  })
  .meta({ id: 'PayeeDetails', description: 'One version of an institution’s payee details; approved by a second admin key before use.' });

export const toDetails = (r: PayeeDetailsRow): z.infer<typeof detailsOut> => ({
  id: r.id,
  institution_id: r.institution_id,
  version: r.version,
  status: r.status,
  cvr: r.cvr,
  ean: r.ean,
  account: { type: r.account_kind, reg_no: r.reg_no, account_no: r.account_no, iban: r.iban, bic: r.bic },
  proposed_by: r.proposed_by,
  proposed_at: iso(r.proposed_at)!,
  decided_by: r.decided_by,
  decided_at: iso(r.decided_at),
  decision_note: r.decision_note,
});

const fundAccountBody = z.strictObject({
  name: z.string().trim().min(1).max(140).meta({ description: 'Account holder (debtor) name in payment files' }),
  iban: z.string().max(64),
  bic: z.string().max(16).nullable().optional(),
});
const fundAccountOut = z
  .object({ fund_id: z.uuid(), name: z.string(), iban: z.string(), bic: z.string().nullable(), updated_at: timestamp, updated_by: z.uuid().nullable() })
  .meta({ id: 'FundAccount', description: 'The fund’s own bank account: the debtor of its payment files.' });

const tags = ['payments'];

const detailRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const payees = ctx.services.payees;

  app.get(
    '/institutions/:id/payee-details',
    {
      config: { roles: ['admin', 'auditor', 'institution'] },
      schema: {
        tags,
        operationId: 'getPayeeDetails',
        summary: 'An institution’s payee details: the approved version, a pending change, and every version (an institution key: its own)',
        params: idParams,
        response: {
          200: z.object({ current: detailsOut.nullable(), pending: detailsOut.nullable(), history: z.array(detailsOut) }),
          ...problemResponses(400, 404),
        },
      },
    },
    async (req) => {
      const d = await payees.ofInstitution(principalOf(req), req.params.id);
      return { current: d.current && toDetails(d.current), pending: d.pending && toDetails(d.pending), history: d.history.map(toDetails) };
    },
  );

  app.post(
    '/institutions/:id/payee-details',
    {
      config: { roles: ['admin'] },
      schema: {
        tags,
        operationId: 'proposePayeeDetails',
        summary: 'Propose new payee details; they take effect when another admin key approves them',
        params: idParams,
        body: detailsBody,
        response: { 201: detailsOut, ...problemResponses(400, 404, 409, 422) },
      },
    },
    async (req, reply) => reply.code(201).send(toDetails(await payees.propose(principalOf(req), req.params.id, req.body))),
  );

  app.get(
    '/payee-detail-changes',
    {
      config: { roles: ['admin', 'auditor'] },
      schema: {
        tags,
        operationId: 'listPendingPayeeDetails',
        summary: 'Changes of payee details waiting for a second admin',
        querystring: pageQuery,
        response: { 200: pageSchema(detailsOut), ...problemResponses(400, 422) },
      },
    },
    async (req) => {
      const page = await payees.pending(req.query);
      return { ...page, items: page.items.map(toDetails) };
    },
  );

  for (const decision of ['approve', 'reject'] as const) {
    app.post(
      `/payee-detail-changes/:id/${decision}`,
      {
        config: { roles: ['admin'] },
        schema: {
          tags,
          operationId: decision === 'approve' ? 'approvePayeeDetails' : 'rejectPayeeDetails',
          summary: decision === 'approve' ? 'Approve a change of payee details (not by the key that proposed it)' : 'Reject a change of payee details',
          params: idParams,
          body: decisionBody,
          response: { 200: detailsOut, ...problemResponses(400, 404, 409) },
        },
      },
      async (req) => toDetails(await payees.decide(principalOf(req), req.params.id, decision, req.body.note ?? null)),
    );
  }
};

const fundAccountRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const payees = ctx.services.payees;

  app.put(
    '/funds/:id/account',
    {
      config: { roles: ['admin'] },
      schema: {
        tags,
        operationId: 'setFundAccount',
        summary: 'Set the fund’s own bank account (the debtor of its payment files)',
        params: idParams,
        body: fundAccountBody,
        response: { 200: fundAccountOut, ...problemResponses(400, 404, 422) },
      },
    },
    async (req) => {
      const r = await payees.setFundAccount(principalOf(req), req.params.id, req.body);
      return { ...r, updated_at: iso(r.updated_at)! };
    },
  );

  app.get(
    '/funds/:id/account',
    {
      config: { roles: ['admin', 'auditor'] },
      schema: {
        tags,
        operationId: 'getFundAccount',
        summary: 'The fund’s own bank account',
        params: idParams,
        response: { 200: fundAccountOut, ...problemResponses(400, 404) },
      },
    },
    async (req) => {
      const r = await payees.fundAccount(req.params.id);
      return { ...r, updated_at: iso(r.updated_at)! };
    },
  );
};

/** Payee details (four-eyes) and the fund's own account. */
export const payeeRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, opts) => {
  await detailRoutes(app, opts);
  await fundAccountRoutes(app, opts);
};
