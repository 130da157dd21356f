import type { AppContext } from '../src/context.js';
import { createHandlers, createWebhookHandlers, type SettlementHandlers } from './handlers.js';

/**
 * Starts what a worker process runs: queue consumers, the outbox relay (and reconciler), the
 * ledger sealer, the finalisation schedule, the summaries' background pass (outcome, forecast) and
 * the planner-statistics keeper. Several
 * worker processes may run at once: every job is idempotent, outbox rows are claimed SKIP
 * LOCKED, and finalisation locks the awards it takes. `handlers` (the settlement queue's) default
 * to the production handlers; only the fault suite passes others (wrapped).
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
  const summary = summariesLoop(ctx);
  const statistics = everyInterval(ctx.config.STATS_REFRESH_MS, () =>
    ctx.services.statistics.refreshStale().then(
      () => undefined,
      (err: Error) => ctx.log.warn({ err: err.message }, 'planner statistics check failed'),
    ),
  );
  return {
    async stop() {
      clearInterval(timer);
      clearInterval(sweeper);
      await summary.stop();
      await statistics.stop();
      await ctx.relay.stop();
      await ctx.sealer.stop();
    },
  };
}

/**
 * The summaries' background pass, on its own timer rather than as a queue job: a first build of
 * the forecast's summary after a bulk load takes minutes at a million children, and as a job it
 * held the settlement queue's worker slot all that time (BENCHMARKS.md, fourth session of
 * 2026-12-05; DECISIONS D198). Each pass catches up the outcome summary's change marks first
 * (D200), then the forecast's; both only while settlement is idle, and neither waits for another
 * writer of its summary. One pass at a time per process; across processes the summaries' locks decide.
 */
function summariesLoop(ctx: AppContext): { stop(): Promise<void> } {
  const pass = async () => {
    // Each summary on its own: one failing does not hold the other back.
    await ctx.services.outcomeSummary
      .refreshWhenIdle()
      .then((report) => report?.marks && ctx.log.info({ ...report }, 'outcome summary brought up to date'))
      .catch((err: Error) => ctx.log.warn({ err: err.message }, 'outcome summary pass failed'));
    await ctx.services.forecast.summary
      .refreshWhenIdle()
      .then((report) => report && (report.children || report.units) && ctx.log.info({ ...report }, 'forecast summary brought up to date'))
      .catch((err: Error) => ctx.log.warn({ err: err.message }, 'forecast summary pass failed'));
  };
  return everyInterval(ctx.config.FORECAST_REFRESH_MS, pass);
}

/**
 * Runs `pass` every `ms`, never two at once in this process (a pass longer than `ms` skips the
 * ticks it overlaps); `stop` clears the timer and waits for a pass under way. `pass` handles its
 * own errors.
 */
function everyInterval(ms: number, pass: () => Promise<void>): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    running ??= pass().finally(() => (running = null));
  }, ms);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
