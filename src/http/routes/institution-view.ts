import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import { principalOf } from '../plugins/auth.js';
import { idParams, isoDate } from '../schemas.js';
import { present, rule } from './rules.js';

/** The institution's view (issue 13, item 3): the rules that pay it, and its statement as CSV. */
export const institutionViewRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/institutions/:id/rules',
    {
      config: { roles: ['admin', 'auditor', 'institution'] },
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
      config: { roles: ['admin', 'auditor', 'institution'] },
      schema: {
        tags: ['institutions'],
        summary: 'The statement for a period as CSV: opening balance, one row per movement with the running balance, closing balance',
        description: 'The same figures as GET /v1/institutions/{id}/statement. Text cells that a spreadsheet would run as a formula are written with a leading apostrophe.',
        params: idParams,
        querystring: z.object({ from: isoDate, to: isoDate }),
        produces: ['text/csv'],
      },
    },
    async (req, reply) => {
      const { csv, filename } = await ctx.services.institutionView.statementCsv(principalOf(req), req.params.id, req.query.from, req.query.to);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .header('cache-control', 'no-store')
        .send(csv);
    },
  );
};
