import type { AppContext } from '../src/context.js';
import type { JobHandler, JobName } from '../src/queue/types.js';
import * as awardsRepo from '../src/repositories/awards.js';
import * as idempotency from '../src/repositories/idempotency.js';

/**
 * Job handlers only orchestrate: each calls one service method. All are idempotent, so a job
 * delivered twice (crash before acknowledgement, duplicate enqueue) changes nothing.
 */
export type SettlementHandlers = Record<Exclude<JobName, 'webhook-deliver'>, JobHandler>;

export function createHandlers(ctx: AppContext): SettlementHandlers {
  const { services, db } = ctx;
  const crashAfterCommit = faultCrashAfterCommit(ctx);
  return {
    settle: async (data) => {
      const ids = data.measurementIds as string[];
      try {
        const { settled } = await services.settlement.settle(ids);
        if (settled > 0) crashAfterCommit();
      } catch (err) {
        // Isolate a measurement that cannot be settled so it does not hold back its batch;
        // it stays unsettled (visible in /v1/settlement/status), the job fails for it alone,
        // and its submitter hears of it (measurement.refused, once per version of its inputs).
        const failures: Array<[string, unknown]> = [];
        if (ids.length === 1) failures.push([ids[0]!, err]);
        else for (const id of ids) await services.settlement.settle([id]).catch((e: unknown) => failures.push([id, e]));
        for (const [id, e] of failures) {
          ctx.log.error({ err: e, measurementId: id }, 'measurement could not be settled');
          await services.settlement.reportRefused(id).catch((x: Error) => ctx.log.warn({ err: x.message, measurementId: id }, 'could not record the refusal'));
        }
        if (failures.length) throw failures[0]![1];
      }
    },
    fund: async (data) => {
      await services.settlement.fund(data.fundId as string);
    },
    'finalise-due': async () => {
      await services.settlement.finalise({ early: false });
      // Safety net for a lost fund job: every fund with waiting awards gets a pass.
      for (const fundId of await awardsRepo.fundsWithAwaiting(db)) await services.settlement.fund(fundId);
      await idempotency.purgeExpired(db);
    },
  };
}

/**
 * The webhook queue's handler: one attempt of one delivery. Not-due, delivered or leased
 * deliveries are left alone, so a duplicate job is harmless; failures are scheduled by the
 * service (back-off in the database), not by the queue's own retries.
 */
export function createWebhookHandlers(ctx: AppContext): Pick<Record<JobName, JobHandler>, 'webhook-deliver'> {
  return { 'webhook-deliver': (data) => ctx.services.webhooks.attempt(data.deliveryId as string) };
}

/**
 * Test-only fault hook for the fault-injection suite (test/faults), off unless the environment
 * sets `SMB_FAULT_CRASH_AFTER_COMMIT=N`: the process SIGKILLs itself right after the Nth settle
 * job that settled something has committed, before the queue acknowledges the job — a crash
 * between the database commit and the acknowledgement. Never set it in production.
 */
function faultCrashAfterCommit(ctx: AppContext): () => void {
  const n = Number(process.env.SMB_FAULT_CRASH_AFTER_COMMIT ?? 0);
  if (!Number.isInteger(n) || n <= 0) return () => undefined;
  ctx.log.warn({ after: n }, 'fault hook armed: SMB_FAULT_CRASH_AFTER_COMMIT (test only)');
  let committed = 0;
  return () => {
    if (++committed !== n) return;
    process.stderr.write(`SMB_FAULT: crashing after commit ${n}, before the acknowledgement\n`);
    process.kill(process.pid, 'SIGKILL');
  };
}
