import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';

export const adminRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/settlement/status',
    {
      config: { roles: ['admin', 'auditor'] },
      schema: {
        tags: ['operations'],
        summary: 'Settlement backlog: outbox rows, queued jobs, unsettled measurements, journal entries not yet sealed',
        response: {
          200: z.object({
            outbox_pending: z.number().int(),
            unsettled_measurements: z.number().int(),
            unsettled_estimated: z
              .boolean()
              .describe(
                "true when the backlog is larger than 10,000 and `unsettled_measurements` is PostgreSQL's live-row statistic rather than an exact count",
              ),
            ledger_unsealed: z.number().int().describe('Journal entries appended but not yet sealed into the hash chain (docs/LEDGER.md)'),
            queue: z.object({ waiting: z.number().int(), active: z.number().int(), delayed: z.number().int(), failed: z.number().int() }),
            idle: z.boolean(),
          }),
        },
      },
    },
    async () => {
      const [pending, unsettled, unsealed, queue] = await Promise.all([
        ctx.services.operations.outboxPending(),
        ctx.services.operations.settlementBacklog(),
        ctx.services.operations.unsealedEntries(),
        ctx.queue.counts(),
      ]);
      return {
        outbox_pending: pending,
        unsettled_measurements: unsettled.count,
        unsettled_estimated: unsettled.estimated,
        ledger_unsealed: unsealed,
        queue,
        idle: pending + unsettled.count + unsealed + queue.waiting + queue.active + queue.delayed === 0,
      };
    },
  );
};
