import type { AppContext } from '../src/context.js';
import type { JobHandlers } from '../src/queue/types.js';
import { createHandlers } from './handlers.js';

/**
 * Starts what a worker process runs: queue consumers, the outbox relay (and reconciler), and
 * the finalisation schedule. Several worker processes may run at once: every job is
 * idempotent, outbox rows are claimed SKIP LOCKED, and finalisation locks the awards it takes.
 * `handlers` defaults to the production handlers; only the fault suite passes others (wrapped).
 */
export async function startProcessing(ctx: AppContext, handlers: JobHandlers = createHandlers(ctx)): Promise<{ stop(): Promise<void> }> {
  await ctx.queue.startWorkers(handlers, { concurrency: ctx.config.WORKER_CONCURRENCY });
  ctx.relay.start();
  const timer = setInterval(() => {
    ctx.queue
      .add([{ name: 'finalise-due', data: {}, id: `finalise-due-${Math.floor(Date.now() / ctx.config.FINALISE_INTERVAL_MS)}` }])
      .catch((err: Error) => ctx.log.warn({ err: err.message }, 'could not schedule finalisation'));
  }, ctx.config.FINALISE_INTERVAL_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await ctx.relay.stop();
    },
  };
}
