import type { AppContext } from '../src/context.js';
import { createHandlers, createWebhookHandlers, type SettlementHandlers } from './handlers.js';

/**
 * Starts what a worker process runs: queue consumers, the outbox relay (and reconciler), the
 * ledger sealer, and the finalisation schedule. Several worker processes may run at once: every job is
 * idempotent, outbox rows are claimed SKIP LOCKED, and finalisation locks the awards it takes.
 * `handlers` (the settlement queue's) default to the production handlers; only the fault suite
 * passes others (wrapped).
 */
export async function startProcessing(ctx: AppContext, handlers: SettlementHandlers = createHandlers(ctx)): Promise<{ stop(): Promise<void> }> {
  await ctx.queue.startWorkers(handlers, { concurrency: ctx.config.WORKER_CONCURRENCY });
  await ctx.webhookQueue.startWorkers(createWebhookHandlers(ctx), { concurrency: ctx.config.WEBHOOK_CONCURRENCY });
  ctx.relay.start();
  ctx.sealer.start();
  const timer = setInterval(() => {
    ctx.queue
      .add([{ name: 'finalise-due', data: {}, id: `finalise-due-${Math.floor(Date.now() / ctx.config.FINALISE_INTERVAL_MS)}` }])
      .catch((err: Error) => ctx.log.warn({ err: err.message }, 'could not schedule finalisation'));
  }, ctx.config.FINALISE_INTERVAL_MS);
  timer.unref();
  // Deliveries whose job was lost (Redis restarted without its data) are enqueued again.
  const sweeper = setInterval(() => {
    ctx.services.webhooks.sweep().catch((err: Error) => ctx.log.warn({ err: err.message }, 'webhook sweep failed'));
  }, ctx.config.WEBHOOK_SWEEP_MS);
  sweeper.unref();
  return {
    async stop() {
      clearInterval(timer);
      clearInterval(sweeper);
      await ctx.relay.stop();
      await ctx.sealer.stop();
    },
  };
}
