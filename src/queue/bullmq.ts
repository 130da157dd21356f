import { hostname } from 'node:os';
import { Queue, Worker } from 'bullmq';
import type { RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { QueueUnavailableError, parseJob, runJob, type Job, type JobHandlers, type JobQueue, type QueueCounts } from './types.js';

/** The BullMQ queue settlement jobs go through (the fault suite inspects it by this name). */
export const QUEUE_NAME = 'settlement';
/** The BullMQ queue of webhook deliveries. */
export const WEBHOOK_QUEUE_NAME = 'webhooks';

function connectionFor(url: string): RedisOptions {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.pathname.length > 1 ? { db: Number(u.pathname.slice(1)) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    // Workers block on Redis; BullMQ needs this null to keep retrying through a Redis restart.
    maxRetriesPerRequest: null,
  };
}

/** BullMQ transport: jobs survive process restarts; retries with exponential backoff. */
export class BullQueue implements JobQueue {
  readonly transport = 'bullmq' as const;
  private readonly queue: Queue;
  private readonly connection: RedisOptions;
  private worker: Worker | null = null;

  constructor(
    redisUrl: string,
    private readonly prefix: string,
    private readonly log: Logger,
    private readonly name: string = QUEUE_NAME,
  ) {
    this.connection = connectionFor(redisUrl);
    // Producers fail fast when Redis is down (the outbox keeps the work), instead of hanging.
    this.queue = new Queue(name, {
      connection: { ...this.connection, maxRetriesPerRequest: 1, enableOfflineQueue: false },
      prefix,
      defaultJobOptions: {
        attempts: 10,
        backoff: { type: 'exponential', delay: 200 },
        removeOnComplete: { age: 3600, count: 10000 },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    });
    this.queue.on('error', (err) => this.log.warn({ err: err.message }, 'queue connection error'));
  }

  async add(jobs: Job[]): Promise<void> {
    if (!jobs.length) return;
    await this.queue.addBulk(
      jobs.map((j) => ({ name: j.name, data: j.data, opts: { ...(j.id ? { jobId: j.id } : {}), ...(j.delayMs ? { delay: j.delayMs } : {}) } })),
    );
  }

  async startWorkers(handlers: Partial<JobHandlers>, opts: { concurrency: number }): Promise<void> {
    this.worker = new Worker(
      this.name,
      // The return value is kept by BullMQ with the job (`returnvalue`): counts only, no personal data.
      async (job) => runJob(handlers, parseJob(job.name, job.data)),
      {
        connection: this.connection,
        prefix: this.prefix,
        concurrency: opts.concurrency,
        // Recorded on every job it takes (`processedBy`): which process ran a job, after the fact.
        name: `${hostname()}:${process.pid}`,
      },
    );
    this.worker.on('error', (err) => this.log.warn({ err: err.message }, 'worker connection error'));
    this.worker.on('failed', (job, err) => this.log.warn({ job: job?.name, attempts: job?.attemptsMade, err: err.message }, 'job failed'));
  }

  async counts(): Promise<QueueCounts> {
    const c = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized', 'paused').catch(async (err: unknown) => {
      throw (await this.ping()) ? err : new QueueUnavailableError(err);
    });
    return {
      waiting: (c.waiting ?? 0) + (c.prioritized ?? 0) + (c.paused ?? 0),
      active: c.active ?? 0,
      delayed: c.delayed ?? 0,
      failed: c.failed ?? 0,
    };
  }

  async ping(): Promise<boolean> {
    try {
      const client = (await this.queue.client) as unknown as { ping(): Promise<string> };
      return (await client.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    // Worker.close waits for active jobs to finish (graceful shutdown).
    if (this.worker) await this.worker.close();
    await this.queue.close();
  }
}
