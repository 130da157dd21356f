import { z } from 'zod';

/**
 * The job transport. Handlers are the same whichever transport runs them: BullMQ on Redis in
 * production, an in-process queue in the embedded default. Jobs carry ids only — never CPR
 * numbers or secrets — and every handler is idempotent, so a job delivered twice changes nothing.
 *
 * Each queue name has one payload type. Producers (outbox rows), the relay and the handlers all
 * use `JobPayloads`; a payload read back from the outbox or from Redis is checked against its
 * schema (`parseJob`) before a handler sees it.
 */
export const jobPayloadSchemas = {
  /** (Re)compute these measurements' awards and post the ledger differences. */
  settle: z.object({ measurementIds: z.array(z.string()) }),
  /** Reserve money for the fund's awards awaiting funds, in acceptance order. */
  fund: z.object({ fundId: z.string() }),
  /** Finalise awards whose review window has passed (and housekeeping). */
  'finalise-due': z.object({}),
};

export type JobName = keyof typeof jobPayloadSchemas;
export type JobPayloads = { [N in JobName]: z.infer<(typeof jobPayloadSchemas)[N]> };

/** What each handler reports (BullMQ keeps it as the job's return value). */
export interface JobResults {
  settle: { settled: number; changed: number };
  fund: { funded: number };
  'finalise-due': { finalised: number };
}

/** A job of one name with that name's payload. `id`: a job with the id of one still queued is dropped. */
export type Job<N extends JobName = JobName> = { [K in N]: { name: K; data: JobPayloads[K]; id?: string } }[N];

export type JobHandlers = { [N in JobName]: (data: JobPayloads[N]) => Promise<JobResults[N]> };

/** An outbox row's message: a job name (topic) and its payload. */
export type JobMessage = { [N in JobName]: { topic: N; payload: JobPayloads[N] } }[JobName];

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(jobPayloadSchemas, name);
}

/** A job read back from storage (outbox, Redis), checked: an unknown name or a bad payload throws. */
export function parseJob(name: string, data: unknown): Job {
  if (!isJobName(name)) throw new Error(`unknown job ${JSON.stringify(name)}`);
  switch (name) {
    case 'settle':
      return { name, data: jobPayloadSchemas.settle.parse(data) };
    case 'fund':
      return { name, data: jobPayloadSchemas.fund.parse(data) };
    case 'finalise-due':
      return { name, data: jobPayloadSchemas['finalise-due'].parse(data) };
  }
}

/** Runs a job with its handler (the switch pairs each name with its payload type). */
export function runJob(handlers: JobHandlers, job: Job): Promise<JobResults[JobName]> {
  switch (job.name) {
    case 'settle':
      return handlers.settle(job.data);
    case 'fund':
      return handlers.fund(job.data);
    case 'finalise-due':
      return handlers['finalise-due'](job.data);
  }
}

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
