/**
 * Provisions PostgreSQL and Redis exactly like the test suite does (environment → testcontainers →
 * local binaries), prints them for the caller and keeps them running until SIGINT/SIGTERM/SIGHUP:
 *
 *   $ npx tsx test/support/start-services.ts
 *   SERVICES_PID=12345
 *   DATABASE_URL=postgres://postgres@127.0.0.1:40123/postgres
 *   REDIS_URL=redis://127.0.0.1:40125
 *   SERVICES_READY=1
 *
 * Only those lines go to stdout; progress goes to stderr. DATABASE_URL is the server's admin
 * (maintenance) database: create your own database on it. Stop it by signalling SERVICES_PID —
 * the pid of this Node process; `npx` and the tsx wrapper do not forward SIGTERM.
 */
import { emergencyCleanupSync, log, provisionServices } from './services.js';

process.stdout.write(`SERVICES_PID=${process.pid}\n`);

// A signal during provisioning: kill whatever has started so far (watchdogs remove the temp dirs).
const early = () => {
  emergencyCleanupSync();
  process.exit(143);
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, early);

const services = await provisionServices();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(signal, early);

let stopping = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping services`);
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out after 30 s')), 30_000).unref());
  let code = 0;
  try {
    await Promise.race([services.stop(), timeout]);
  } catch (error) {
    log(`clean stop failed (${(error as Error).message}); killing`);
    code = 1;
  } finally {
    emergencyCleanupSync();
    process.exit(code);
  }
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(signal));

process.stdout.write(`DATABASE_URL=${services.databaseUrl}\nREDIS_URL=${services.redisUrl}\nSERVICES_READY=1\n`);
log('services are up; stop with SIGINT or SIGTERM');

// The servers are unref'd children; keep the process alive until a signal arrives.
setInterval(() => undefined, 1 << 30);
