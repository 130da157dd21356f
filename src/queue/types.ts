/**
 * The job transport. Handlers are the same whichever transport runs them: BullMQ on Redis in
 * production, an in-process queue in the embedded default. Jobs carry ids only — never CPR
 * numbers or secrets — and every handler is idempotent, so a job delivered twice changes nothing.
 */
export type JobName =
  | 'settle' // { measurementIds: string[] }: (re)compute awards and post ledger differences
  | 'fund' // { fundId }: reserve money for awards awaiting funds, in acceptance order
  | 'finalise-due' // {}: finalise awards whose review window has passed (and housekeeping)
  | 'webhook-deliver'; // { deliveryId }: one attempt of a webhook delivery (on the webhook queue)

/** Jobs that run on the webhook queue, apart from settlement (a slow receiver cannot hold settlement up). */
export const WEBHOOK_JOBS: ReadonlySet<JobName> = new Set(['webhook-deliver']);

export interface JobData {
  [key: string]: unknown;
}

export interface Job {
  name: JobName;
  data: JobData;
  /** Deduplication id: a job with the id of one still queued is dropped. */
  id?: string;
  /** Run no earlier than this many milliseconds from now (a retry's back-off). */
  delayMs?: number;
}

export type JobHandler = (data: JobData) => Promise<void>;
export type JobHandlers = Partial<Record<JobName, JobHandler>>;

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

export interface JobQueue {
  readonly transport: 'bullmq' | 'in-process';
  add(jobs: Job[]): Promise<void>;
  /** Start consuming with these handlers (workers only). */
  startWorkers(handlers: JobHandlers, opts: { concurrency: number }): Promise<void>;
  counts(): Promise<QueueCounts>;
  ping(): Promise<boolean>;
  /** Stop taking jobs, let running ones finish, release connections. */
  close(): Promise<void>;
}

/** The queue's transport (Redis) does not answer: the HTTP layer answers 503 with Retry-After, not 500. */
export class QueueUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`queue unavailable: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'QueueUnavailableError';
  }
}
