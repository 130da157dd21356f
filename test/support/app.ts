import type { InjectOptions } from 'fastify';
import type { Logger } from 'pino';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createContext, type AppContext } from '../../src/context.js';
import { buildApp, type App } from '../../src/http/app.js';
import { startProcessing } from '../../workers/runtime.js';
import { generateApiKey } from '../../src/auth/api-key.js';
import { waitForSettlement } from '../../src/services/settlement-idle.js';
import { freshDatabaseUrl, redisTestUrl, uniqueQueuePrefix } from './db.js';
import { checkResponses } from './contract.js';

export interface TestApp {
  app: App;
  ctx: AppContext;
  adminKey: string;
  /** app.inject with a key (admin by default) and JSON body. */
  call(
    method: InjectOptions['method'],
    url: string,
    body?: unknown,
    key?: string | null,
  ): Promise<{
    status: number;
    body: any;
    headers: Record<string, unknown>;
  }>;
  /** Wait until every queued settlement job has run. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real app on a fresh PostgreSQL database (cloned from the migrated template), with the
 * in-process queue or BullMQ on the test Redis, and workers running in this process.
 */
export async function createTestApp(
  opts: { queue?: 'in-process' | 'bullmq'; clock?: () => Date; env?: Record<string, string>; logger?: Logger } = {},
): Promise<TestApp> {
  const admin = generateApiKey();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: await freshDatabaseUrl(),
    ...(opts.queue === 'bullmq' ? { REDIS_URL: redisTestUrl(), QUEUE_PREFIX: uniqueQueuePrefix() } : {}),
    ADMIN_BOOTSTRAP_KEY: admin.key,
    OUTBOX_POLL_MS: '20',
    PG_POOL_MAX: '5',
    ...opts.env,
  });
  const ctx = await createContext(config, opts.logger ?? createLogger('silent'), {
    inMemory: true,
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  const processing = await startProcessing(ctx);
  // Every answer the suite receives is checked against the committed OpenAPI document.
  const app = checkResponses(await buildApp(ctx));
  await app.ready();

  return {
    app,
    ctx,
    adminKey: admin.key,
    async call(method, url, body, key = admin.key) {
      const res = await app.inject({
        method,
        url,
        headers: key ? { authorization: `Bearer ${key}` } : {},
        ...(body !== undefined ? { payload: body as never } : {}),
      });
      const text = res.body;
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        /* not JSON: keep the text */
      }
      return { status: res.statusCode, body: parsed, headers: res.headers as Record<string, unknown> };
    },
    settled: () => waitForSettlement(ctx.db, ctx.queue),
    async close() {
      await app.close();
      await processing.stop();
      await ctx.close();
    },
  };
}
