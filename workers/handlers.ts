import type { AppContext } from '../src/context.js';
import type { JobHandlers, JobResults } from '../src/queue/types.js';

/** The settlement queue's jobs. */
export type SettlementHandlers = JobHandlers<'settle' | 'fund' | 'finalise-due'>;

/**
 * Job handlers only orchestrate: each calls one service method. All are idempotent, so a job
 * delivered twice (crash before acknowledgement, duplicate enqueue) changes nothing. Each
 * returns what it did (counts only), which BullMQ keeps as the job's return value.
 */
export function createHandlers(ctx: AppContext): SettlementHandlers {
  const { services } = ctx;
  return {
    settle: (data) => settleIsolating(ctx, data.measurementIds),
    fund: async (data) => ({ funded: await services.settlement.fund(data.fundId) }),
    'finalise-due': async () => {
      const finalised = await services.settlement.finalise({ early: false });
      // Safety net for a lost fund job: every fund with waiting awards gets a pass.
      for (const fundId of await services.operations.fundsWithAwaiting()) await services.settlement.fund(fundId);
      await services.operations.purgeExpiredIdempotencyKeys();
      return { finalised };
    },
  };
}

/**
 * Settles a batch in one transaction. Should that fail, each measurement is settled on its own,
 * so that one that cannot be settled does not hold back its batch: it stays unsettled (visible
 * in /v1/settlement/status), the job fails for it alone, and its submitter hears of it
 * (measurement.refused, once per version of its inputs).
 */
async function settleIsolating(ctx: AppContext, ids: string[]): Promise<JobResults['settle']> {
  const { settlement } = ctx.services;
  try {
    return await settlement.settle(ids);
  } catch (err) {
    const total = { settled: 0, changed: 0 };
    const failures: Array<[string, unknown]> = [];
    if (ids.length === 1) failures.push([ids[0]!, err]);
    else {
      for (const id of ids) {
        try {
          const r = await settlement.settle([id]);
          total.settled += r.settled;
          total.changed += r.changed;
        } catch (e) {
          failures.push([id, e]);
        }
      }
    }
    for (const [id, e] of failures) {
      ctx.log.error({ err: e, measurementId: id }, 'measurement could not be settled');
      await settlement.reportRefused(id).catch((x: Error) => ctx.log.warn({ err: x.message, measurementId: id }, 'could not record the refusal'));
    }
    if (failures.length) throw failures[0]![1];
    return total;
  }
}

/**
 * The webhook queue's handler: one attempt of one delivery. Not-due, delivered or leased
 * deliveries are left alone, so a duplicate job is harmless; failures are scheduled by the
 * service (back-off in the database), not by the queue's own retries.
 */
export function createWebhookHandlers(ctx: AppContext): JobHandlers<'webhook-deliver'> {
  return { 'webhook-deliver': (data) => ctx.services.webhooks.attempt(data.deliveryId) };
}
