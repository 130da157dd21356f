import type { Logger } from 'pino';
import type { Db } from '../db/database.js';
import * as outbox from '../repositories/outbox.js';
import * as measurementsRepo from '../repositories/measurements.js';
import { WEBHOOK_JOBS, parseOutboxMessage, type Job, type JobQueue } from './types.js';

const CLAIM_LIMIT = 5000;
/** While the queue has a backlog, the reconciler waits this many times longer (see reconcileOnce). */
const BACKLOG_PATIENCE = 10;

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
    /** Where webhook deliveries go (their own queue); the main queue when not given. */
    private readonly webhookQueue: JobQueue = queue,
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
      const jobs = toJobs(rows, this.opts.settleBatchSize);
      await this.queue.add(jobs.filter((j) => !WEBHOOK_JOBS.has(j.name)));
      await this.webhookQueue.add(jobs.filter((j) => WEBHOOK_JOBS.has(j.name)));
      await outbox.removeDispatched(
        trx,
        rows.map((r) => r.id),
      );
      return rows.length;
    });
  }

  /**
   * Re-enqueue measurements left unsettled for longer than reconcileAfterMs. While the queue
   * still holds waiting or delayed jobs, an unsettled measurement is most likely just queued
   * behind them (a backlog, not a loss): only those unsettled for ten times as long are put
   * back then. Claiming restarts a measurement's clock in the database, in the transaction that
   * adds its jobs (a failed add claims nothing), so neither this relay nor one in another process
   * puts it back again before that patience has passed once more.
   */
  async reconcileOnce(olderThanMs = this.opts.reconcileAfterMs): Promise<number> {
    const counts = await this.queue.counts();
    const backlog = counts.waiting + counts.delayed > 0;
    const patience = backlog ? olderThanMs * BACKLOG_PATIENCE : olderThanMs;
    return this.db.transaction().execute(async (trx) => {
      const ids = await measurementsRepo.claimStaleUnsettled(trx, new Date(Date.now() - patience), 50_000);
      if (!ids.length) return 0;
      this.log.warn({ count: ids.length, backlog }, 'reconciler re-enqueues unsettled measurements');
      await this.queue.add(settleJobs(ids, this.opts.settleBatchSize));
      return ids.length;
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.running) await this.running;
  }
}

// Outbox jobs carry no custom id: ids would have to be unique across databases sharing a
// Redis (tests, vector runs), and a duplicate delivery is harmless anyway (idempotent handlers).
function settleJobs(ids: string[], batchSize: number): Array<Job<'settle'>> {
  const jobs: Array<Job<'settle'>> = [];
  for (let i = 0; i < ids.length; i += batchSize) {
    jobs.push({ name: 'settle', data: { measurementIds: ids.slice(i, i + batchSize) } });
  }
  return jobs;
}

/**
 * Batches settle messages into jobs of many measurements, makes one job per webhook delivery,
 * and drops duplicate messages. Each row's payload is checked against its topic's schema: a row
 * that is not such a message throws (the dispatch round rolls back and the row stays, visible in
 * the logs).
 */
export function toJobs(rows: Array<{ id: bigint; topic: string; payload: unknown }>, settleBatchSize: number): Job[] {
  const settleIds = new Set<string>();
  const others = new Map<string, Job>();
  for (const row of rows) {
    const message = parseOutboxMessage(row.topic, row.payload);
    if (message.topic === 'settle') {
      for (const id of message.payload.measurementIds) settleIds.add(id);
      continue;
    }
    if (message.topic === 'webhook-deliver') {
      // One job per delivery; the id makes a second copy of the same first attempt a no-op.
      for (const id of message.payload.deliveryIds) others.set(`webhook:${id}`, webhookJob(id, 0, null));
      continue;
    }
    const key = `${message.topic}:${JSON.stringify(message.payload)}`;
    if (others.has(key)) continue;
    if (message.topic === 'fund') others.set(key, { name: 'fund', data: message.payload });
    else others.set(key, { name: 'finalise-due', data: message.payload });
  }
  // Settlement before funding and finalisation, so a fund job sees the awards of this round.
  return [...settleJobs([...settleIds], settleBatchSize), ...others.values()];
}

/**
 * The queue job of one attempt of a webhook delivery. Its id names the attempt (number and due
 * time), so the same attempt enqueued twice (the sweeper and a delayed retry) runs once, while a
 * later attempt or a redelivery is a new job. BullMQ ids may not contain ':'.
 */
export function webhookJob(deliveryId: string, attempts: number, dueAt: Date | null, delayMs = 0): Job<'webhook-deliver'> {
  return {
    name: 'webhook-deliver',
    data: { deliveryId },
    id: `whd-${deliveryId}-${attempts}-${dueAt ? dueAt.getTime() : 0}`,
    ...(delayMs > 0 ? { delayMs } : {}),
  };
}
