import type { Db } from '../db/database.js';
import type { JobQueue } from '../queue/types.js';
import * as outbox from '../repositories/outbox.js';
import * as measurementsRepo from '../repositories/measurements.js';
import * as ledgerRepo from '../repositories/ledger.js';
import { sealOnce } from './ledger-sealer.js';

/**
 * Resolves when settlement has caught up: no outbox rows, no queued or running jobs, no
 * unsettled measurements, no journal entry waiting to be sealed — seen twice in a row, since a
 * finishing job may enqueue another. Like any process, the waiter seals what it finds pending
 * (when no other sealer is at it), so it never depends on another process's poll.
 * Used by the vector runner and tests ("wait until the queue is drained").
 */
export async function waitForSettlement(db: Db, queue: JobQueue, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quietRounds = 0;
  while (quietRounds < 2) {
    if (Date.now() > deadline) {
      const [counts, pending, unsettled, unsealed] = await Promise.all([
        queue.counts(),
        outbox.pendingCount(db),
        measurementsRepo.unsettledCount(db),
        ledgerRepo.pendingCount(db),
      ]);
      throw new Error(`settlement did not finish within ${timeoutMs} ms: ${JSON.stringify({ ...counts, outbox: pending, unsettled, unsealed })}`);
    }
    // A dependency that does not answer (Redis reconnecting) counts as busy, not as an error.
    const [counts, pending, unsettled, unsealed] = await Promise.all([
      queue.counts().catch(() => ({ waiting: 1, active: 0, delayed: 0, failed: 0 })),
      outbox.pendingCount(db).catch(() => 1),
      measurementsRepo.anyUnsettled(db).catch(() => true),
      ledgerRepo.anyPending(db).catch(() => true),
    ]);
    if (unsealed) await sealOnce(db).catch(() => null);
    const busy = counts.waiting + counts.active + counts.delayed + pending > 0 || unsettled || unsealed;
    quietRounds = busy ? 0 : quietRounds + 1;
    await new Promise((r) => setTimeout(r, busy ? 10 : 5));
  }
}
