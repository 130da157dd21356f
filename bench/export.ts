/**
 * `npx tsx bench/export.ts [--runs 5] [--format ndjson|csv] [--gap-ms 0]` with DATABASE_URL set to a populated
 * database (the bench's): serves the app in this process and downloads the ledger export with
 * curl (another process) `--runs` times after one warm-up, each after `--gap-ms` of idleness; prints the median wall time, lines per
 * second, and this process's CPU per line (user + system: the COPY stream, its framing and the
 * HTTP writes) — the figures issue 14's export changes were measured with — and, when the server
 * runs on this machine, PostgreSQL's CPU per line (every server process, from /proc).
 */
import { execFile } from 'node:child_process';
import { sql } from 'kysely';
import { loadavg } from 'node:os';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { generateApiKey } from '../src/auth/api-key.js';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import { buildApp } from '../src/http/app.js';
import { createLogger } from '../src/logger.js';
import { pgCpuMsOf } from './pg-cpu.js';

const run = promisify(execFile);
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    format: { type: 'string', default: 'ndjson' },
    // Idle time before each export (an auditor's occasional export rather than one after another).
    'gap-ms': { type: 'string', default: '0' },
  },
});
const GAP_MS = Number(values['gap-ms']);

const key = generateApiKey();
const ctx = await createContext(loadConfig({ ...process.env, LOG_LEVEL: 'warn', ADMIN_BOOTSTRAP_KEY: key.key, LEDGER_SEALER: 'off' }), createLogger('warn'), {
  inMemory: true,
});
const app = await buildApp(ctx);
await app.listen({ host: '127.0.0.1', port: 0 });
const { port } = app.server.address() as { port: number };
const dataDirectory = await sql<{ d: string }>`select setting as d from pg_settings where name = 'data_directory'`
  .execute(ctx.db)
  .then(({ rows }) => rows[0]!.d)
  .catch(() => null);
/** PostgreSQL's CPU so far (µs; bench/pg-cpu.ts); null for a remote server. */
const pgCpuUs = async () => {
  const ms = dataDirectory === null ? null : pgCpuMsOf(dataDirectory);
  return ms === null ? null : ms * 1000;
};

try {
  const times: Array<{ ms: number; cpuUs: number; sysUs: number; pgUs: number | null; lines: number; bytes: number }> = [];
  for (let i = 0; i <= Number(values.runs); i++) {
    await new Promise((r) => setTimeout(r, GAP_MS));
    const pg0 = await pgCpuUs();
    const cpu = process.cpuUsage();
    const t = performance.now();
    const { stdout } = await run('sh', [
      '-c',
      `curl -sf -H 'authorization: Bearer ${key.key}' http://127.0.0.1:${port}/v1/ledger/export.${values.format} | wc -lc`,
    ]);
    const ms = performance.now() - t;
    const used = process.cpuUsage(cpu);
    const pg1 = await pgCpuUs();
    const [lines, bytes] = stdout.trim().split(/\s+/).map(Number) as [number, number];
    if (i > 0) times.push({ ms, cpuUs: used.user + used.system, sysUs: used.system, pgUs: pg0 === null || pg1 === null ? null : pg1 - pg0, lines, bytes });
  }
  times.sort((a, b) => a.ms - b.ms);
  const median = times[Math.floor(times.length / 2)]!;
  const cpuSorted = times.map((t) => t.cpuUs / t.lines).sort((a, b) => a - b);
  const sysSorted = times.map((t) => t.sysUs / t.lines).sort((a, b) => a - b);
  const pgSorted = times.flatMap((t) => (t.pgUs === null ? [] : [t.pgUs / t.lines])).sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      format: values.format,
      lines: median.lines,
      mb: Math.round(median.bytes / 1e5) / 10,
      median_ms: Math.round(median.ms),
      lines_per_s: Math.round(median.lines / (median.ms / 1000)),
      cpu_us_per_line_median: Math.round(cpuSorted[Math.floor(cpuSorted.length / 2)]! * 10) / 10,
      sys_us_per_line_median: Math.round(sysSorted[Math.floor(sysSorted.length / 2)]! * 10) / 10,
      pg_cpu_us_per_line_median: pgSorted.length ? Math.round(pgSorted[Math.floor(pgSorted.length / 2)]! * 10) / 10 : null,
      load_avg_1m: Math.round(loadavg()[0]! * 100) / 100,
      gap_ms: GAP_MS,
      runs_ms: times.map((t) => Math.round(t.ms)),
      runs_pg_cpu_us_per_line: times.map((t) => (t.pgUs === null ? null : Math.round((t.pgUs / t.lines) * 10) / 10)),
    }),
  );
} finally {
  await app.close();
  await ctx.close();
}
