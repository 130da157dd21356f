import { z } from 'zod';
import { sql } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import { PROBLEM_CONTENT_TYPE, ProblemError, problemSchema } from '../problem.js';

export const healthRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/healthz',
    {
      config: { public: true },
      schema: { tags: ['operations'], summary: 'Liveness', security: [], response: { 200: z.object({ status: z.literal('ok') }) } },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: { public: true },
      schema: {
        tags: ['operations'],
        summary: 'Readiness: the database and the queue answer',
        security: [],
        response: { 200: z.object({ status: z.literal('ready'), database: z.string(), queue: z.string() }), 503: problemSchema },
      },
    },
    async (_req, reply) => {
      const [dbOk, queueOk] = await Promise.all([
        sql`select 1`.execute(ctx.db).then(() => true, () => false),
        ctx.queue.ping().catch(() => false),
      ]);
      if (!dbOk || !queueOk) {
        const down = [!dbOk && 'database', !queueOk && 'queue'].filter(Boolean).join(' and ');
        const problem = new ProblemError(503, 'unavailable', `Not ready: ${down} unavailable.`);
        return reply.code(503).header('retry-after', '5').type(PROBLEM_CONTENT_TYPE).send(problem.toBody('/readyz'));
      }
      return { status: 'ready' as const, database: ctx.database.kind, queue: ctx.queue.transport };
    },
  );
};
