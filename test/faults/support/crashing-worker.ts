/**
 * A worker process for the fault suite only (`Cluster.startCrashingWorker`): the production
 * worker (`workers/main.ts`, ROLE=worker) with its settle handler wrapped so that the process
 * SIGKILLs itself right after the Nth settle job that settled something has committed, before
 * the queue acknowledges the job — a crash between the database commit and the
 * acknowledgement. N comes from `SMB_FAULT_CRASH_AFTER_COMMIT`. Production code has no such hook.
 */
import type { AppContext } from '../../../src/context.js';
import { runService } from '../../../src/run-service.js';
import { createHandlers, type SettlementHandlers } from '../../../workers/handlers.js';

const n = Number(process.env.SMB_FAULT_CRASH_AFTER_COMMIT);
if (!Number.isInteger(n) || n <= 0) {
  console.error('crashing-worker: set SMB_FAULT_CRASH_AFTER_COMMIT to a positive integer');
  process.exit(2);
}

function crashingAfterCommit(ctx: AppContext): SettlementHandlers {
  const handlers = createHandlers(ctx);
  ctx.log.warn({ after: n }, 'fault hook armed: crash after a settle commit (fault suite only)');
  let committed = 0;
  return {
    ...handlers,
    settle: async (data) => {
      const result = await handlers.settle(data);
      if (result.settled > 0 && ++committed === n) {
        process.stderr.write(`SMB_FAULT: crashing after commit ${n}, before the acknowledgement\n`);
        process.kill(process.pid, 'SIGKILL');
      }
      return result;
    },
  };
}

process.env.ROLE = 'worker';
await runService({ handlers: crashingAfterCommit });
