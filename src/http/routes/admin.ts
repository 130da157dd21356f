import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import * as outbox from '../../repositories/outbox.js';
import * as measurementsRepo from '../../repositories/measurements.js';

export const adminRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/settlement/status',
    {
      config: { roles: ['admin', 'auditor'] },
      schema: {
        tags: ['operations'],
        summary: 'Settlement backlog: outbox rows, queued jobs, unsettled measurements',
        response: {
          200: z.object({
            outbox_pending: z.number().int(),
            unsettled_measurements: z.number().int(),
            queue: z.object({ waiting: z.number().int(), active: z.number().int(), delayed: z.number().int(), failed: z.number().int() }),
            idle: z.boolean(),
          }),
        },
      },
    },
    async () => {
      const [pending, unsettled, queue] = await Promise.all([
        outbox.pendingCount(ctx.db),
        measurementsRepo.unsettledCount(ctx.db),
        ctx.queue.counts(),
      ]);
      return {
        outbox_pending: pending,
        unsettled_measurements: unsettled,
        queue,
        idle: pending + unsettled + queue.waiting + queue.active + queue.delayed === 0,
      };
    },
  );
};
