import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import { principalOf } from '../plugins/auth.js';
import { idParams, isoDate } from '../schemas.js';
import { presentRule as present, ruleSchema as rule } from './rules.js';
import { institutionRef } from './institutions.js';
import { OTHER_INSTITUTION } from '../../services/institution-view.js';

// Causes the services add to the derived problem answers (contract/causes.ts).
const STATEMENT_PROBLEMS = {
  403: [{ message: 'An institution key reads only its own balances and statements.' }],
  422: [
    { field: 'query.to', message: 'must not be before from' },
    { field: 'query.from', message: 'must not be after to (today, when to is not given)' },
  ],
};

/** The institution's view (issue 13, item 3): the rules that pay it, and its statement as CSV. */
export const institutionViewRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/institutions/:id/rules',
    {
      config: { roles: ['admin', 'auditor', 'institution'], problems: { 403: [{ message: OTHER_INSTITUTION }] } },
      schema: {
        tags: ['institutions'],
        summary: 'The rules that pay an institution (a window of one of their versions names its kind), with their versions',
        params: idParams,
        response: { 200: z.object({ items: z.array(rule) }) },
      },
    },
    async (req) => ({ items: (await ctx.services.institutionView.payingRules(principalOf(req), req.params.id)).map(present) }),
  );

  app.get(
    '/institutions/:id/statement.csv',
    {
      config: { roles: ['admin', 'auditor', 'institution'], problems: STATEMENT_PROBLEMS },
      schema: {
        tags: ['institutions'],
        summary: 'The statement for a period as CSV: opening balance, one row per movement with the running balance, closing balance',
        description:
          'The same figures as GET /v1/institutions/{id}/statement (the institution by id or code; the period defaults to the year to date). ' +
          'Text cells that a spreadsheet would run as a formula are written with a leading apostrophe.',
        params: z.object({ id: institutionRef }),
        querystring: z.strictObject({ from: isoDate.optional(), to: isoDate.optional() }),
        produces: ['text/csv'],
      },
    },
    async (req, reply) => {
      const { csv, filename } = await ctx.services.institutionView.statementCsv(principalOf(req), req.params.id, { from: req.query.from, to: req.query.to });
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .header('cache-control', 'no-store')
        .send(csv);
    },
  );
};
