import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import { ProblemError } from '../problem.js';

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
      config: { public: true, problems: { 503: [{ message: 'Not ready: database and queue unavailable.' }] } },
      schema: {
        tags: ['operations'],
        summary: 'Readiness: the database and the queue answer',
        security: [],
        response: { 200: z.object({ status: z.literal('ready'), database: z.string(), queue: z.string() }) },
      },
    },
    async () => {
      const [dbOk, queueOk] = await Promise.all([ctx.services.operations.databaseReady(), ctx.queue.ping().catch(() => false)]);
      if (!dbOk || !queueOk) {
        const down = [!dbOk && 'database', !queueOk && 'queue'].filter(Boolean).join(' and ');
        throw new ProblemError(503, 'unavailable', `Not ready: ${down} unavailable.`, [], {}, { 'retry-after': '5' });
      }
      return { status: 'ready' as const, database: ctx.database.kind, queue: ctx.queue.transport };
    },
  );
};
