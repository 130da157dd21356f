import type { AppContext } from '../src/context.js';
import type { JobHandlers } from '../src/queue/types.js';
import * as awardsRepo from '../src/repositories/awards.js';
import * as idempotency from '../src/repositories/idempotency.js';

/**
 * Job handlers only orchestrate: each calls one service method. All are idempotent, so a job
 * delivered twice (crash before acknowledgement, duplicate enqueue) changes nothing.
 */
export function createHandlers(ctx: AppContext): JobHandlers {
  const { services, db } = ctx;
  return {
    settle: async (data) => {
      const ids = data.measurementIds as string[];
      try {
        await services.settlement.settle(ids);
      } catch (err) {
        if (ids.length === 1) throw err;
        // Isolate a measurement that cannot be settled so it does not hold back its batch;
        // it stays unsettled (visible in /v1/settlement/status) and the job fails for it alone.
        let first: unknown = null;
        for (const id of ids) {
          await services.settlement.settle([id]).catch((e: unknown) => {
            ctx.log.error({ err: e, measurementId: id }, 'measurement could not be settled');
            first ??= e;
          });
        }
        if (first) throw first;
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
