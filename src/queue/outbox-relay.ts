import type { Logger } from 'pino';
import type { Db } from '../db/database.js';
import * as outbox from '../repositories/outbox.js';
import * as measurementsRepo from '../repositories/measurements.js';
import type { Job, JobName, JobQueue } from './types.js';

const CLAIM_LIMIT = 5000;

/**
 * Moves outbox rows (written in the same transaction as the change that needs the work) onto
 * the queue. If the queue is down the rows stay and are retried; if a job is delivered twice
 * its handler is idempotent. Several relays may run at once (rows are claimed SKIP LOCKED).
 * Also the reconciler: measurements that stay unsettled long after their change (a job lost
 * with Redis' data) are put back on the queue.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private lastReconcile = 0;

  constructor(
    private readonly db: Db,
    private readonly queue: JobQueue,
    private readonly log: Logger,
    private readonly opts: { pollMs: number; settleBatchSize: number; reconcileAfterMs: number },
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Dispatch soon (after a commit that wrote outbox rows), without waiting for the poll. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = (async () => {
      try {
        let moved: number;
        do {
          this.again = false;
          moved = await this.dispatchOnce();
        } while ((moved === CLAIM_LIMIT || this.again) && !this.stopped);
        if (Date.now() - this.lastReconcile > this.opts.reconcileAfterMs / 2) {
          this.lastReconcile = Date.now();
          await this.reconcileOnce();
        }
      } catch (err) {
        this.log.warn({ err: (err as Error).message }, 'outbox relay could not dispatch; will retry');
      }
    })();
    await this.running;
    this.running = null;
    this.schedule(this.again ? 0 : this.opts.pollMs);
  }

  /** One claim-enqueue-delete round; returns how many outbox rows were moved. */
  async dispatchOnce(): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const rows = await outbox.claimPending(trx, CLAIM_LIMIT);
      if (!rows.length) return 0;
      await this.queue.add(toJobs(rows, this.opts.settleBatchSize));
      await outbox.removeDispatched(
        trx,
        rows.map((r) => r.id),
      );
      return rows.length;
    });
  }

  /** Re-enqueue measurements left unsettled for longer than reconcileAfterMs. */
  async reconcileOnce(olderThanMs = this.opts.reconcileAfterMs): Promise<number> {
    const ids = await measurementsRepo.staleUnsettled(this.db, olderThanMs, 50_000);
    if (!ids.length) return 0;
    this.log.warn({ count: ids.length }, 'reconciler re-enqueues unsettled measurements');
    await this.queue.add(settleJobs(ids, this.opts.settleBatchSize));
    return ids.length;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.running) await this.running;
  }
}

// Outbox jobs carry no custom id: ids would have to be unique across databases sharing a
// Redis (tests, vector runs), and a duplicate delivery is harmless anyway (idempotent handlers).
function settleJobs(ids: string[], batchSize: number): Job[] {
  const jobs: Job[] = [];
  for (let i = 0; i < ids.length; i += batchSize) {
    jobs.push({ name: 'settle', data: { measurementIds: ids.slice(i, i + batchSize) } });
  }
  return jobs;
}

/** Batches settle messages into jobs of many measurements and drops duplicate messages. */
export function toJobs(
  rows: Array<{ id: bigint; topic: string; payload: Record<string, unknown> }>,
  settleBatchSize: number,
): Job[] {
  const settleIds = new Set<string>();
  const others = new Map<string, Job>();
  for (const row of rows) {
    if (row.topic === 'settle') {
      for (const id of row.payload.measurementIds as string[]) settleIds.add(id);
      continue;
    }
    const key = `${row.topic}:${JSON.stringify(row.payload)}`;
    if (!others.has(key)) others.set(key, { name: row.topic as JobName, data: row.payload });
  }
  // Settlement before funding and finalisation, so a fund job sees the awards of this round.
  return [...settleJobs([...settleIds], settleBatchSize), ...others.values()];
}
