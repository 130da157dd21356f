/**
 * One fault case's private deployment: its own PostgreSQL and Redis (local binaries on temp
 * dirs, never the shared servers of `npm test`), an API process (`ROLE=api`) and worker
 * processes (`ROLE=worker`) started as real children, and a synthetic population seeded through
 * the services (children, enrolments, institutions, a fund, the three default rules). The
 * population's measurements are NOT stored by the seed: each case sends them through the API
 * (`POST /v1/measurements/batch`) when its fault scenario wants them.
 *
 * The test process keeps its own database pool and BullMQ client for inspection and for
 * injecting duplicate jobs; neither takes part in settlement.
 */
import * as ledgerRepo from '../../../src/repositories/ledger.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/logger.js';
import { createContext } from '../../../src/context.js';
import { generateApiKey } from '../../../src/auth/api-key.js';
import { openPostgres, type Database, type Db } from '../../../src/db/database.js';
import { createDatabaseOn } from '../../../src/db/server-databases.js';
import { QUEUE_NAME } from '../../../src/queue/bullmq.js';
import * as outbox from '../../../src/repositories/outbox.js';
import * as measurementsRepo from '../../../src/repositories/measurements.js';
import { defaultRules, seed } from '../../../src/seed/seed.js';
import { population, type SeedMeasurement } from '../../../src/seed/population.js';
import { businessDate } from '../../../src/services/business-date.js';
import { freePort, startLocalPostgres, startLocalRedis, type LocalPostgres, type LocalRedis } from '../../support/services.js';
import { spawnService, type ServiceProcess } from './processes.js';

export interface HttpResult {
  status: number;
  headers: Headers;
  body: any;
}

export interface ClusterOptions {
  /** Names the temp dir and the logs. */
  name: string;
  /** Population size; about 3.2 measurements a child. */
  children: number;
  /** review_days of every rule (0: awards are due for finalisation as soon as they are funded). */
  reviewDays?: number;
  /** Environment for every API and worker process (on top of the fault suite's defaults). */
  env?: Record<string, string>;
}

export interface QueueState {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
}

/** Fast fault cycles: small settlement jobs, a quick relay, reconciler and finalisation timer. */
const DEFAULT_ENV = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'info',
  PG_POOL_MAX: '5',
  WORKER_CONCURRENCY: '2',
  SETTLE_BATCH_SIZE: '50',
  OUTBOX_POLL_MS: '100',
  RECONCILE_AFTER_MS: '3000',
  FINALISE_INTERVAL_MS: '1000',
};

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class Cluster {
  readonly workers: ServiceProcess[] = [];
  /** Every API process started, the current one last. */
  readonly apis: ServiceProcess[] = [];
  api!: ServiceProcess;
  apiBase = '';
  fundId = '';
  /** Every measurement of the population, in the order a client would send them. */
  measurements: SeedMeasurement[] = [];

  private constructor(
    readonly name: string,
    readonly dir: string,
    readonly pg: LocalPostgres,
    readonly redis: LocalRedis,
    readonly databaseUrl: string,
    readonly adminKey: string,
    readonly env: NodeJS.ProcessEnv,
    private readonly database: Database,
    readonly queue: Queue,
  ) {}

  /** The test's own pool on the case's database (inspection only). */
  get db(): Db {
    return this.database.db;
  }

  static async start(opts: ClusterOptions): Promise<Cluster> {
    const dir = mkdtempSync(join(tmpdir(), `smb-fault-${opts.name}-`));
    const [pgResult, redisResult] = await Promise.allSettled([startLocalPostgres(), startLocalRedis()]);
    if (pgResult.status === 'rejected' || redisResult.status === 'rejected') {
      for (const r of [pgResult, redisResult]) if (r.status === 'fulfilled') await r.value.destroy();
      throw [pgResult, redisResult].flatMap((r) => (r.status === 'rejected' ? [r.reason] : []))[0];
    }
    const pg = pgResult.value;
    const redis = redisResult.value;
    const { url: databaseUrl } = await createDatabaseOn(pg.url, 'smb_fault');
    const admin = generateApiKey();
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...DEFAULT_ENV,
      DATA_DIR: join(dir, 'data'),
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: `fault_${randomBytes(3).toString('hex')}`,
      ADMIN_BOOTSTRAP_KEY: admin.key,
      CPR_HMAC_KEYS: `fault:${randomBytes(32).toString('base64')}`,
      CPR_HMAC_ACTIVE_KEY_ID: 'fault',
      WEBHOOK_SECRET_KEYS: `fault:${randomBytes(32).toString('base64')}`,
      WEBHOOK_SECRET_ACTIVE_KEY_ID: 'fault',
      LEDGER_SIGNING_KEYS: `fault:${generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64')}`,
      LEDGER_SIGNING_ACTIVE_KEY_ID: 'fault',
      CHECKPOINT_INTERVAL_MS: '500',
      ...opts.env,
    };
    const database = await openPostgres(databaseUrl, { max: 4 });
    const u = new URL(redis.url);
    // Fails fast while Redis is down (callers treat that as "busy"), reconnects by itself.
    const queue = new Queue(QUEUE_NAME, {
      connection: { host: u.hostname, port: Number(u.port), maxRetriesPerRequest: 1, enableOfflineQueue: false },
      prefix: env.QUEUE_PREFIX!,
    });
    queue.on('error', () => undefined);
    const cluster = new Cluster(opts.name, dir, pg, redis, databaseUrl, admin.key, env, database, queue);
    try {
      await cluster.seed(opts);
      await cluster.startApi();
    } catch (error) {
      await cluster.destroy();
      throw error;
    }
    return cluster;
  }

  /** Children, enrolments, institutions, a fund with money for every award, the default rules. */
  private async seed(opts: ClusterOptions): Promise<void> {
    const ctx = await createContext(loadConfig({ ...this.env, LOG_LEVEL: 'warn' }), createLogger('warn'), { inMemory: true });
    try {
      const actor = (await ctx.apiKeys.authenticate(this.adminKey))!;
      const today = businessDate(new Date(), 'Europe/Copenhagen');
      const report = await seed(ctx.services, actor, { children: opts.children, seed: 7, today, measurements: false, rules: false });
      this.fundId = report.fundId;
      for (const rule of defaultRules(report.fundId)) {
        const versions = rule.versions.map((v) => ({ ...v, review_days: opts.reviewDays ?? v.review_days }));
        await ctx.services.rules.create(actor, { ...rule, versions });
      }
      this.measurements = [...population({ children: opts.children, seed: 7, today })].flatMap((p) => p.measurements);
    } finally {
      await ctx.close();
    }
  }

  /** Starts (or restarts) the API process on a fresh port and waits for /healthz. */
  async startApi(): Promise<void> {
    const port = await freePort();
    const name = `api${this.apis.length + 1}`;
    this.api = spawnService(name, 'src/main.ts', { ...this.env, ROLE: 'api', PORT: String(port) }, join(this.dir, `${name}.log`));
    this.apis.push(this.api);
    this.apiBase = `http://127.0.0.1:${port}`;
    await this.until(`${this.api.name} answers /healthz`, 60_000, async () => {
      if (!this.api.running()) throw new Error(`${this.api.name} exited during start (log: ${this.api.logFile})`);
      return fetch(`${this.apiBase}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
    });
  }

  /** Starts a worker process (`workers/main.ts`) and waits until it has started its consumers. */
  async startWorker(env: Record<string, string> = {}, script = 'workers/main.ts'): Promise<ServiceProcess> {
    const name = `worker${this.workers.length + 1}`;
    const worker = spawnService(name, script, { ...this.env, ...env }, join(this.dir, `${name}.log`));
    this.workers.push(worker);
    await this.until(`${name} started`, 60_000, async () => {
      if (!worker.running()) throw new Error(`${name} exited during start (log: ${worker.logFile})`);
      return worker.logRecords().some((r) => r.msg === 'mobility bonus settlement service started');
    });
    return worker;
  }

  /**
   * Starts a worker that SIGKILLs itself right after its `n`th settle job that settled something
   * has committed, before the acknowledgement (`support/crashing-worker.ts`, a test-only entry).
   */
  async startCrashingWorker(n: number): Promise<ServiceProcess> {
    return this.startWorker({ SMB_FAULT_CRASH_AFTER_COMMIT: String(n) }, 'test/faults/support/crashing-worker.ts');
  }

  /**
   * Starts a sealing process that SIGKILLs itself in the middle of its `n`th batch, before the
   * commit (`support/crashing-sealer.ts`, a test-only entry).
   */
  async startCrashingSealer(n: number, env: Record<string, string> = {}): Promise<ServiceProcess> {
    return this.startWorker({ SMB_FAULT_SEAL_CRASH_AT: String(n), ...env }, 'test/faults/support/crashing-sealer.ts');
  }

  /** One HTTP request to the API with the admin key. Throws when the API does not answer at all. */
  async call(method: string, path: string, body?: unknown): Promise<HttpResult> {
    const res = await fetch(`${this.apiBase}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.adminKey}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    return { status: res.status, headers: res.headers, body: parsed };
  }

  /**
   * Sends measurements through `POST /v1/measurements/batch` like a well-behaved client: a 503
   * (or no answer) is retried after a pause, and a retry of items already stored is harmless
   * (same identity and value: `unchanged`). Every item must end up accepted or unchanged.
   */
  async ingest(items: SeedMeasurement[], chunk = 10_000): Promise<void> {
    for (let i = 0; i < items.length; i += chunk) {
      const part = items.slice(i, i + chunk);
      let res: HttpResult | null = null;
      await this.until('batch ingest accepted', 120_000, async () => {
        res = await this.call('POST', '/v1/measurements/batch', part).catch(() => null);
        if (res && res.status !== 503) return true;
        await sleep(500);
        return false;
      });
      const done = res as unknown as HttpResult;
      if (done.status !== 200) throw new Error(`batch ingest answered ${done.status}: ${JSON.stringify(done.body)}`);
      const { summary } = done.body as { summary: Record<string, number> };
      if (summary.rejected || summary.accepted! + summary.unchanged! !== part.length) {
        throw new Error(`batch ingest: ${JSON.stringify(summary)}`);
      }
    }
  }

  /**
   * Sends every measurement of the population before any worker runs, and waits until the API
   * has relayed all their jobs into Redis: a backlog queued and waiting for workers.
   */
  async ingestBacklog(): Promise<void> {
    await this.ingest(this.measurements);
    await this.until('outbox relayed', 60_000, async () => (await outbox.pendingCount(this.db)) === 0);
  }

  /** BullMQ's view of the queue; throws while Redis is down. */
  async queueState(): Promise<QueueState> {
    const c = await this.queue.getJobCounts('waiting', 'prioritized', 'paused', 'active', 'delayed', 'failed', 'completed');
    return {
      waiting: (c.waiting ?? 0) + (c.prioritized ?? 0) + (c.paused ?? 0),
      active: c.active ?? 0,
      delayed: c.delayed ?? 0,
      failed: c.failed ?? 0,
      completed: c.completed ?? 0,
    };
  }

  /** BullMQ's view of the queue once the test's client has reconnected (after a Redis restart). */
  async queueStateWhenUp(): Promise<QueueState> {
    let state: QueueState | null = null;
    await this.until('Redis answers the test client', 60_000, async () => {
      state = await this.queueState().catch(() => null);
      return state !== null;
    });
    return state!;
  }

  async unsettled(): Promise<number> {
    return measurementsRepo.unsettledCount(this.db);
  }

  /** Measurements settled as of their inputs: all but those waiting in the backlog (every measurement of a fault case has gen 1). */
  async settledCount(): Promise<number> {
    const row = await this.db
      .selectFrom('measurements')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n) - (await this.unsettled());
  }

  /**
   * Waits until settlement has caught up: no outbox rows, no unsettled measurement, no journal
   * entry waiting for a sealer of the cluster's processes (the test never seals), and no job
   * waiting, running or delayed in Redis — seen on two polls in a row. A dependency that does
   * not answer counts as busy. Includes BullMQ's recovery of jobs a killed worker held (their
   * lock must expire first: up to about a minute with BullMQ's defaults).
   */
  async waitQuiet(timeoutMs = 240_000): Promise<void> {
    let quiet = 0;
    await this.until(
      'settlement quiet',
      timeoutMs,
      async () => {
        const busy = await Promise.all([outbox.pendingCount(this.db), this.unsettled(), this.queueState(), ledgerRepo.pendingCount(this.db)]).then(
          ([pending, unsettled, q, unsealed]) => pending + unsettled + q.waiting + q.active + q.delayed + unsealed > 0,
          () => true,
        );
        quiet = busy ? 0 : quiet + 1;
        if (quiet < 2) await sleep(200);
        return quiet >= 2;
      },
      async () => JSON.stringify(await this.backlog()),
    );
  }

  /** What is still pending, for failure messages. */
  async backlog(): Promise<Record<string, unknown>> {
    const [pending, unsettled, q, unsealed] = await Promise.all([
      outbox.pendingCount(this.db).catch((e: Error) => e.message),
      this.unsettled().catch((e: Error) => e.message),
      this.queueState().catch((e: Error) => e.message),
      ledgerRepo.pendingCount(this.db).catch((e: Error) => e.message),
    ]);
    return { outbox: pending, unsettled, queue: q, unsealed };
  }

  /** Polls `ready` until it returns true; throws after `timeoutMs` naming what was awaited. */
  async until(what: string, timeoutMs: number, ready: () => Promise<boolean>, detail?: () => Promise<string>): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await ready()) return;
      if (Date.now() > deadline) throw new Error(`${this.name}: ${what}: not reached within ${timeoutMs} ms${detail ? ` — ${await detail()}` : ''}`);
      await sleep(50);
    }
  }

  /**
   * Restarts Redis. `keepData`: `SHUTDOWN SAVE` (an RDB snapshot of this instant, loaded again at
   * start, like a clean restart of a persistent Redis); otherwise SIGKILL with no persistence:
   * every queued, running and finished job is gone. `whileDown` runs in between.
   */
  async restartRedis(keepData: boolean, whileDown: () => Promise<void>): Promise<void> {
    if (keepData) {
      await new Promise<void>((resolve) => {
        const socket = createConnection({ host: '127.0.0.1', port: this.redis.port }, () => socket.write('SHUTDOWN SAVE\r\n'));
        socket.on('close', () => resolve());
        socket.on('error', () => undefined);
      });
      await this.redis.stop();
    } else {
      await this.redis.kill9();
      rmSync(join(this.redis.dir, 'dump.rdb'), { force: true });
    }
    await whileDown();
    await this.redis.start();
  }

  /** Measurements the reconcilers of every process put back on the queue (from their logs). */
  reconciled(): number {
    let n = 0;
    for (const p of [...this.workers, ...this.apis]) {
      for (const r of p.logRecords()) if (r.msg === 'reconciler re-enqueues unsettled measurements') n += Number(r.count ?? 0);
    }
    return n;
  }

  /** Log records at level error or above (pino: 50+) of every process, for the case report. */
  errorLogs(): Array<Record<string, unknown>> {
    return [...this.workers, ...this.apis].flatMap((p) =>
      p
        .logRecords()
        .filter((r) => Number(r.level) >= 50)
        .map((r) => ({ process: p.name, ...r })),
    );
  }

  async destroy(): Promise<void> {
    await Promise.allSettled([...this.workers, ...this.apis].map((p) => p.stop(5_000)));
    await this.queue.close().catch(() => undefined);
    await this.database.close().catch(() => undefined);
    await Promise.allSettled([this.pg.destroy(), this.redis.destroy()]);
    if (!process.env.SMB_FAULTS_KEEP_LOGS) rmSync(this.dir, { recursive: true, force: true });
  }
}
