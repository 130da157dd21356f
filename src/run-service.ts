import { loadConfig, ConfigError } from './config.js';
import { createLogger } from './logger.js';
import { createContext } from './context.js';
import { buildApp } from './http/app.js';
import type { SettlementHandlers } from '../workers/handlers.js';
import type { AppContext } from './context.js';
import { startProcessing } from '../workers/runtime.js';
import { warmConnections } from './services/warm-up.js';
import { prettyDestination, startupNotice, usePrettyLogs } from './terminal.js';
import type { AddressInfo } from 'node:net';

export interface RunOptions {
  /** The settlement queue's job handlers of this process; default: the production handlers (workers/handlers.ts). */
  handlers?: (ctx: AppContext) => SettlementHandlers;
}

/**
 * Runs the service as configured by the environment: the API, and — with ROLE=all (the
 * default) — the workers in the same process. With no DATABASE_URL/REDIS_URL this is the
 * embedded default: PGlite under ./data and an in-process queue, nothing to install.
 * `src/main.ts` (`npm start`) and `workers/main.ts` (`npm run worker`) call it.
 */
export async function runService(opts: RunOptions = {}): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const pretty = usePrettyLogs(config, process.stdout.isTTY === true);
  const log = createLogger(config.LOG_LEVEL, pretty ? prettyDestination() : undefined);
  const ctx = await createContext(config, log);
  const processing = config.ROLE === 'all' || config.ROLE === 'worker' ? await startProcessing(ctx, opts.handlers?.(ctx)) : null;
  if (config.ROLE !== 'all' && !processing) {
    ctx.relay.start(); // the API also relays its own outbox rows
    ctx.sealer.start(); // and may seal (one sealer at a time across processes)
  }
  const app = config.ROLE === 'worker' ? null : await buildApp(ctx);
  if (app) {
    // The pool's connections, opened and with the hot reads planned, before the first request (D220).
    const t = Date.now();
    const warmed = await warmConnections(ctx.database, config.PG_POOL_MIN);
    if (warmed) log.info({ connections: warmed, ms: Date.now() - t }, 'database connections warmed');
  }
  if (app) await app.listen({ host: config.HOST, port: config.PORT });
  log.info({ role: config.ROLE, database: ctx.database.kind, queue: ctx.queue.transport }, 'mobility bonus settlement service started');
  if (app && pretty) {
    const url = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${(app.server.address() as AddressInfo).port}`;
    process.stdout.write(startupNotice({ url, adminKey: ctx.devAdminKey, cwd: process.cwd() }) + '\n');
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing in-flight requests and jobs');
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    try {
      if (app) {
        await app.close(); // stops accepting connections
        await app.drained(20_000); // lets requests already running finish
      }
      if (processing) await processing.stop();
      await ctx.close(); // waits for running jobs, closes the database
      process.exit(0);
    } catch (err) {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
