import type { Logger } from 'pino';
import { runJob, type Job, type JobHandlers, type JobQueue, type QueueCounts } from './types.js';

const MAX_ATTEMPTS = 5;

/**
 * The embedded stand-in for BullMQ: a FIFO in this process with the same handlers,
 * deduplication by job id and retries with backoff. Nothing survives a restart — which is
 * fine, because the outbox and the reconciler re-create any job whose work is not done.
 */
export class InProcessQueue implements JobQueue {
  readonly transport = 'in-process' as const;
  private readonly pending: Array<Job & { attempts: number }> = [];
  private readonly queuedIds = new Set<string>();
  private handlers: JobHandlers | null = null;
  private running = 0;
  private concurrency = 1;
  private delayed = 0;
  private failed = 0;
  private closed = false;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly log: Logger) {}

  async add(jobs: Job[]): Promise<void> {
    if (this.closed) throw new Error('queue is closed');
    for (const job of jobs) {
      if (job.id) {
        if (this.queuedIds.has(job.id)) continue;
        this.queuedIds.add(job.id);
      }
      if (job.delayMs) this.later(() => this.pending.push({ ...job, attempts: 0 }), job.delayMs);
      else this.pending.push({ ...job, attempts: 0 });
    }
    this.pump();
  }

  async startWorkers(handlers: JobHandlers, opts: { concurrency: number }): Promise<void> {
    this.handlers = handlers;
    this.concurrency = Math.max(1, opts.concurrency);
    this.pump();
  }

  private pump(): void {
    while (this.handlers && !this.closed && this.running < this.concurrency && this.pending.length) {
      const job = this.pending.shift()!;
      if (job.id) this.queuedIds.delete(job.id);
      this.running++;
      void this.run(job).finally(() => {
        this.running--;
        this.pump();
        this.notifyIfIdle();
      });
    }
    this.notifyIfIdle();
  }

  private async run(job: Job & { attempts: number }): Promise<void> {
    try {
      await runJob(this.handlers!, job);
    } catch (err) {
      job.attempts++;
      if (job.attempts >= MAX_ATTEMPTS) {
        this.failed++;
        this.log.error({ err, job: job.name, attempts: job.attempts }, 'job failed for good');
        return;
      }
      this.log.warn({ err, job: job.name, attempts: job.attempts }, 'job failed; retrying');
      this.delayed++;
      setTimeout(
        () => {
          this.delayed--;
          if (this.closed) return;
          this.pending.push(job);
          this.pump();
        },
        50 * 2 ** job.attempts,
      ).unref();
    }
  }

  /** Runs `enqueue` after `ms` (a delayed job); counted as delayed meanwhile. */
  private later(enqueue: () => void, ms: number): void {
    this.delayed++;
    setTimeout(() => {
      this.delayed--;
      if (this.closed) return;
      enqueue();
      this.pump();
    }, ms).unref();
  }

  private notifyIfIdle(): void {
    if (this.running === 0 && (this.closed || (this.pending.length === 0 && this.delayed === 0))) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  async counts(): Promise<QueueCounts> {
    return { waiting: this.pending.length, active: this.running, delayed: this.delayed, failed: this.failed };
  }

  async ping(): Promise<boolean> {
    return !this.closed;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.running === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }
}
