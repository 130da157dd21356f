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
  /** One attempt of a webhook delivery (on the webhook queue). */
  'webhook-deliver': z.object({ deliveryId: z.string() }),
};

export type JobName = keyof typeof jobPayloadSchemas;
export type JobPayloads = { [N in JobName]: z.infer<(typeof jobPayloadSchemas)[N]> };

/** Jobs that run on the webhook queue, apart from settlement (a slow receiver cannot hold settlement up). */
export const WEBHOOK_JOBS: ReadonlySet<JobName> = new Set<JobName>(['webhook-deliver']);

/** What each handler reports (BullMQ keeps it as the job's return value). */
export interface JobResults {
  settle: { settled: number; changed: number };
  fund: { funded: number };
  'finalise-due': { finalised: number };
  'webhook-deliver': void;
}

/** A job of one name with that name's payload. */
export type Job<N extends JobName = JobName> = {
  [K in N]: {
    name: K;
    data: JobPayloads[K];
    /** Deduplication id: a job with the id of one still queued is dropped. */
    id?: string;
    /** Run no earlier than this many milliseconds from now (a retry's back-off). */
    delayMs?: number;
  };
}[N];

/** Handlers for some job names (each queue's workers handle their own names). */
export type JobHandlers<N extends JobName = JobName> = { [K in N]: (data: JobPayloads[K]) => Promise<JobResults[K]> };

/**
 * An outbox row's message, by topic. The same shapes as the jobs, except `webhook-deliver`,
 * whose row names many deliveries (the relay makes one job per delivery).
 */
export interface OutboxPayloads extends Omit<JobPayloads, 'webhook-deliver'> {
  'webhook-deliver': { deliveryIds: string[] };
}
export const outboxPayloadSchemas = {
  ...jobPayloadSchemas,
  'webhook-deliver': z.object({ deliveryIds: z.array(z.string()) }),
};
export type JobMessage = { [N in JobName]: { topic: N; payload: OutboxPayloads[N] } }[JobName];

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(jobPayloadSchemas, name);
}

/** A job read back from Redis, checked: an unknown name or a bad payload throws. */
export function parseJob(name: string, data: unknown): Job {
  if (!isJobName(name)) throw new Error(`unknown job ${JSON.stringify(name)}`);
  switch (name) {
    case 'settle':
      return { name, data: jobPayloadSchemas.settle.parse(data) };
    case 'fund':
      return { name, data: jobPayloadSchemas.fund.parse(data) };
    case 'finalise-due':
      return { name, data: jobPayloadSchemas['finalise-due'].parse(data) };
    case 'webhook-deliver':
      return { name, data: jobPayloadSchemas['webhook-deliver'].parse(data) };
  }
}

/** An outbox row read back, checked: an unknown topic or a bad payload throws. */
export function parseOutboxMessage(topic: string, payload: unknown): JobMessage {
  if (!isJobName(topic)) throw new Error(`unknown outbox topic ${JSON.stringify(topic)}`);
  switch (topic) {
    case 'settle':
      return { topic, payload: outboxPayloadSchemas.settle.parse(payload) };
    case 'fund':
      return { topic, payload: outboxPayloadSchemas.fund.parse(payload) };
    case 'finalise-due':
      return { topic, payload: outboxPayloadSchemas['finalise-due'].parse(payload) };
    case 'webhook-deliver':
      return { topic, payload: outboxPayloadSchemas['webhook-deliver'].parse(payload) };
  }
}

/** Runs a job with its handler (the switch pairs each name with its payload type); a name without one throws. */
export async function runJob(handlers: Partial<JobHandlers>, job: Job): Promise<JobResults[JobName]> {
  const missing = () => new Error(`no handler for job ${job.name}`);
  switch (job.name) {
    case 'settle':
      if (!handlers.settle) throw missing();
      return handlers.settle(job.data);
    case 'fund':
      if (!handlers.fund) throw missing();
      return handlers.fund(job.data);
    case 'finalise-due':
      if (!handlers['finalise-due']) throw missing();
      return handlers['finalise-due'](job.data);
    case 'webhook-deliver':
      if (!handlers['webhook-deliver']) throw missing();
      return handlers['webhook-deliver'](job.data);
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
  /** Start consuming with these handlers (workers only); a job without a handler fails. */
  startWorkers(handlers: Partial<JobHandlers>, opts: { concurrency: number }): Promise<void>;
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
