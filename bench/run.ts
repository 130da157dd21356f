/**
 * `npm run bench -- [--children N] [--workers N] [--json]`: end-to-end figures on real PostgreSQL and Redis
 * (DATABASE_URL/REDIS_URL, else local servers started on temp dirs like the tests do).
 *
 *  1. seed N children with enrolments and the default rules (through the services);
 *  2. ingest their measurements over HTTP as NDJSON (API process only, no worker running)
 *     → ingest_rows_per_s, with the CPU per row of the API and of PostgreSQL (ingest_api_cpu_us_per_row,
 *     ingest_pg_cpu_us_per_row); COPY the same rows into a copy of the table → copy_rows_per_s,
 *     copy_pg_cpu_us_per_row;
 *  3. start `--workers N` worker processes (default 1) and time settlement until idle → settle_awards_per_s
 *     (from the first job taken to the last job finished or the last entry sealed, whichever is
 *     later: end to end includes sealing the ledger); seal_lag_p50_ms / seal_lag_p99_ms over the
 *     entries sealed meanwhile; one job at a time per process (`BENCH_WORKER_CONCURRENCY`
 *     overrides); settle_totals: awards, Σ amounts, payees, entries and lines after settlement (equal
 *     for equal inputs: compare them across code versions); `--settle-only` stops here;
 *     `BENCH_PG_STATEMENTS=N` prints the N statements that took PostgreSQL longest during settlement
 *     (needs shared_preload_libraries=pg_stat_statements in SMB_TEST_PG_SETTINGS);
 *     then finalise every award early in one request → finalise_awards_per_s;
 *  4. restart the API and stream the NDJSON ledger export → export_rows_per_s, export_peak_rss_mb;
 *  5. autocannon on a child's passport and an award read → api_rps, api_p99_ms, api_cpu_us_per_req
 *     (`--api-runs N`: N runs in a row; median rate and CPU, worst p99, api_p99_ms_runs; `--api-gap-ms M`:
 *     M ms of idleness before each run);
 *     `BENCH_API_TRACE=1` also prints per run: requests and p99 per second, the PostgreSQL backends
 *     started meanwhile, what else PostgreSQL ran (pg_stat_activity every 100 ms), the API's CPU
 *     per thread (main; V8's compiler and GC threads) and PostgreSQL's CPU per request; with
 *     pg_stat_statements loaded (see BENCH_PG_STATEMENTS), each hot statement's plans and their time;
 *     With --ingest-only the bench stops here and prints these figures alone.
 *  6. with --reports, GET /v1/reports/outcomes per group-by (median of 5) → reports_ms.
 *  7. with --forecast, GET /v1/funds/{id}/forecast cold and warm, and a pipeline (bench/forecast.ts) → forecast_ms.
 *  9. the sealer's cost per entry (bench/sealer.ts) → sealer_us_per_entry, sealer_hash_us_per_entry, and its CPU
 *     time (the sealing process + PostgreSQL) per entry → sealer_cpu_us_per_entry: what bounds the serial part;
 *  8. (last) unless --no-fsync, settlement once more with fsync=on and synchronous_commit=on (ALTER SYSTEM on the
 *     same server, reset afterwards): the same population seeded with its measurements into a second
 *     database, then settled by the same number of workers → settle_awards_per_s_fsync; `--fsync-only`
 *     runs this step alone.
 * The databases it creates are dropped at the end unless --keep-databases.
 * Servers it starts itself run with the test settings (fsync off) plus BENCH_PG_SETTINGS.
 * The API and worker run as production runs them: compiled (`npm run build` first) under plain node.
 * Prints human-readable lines and, with --json, one JSON object on the last line.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { cpus, loadavg, totalmem } from 'node:os';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { QUEUE_NAME } from '../src/queue/bullmq.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createContext } from '../src/context.js';
import { generateApiKey } from '../src/auth/api-key.js';
import { seed } from '../src/seed/seed.js';
import { population } from '../src/seed/population.js';
import { businessDate } from '../src/services/business-date.js';
import { freePort, provisionServices } from '../test/support/services.js';
import { createDatabaseOn, dropDatabaseOn } from '../src/db/server-databases.js';
import { timeReports, type ReportTiming } from './reports.js';
import { timeForecast, type ForecastTiming } from './forecast.js';
import { timeSealer } from './sealer.js';
import { pgCpuMs, procStat } from './pg-cpu.js';

const { values } = parseArgs({
  options: {
    children: { type: 'string', default: '10000' },
    json: { type: 'boolean', default: false },
    seed: { type: 'string', default: '7' },
    // 6. (optional) GET /v1/reports/outcomes for every group-by on the settled population (bench/reports.ts).
    reports: { type: 'boolean', default: false },
    // 7. (optional) the liability forecast, cold and warm, and an institution's pipeline (bench/forecast.ts).
    forecast: { type: 'boolean', default: false },
    // 3. and 8. settle with N worker processes (each WORKER_CONCURRENCY=1 unless BENCH_WORKER_CONCURRENCY).
    workers: { type: 'string', default: '1' },
    // 8. skip the second settlement with fsync=on, synchronous_commit=on.
    'no-fsync': { type: 'boolean', default: false },
    // 5. run the API load this many times in a row.
    'api-runs': { type: 'string', default: '1' },
    // stop after settlement (3.): its figures and the money totals only.
    'settle-only': { type: 'boolean', default: false },
    // 5. idle this many ms before each API run (longer than PG_POOL_IDLE_MS: the pool's idle
    // connections close meanwhile, as after a quiet spell in production).
    'api-gap-ms': { type: 'string', default: '0' },
    // Stop after step 2 (seed, HTTP ingest, COPY): the ingest figures alone, for before/after pairs.
    'ingest-only': { type: 'boolean', default: false },
    // Step 8 alone (the fsync=on settlement of a freshly seeded population), for sizes where the
    // whole bench twice over takes too long.
    'fsync-only': { type: 'boolean', default: false },
    // Keep the databases the bench created on the server (by default they are dropped at the end,
    // also after a failure; a server the bench started itself goes with its data directory anyway).
    'keep-databases': { type: 'boolean', default: false },
  },
});
const API_RUNS = Number(values['api-runs']);
if (!Number.isInteger(API_RUNS) || API_RUNS < 1 || API_RUNS > 20) throw new Error('--api-runs: a whole number from 1 to 20');
const API_GAP_MS = Number(values['api-gap-ms']);
if (!Number.isInteger(API_GAP_MS) || API_GAP_MS < 0) throw new Error('--api-gap-ms: a whole number of ms');
const WORKERS = Number(values.workers);
if (!Number.isInteger(WORKERS) || WORKERS < 1 || WORKERS > 16) throw new Error('--workers: a whole number from 1 to 16');
const CHILDREN = Number(values.children);
/** Each line carries the machine's 1-minute load average: on a shared machine wall-time figures are only as good as it. */
const say = (line: string) => console.log(`${line} [load ${loadavg()[0]!.toFixed(1)}]`);
/** Settings of the PostgreSQL server the benchmark starts itself (docker-compose.yml sets the same). */
const BENCH_PG_SETTINGS = 'shared_buffers=4GB';
const today = businessDate(new Date(), 'Europe/Copenhagen');
/** The databases this run created on the server: dropped at the end unless --keep-databases. */
const createdDatabases: string[] = [];

async function main() {
  say('building dist/ (npm run build) …');
  execFileSync('npm', ['run', '-s', 'build'], { stdio: 'inherit' });
  // A server started here gets a production-like buffer cache (the PostgreSQL default of 128 MB
  // is a tenth of the working set at 100,000 children); SMB_TEST_PG_SETTINGS overrides it.
  process.env.SMB_TEST_PG_SETTINGS ??= BENCH_PG_SETTINGS;
  const services = await provisionServices();
  const { name: databaseName, url: databaseUrl } = await createDatabaseOn(services.databaseUrl, 'smb_bench');
  createdDatabases.push(databaseName);
  const key = generateApiKey();
  const env = {
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    REDIS_URL: services.redisUrl,
    QUEUE_PREFIX: `bench${Date.now()}`,
    ADMIN_BOOTSTRAP_KEY: key.key,
    PG_POOL_MAX: '10',
    CPR_HMAC_KEYS: `bench:${Buffer.alloc(32, 7).toString('base64')}`,
    CPR_HMAC_ACTIVE_KEY_ID: 'bench',
    WEBHOOK_SECRET_KEYS: `bench:${Buffer.alloc(32, 9).toString('base64')}`,
    WEBHOOK_SECRET_ACTIVE_KEY_ID: 'bench',
  };
  const children: ChildProcess[] = [];
  // The bench's own connection, ended in `finally` on every path: left open against an external
  // server (DATABASE_URL) it kept the process alive after the JSON line (--settle-only, --ingest-only).
  let db: pg.Client | null = null;
  try {
    if (values['fsync-only']) {
      const fsyncRate = await fsyncSettlement(services.databaseUrl, env, services.redisUrl, children);
      if (fsyncRate !== null) say(`settle (fsync=on, synchronous_commit=on): ${Math.round(fsyncRate)} awards/s`);
      if (values.json)
        console.log(JSON.stringify({ children: CHILDREN, settle_awards_per_s_fsync: fsyncRate === null ? null : Math.round(fsyncRate), ...runFacts() }));
      return;
    }
    // 1. Seed through the services (children, enrolments, rules; measurements come over HTTP).
    const ctx = await createContext(loadConfig(env), createLogger('warn'), { inMemory: true });
    const actor = (await ctx.apiKeys.authenticate(key.key))!;
    let t = Date.now();
    const report = await seed(ctx.services, actor, {
      children: CHILDREN,
      seed: Number(values.seed),
      today,
      measurements: false,
      depositOre: CHILDREN * 10_000_000,
    });
    const seedSeconds = (Date.now() - t) / 1000;
    say(`seeded ${report.children} children, ${report.enrolments} enrolments, ${report.institutions} institutions in ${seedSeconds.toFixed(1)} s`);
    await ctx.close();

    // 2. Ingest over HTTP, API only (no worker consumes the queue yet).
    const port = await freePort();
    const api = await startProcess('src/main.ts', { ...env, ROLE: 'api', PORT: String(port) }, port);
    children.push(api);
    const base = `http://127.0.0.1:${port}`;
    const auth = { authorization: `Bearer ${key.key}` };
    const rows = [...population({ children: CHILDREN, seed: Number(values.seed), today })].flatMap((p) => p.measurements);
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    // If a later step fails, the servers are stopped under this connection: report that step's
    // error, not the connection's termination.
    db.on('error', () => undefined);
    const [ingestApiCpu0, ingestPgCpu0] = [cpuMs(api.pid!), await pgCpuMs(db)];
    t = Date.now();
    const res = await fetch(`${base}/v1/measurements/batch`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/x-ndjson' },
      body: Readable.toWeb(Readable.from(ndjsonChunks(rows))) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    const text = await res.text();
    const ingestSeconds = (Date.now() - t) / 1000;
    const summary = JSON.parse(text.trim().split('\n').at(-1)!).summary;
    const ingestRate = rows.length / ingestSeconds;
    // CPU per row of the API process and of PostgreSQL (every backend) over the ingest: what the
    // service costs beside raw COPY, less distorted by a loaded machine than the rates.
    const ingestApiCpuUs = ((cpuMs(api.pid!) - ingestApiCpu0) * 1000) / rows.length;
    const ingestPgCpu1 = await pgCpuMs(db);
    const ingestPgCpuUs = ingestPgCpu0 === null || ingestPgCpu1 === null ? null : ((ingestPgCpu1 - ingestPgCpu0) * 1000) / rows.length;
    say(`ingest: CPU per row: API ${ingestApiCpuUs.toFixed(1)} µs, PostgreSQL ${ingestPgCpuUs === null ? 'n/a' : ingestPgCpuUs.toFixed(1)} µs`);
    say(
      `ingest: ${rows.length} measurements over HTTP (NDJSON) in ${ingestSeconds.toFixed(2)} s = ${Math.round(ingestRate)} rows/s (${JSON.stringify(summary)})`,
    );

    // The same rows by raw COPY into an identical table: the floor PostgreSQL itself sets.
    await db.query('CREATE TABLE measurements_copy (LIKE measurements INCLUDING ALL)');
    const ids = new Map(
      (await db.query<{ id: string; external_ref: string }>('select id, external_ref from children')).rows.map((r) => [r.external_ref, r.id]),
    );
    const copyLines = rows.map((m) => [ids.get(m.child_ref), m.kind, m.period, JSON.stringify(m.value), m.measured_on, m.source, 'active'].join('\t') + '\n');
    const copyPgCpu0 = await pgCpuMs(db);
    t = Date.now();
    await pipeline(
      Readable.from(batches(copyLines)),
      db.query(copyFrom('COPY measurements_copy (child_id, kind_key, period, value, measured_on, source, status) FROM STDIN')),
    );
    const copyRate = rows.length / ((Date.now() - t) / 1000);
    const copyPgCpu1 = await pgCpuMs(db);
    const copyPgCpuUs = copyPgCpu0 === null || copyPgCpu1 === null ? null : ((copyPgCpu1 - copyPgCpu0) * 1000) / rows.length;
    say(
      `copy:   the same rows by raw COPY = ${Math.round(copyRate)} rows/s (ingest is ${((ingestRate / copyRate) * 100).toFixed(0)} % of COPY); PostgreSQL CPU per row ${copyPgCpuUs === null ? 'n/a' : copyPgCpuUs.toFixed(1)} µs`,
    );
    await db.query('DROP TABLE measurements_copy');
    // The ingest step's keys of the JSON line (also the whole line with --ingest-only).
    const ingestFigures = {
      ingest_rows_per_s: Math.round(ingestRate),
      copy_rows_per_s: Math.round(copyRate),
      ingest_api_cpu_us_per_row: Math.round(ingestApiCpuUs * 10) / 10,
      ingest_pg_cpu_us_per_row: ingestPgCpuUs === null ? null : Math.round(ingestPgCpuUs * 10) / 10,
      copy_pg_cpu_us_per_row: copyPgCpuUs === null ? null : Math.round(copyPgCpuUs * 10) / 10,
    };
    if (values['ingest-only']) {
      if (values.json) console.log(JSON.stringify({ children: CHILDREN, measurements: rows.length, ...ingestFigures, ...runFacts() }));
      return;
    }

    // BENCH_PG_STATEMENTS=N (with shared_preload_libraries=pg_stat_statements in SMB_TEST_PG_SETTINGS):
    // the N statements that took PostgreSQL the longest during settlement (a diagnosis; it costs CPU).
    const topStatements = Number(process.env.BENCH_PG_STATEMENTS ?? 0);
    if (topStatements) {
      await db.query('create extension if not exists pg_stat_statements');
      // Statements inside triggers too (the server is the bench's own; its data directory goes with it).
      await db.query(`alter system set pg_stat_statements.track = 'all'`);
      await db.query('select pg_reload_conf()');
      await db.query('select pg_stat_statements_reset()');
    }
    // 3. Settlement end to end through N worker processes, until every entry is sealed.
    const analysesBefore = await analyses(db);
    const settled = await timeSettlement(db, env, services.redisUrl, env.QUEUE_PREFIX, children, () => waitIdle(base, auth));
    const { awards, settleSeconds, settleRate } = settled;
    say(
      `settle: ${settled.measurements} measurements → ${awards} awards, ${settled.entries} journal entries by ${WORKERS} worker process(es) in ${settleSeconds.toFixed(2)} s of jobs and sealing (${settled.wallSeconds.toFixed(2)} s with the workers' start) = ${Math.round(settleRate)} awards/s (${Math.round(settled.measurements / settleSeconds)} measurements/s); last job ${settled.jobsSeconds.toFixed(2)} s, last seal ${settled.sealSeconds.toFixed(2)} s after the first job`,
    );
    say(`settle: CPU per award: worker processes ${settled.workerCpuUsPerAward} µs, PostgreSQL ${settled.pgCpuUsPerAward ?? 'n/a'} µs`);
    // The tables settlement writes, analysed meanwhile (the statistics keeper's and autovacuum's; D217).
    const settleAnalyses = diffCounts(await analyses(db), analysesBefore);
    say(`settle: tables analysed meanwhile (keeper + autovacuum) ${JSON.stringify(settleAnalyses)}`);
    say(`seal:   lag (sealed_at − appended_at) p50 ${fmtMs(settled.lag.p50)} ms, p99 ${fmtMs(settled.lag.p99)} ms over ${settled.lag.n} entries`);
    if (topStatements) {
      const top = await db.query<{ ms: string; calls: string; rows: string; query: string }>(
        `select round(total_exec_time)::text ms, calls::text, rows::text, regexp_replace(left(query, 160), '\\s+', ' ', 'g') query
           from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
          order by total_exec_time desc limit $1`,
        [topStatements],
      );
      for (const r of top.rows) say(`pg_stat_statements: ${r.ms} ms, ${r.calls} calls, ${r.rows} rows: ${r.query}`);
    }
    // What settlement computed, in money: two runs of the same population must agree to the øre.
    const totals = await settleTotals(db);
    say(`settle: totals ${JSON.stringify(totals)}`);
    // The settlement step's keys of the JSON line (also the whole line with --settle-only).
    const settleFigures = {
      settle_awards_per_s: Math.round(settleRate),
      settle_workers: WORKERS,
      settle_worker_cpu_us_per_award: settled.workerCpuUsPerAward,
      settle_pg_cpu_us_per_award: settled.pgCpuUsPerAward,
      seal_lag_p50_ms: settled.lag.p50 === null ? null : Math.round(settled.lag.p50),
      seal_lag_p99_ms: settled.lag.p99 === null ? null : Math.round(settled.lag.p99),
      settle_totals: totals,
      settle_analyses: settleAnalyses,
    };
    if (values['settle-only']) {
      if (values.json) console.log(JSON.stringify({ children: CHILDREN, measurements: rows.length, awards, ...settleFigures, ...runFacts() }));
      return;
    }

    // Finalise everything so the ledger has the full shape (reserve + finalise entries).
    // Over node:http: fetch gives up waiting for response headers after 300 s, and at a million
    // children this one request finalises ~900,000 awards.
    t = Date.now();
    let finalised = 0;
    for (const { fund_id } of (await db.query<{ fund_id: string }>('select id as fund_id from funds order by id')).rows) {
      const body = JSON.stringify({ fund_id, reason: 'benchmark: finalise everything to give the ledger its full shape' });
      finalised += (JSON.parse(await postJson(`${base}/v1/awards/finalise`, auth, body)) as { finalised: number }).finalised;
    }
    const finaliseSeconds = (Date.now() - t) / 1000;
    const finaliseRate = finalised / finaliseSeconds;
    say(`finalise: ${finalised} awards finalised early in ${finaliseSeconds.toFixed(2)} s = ${Math.round(finaliseRate)} awards/s`);
    // The finalisation entries are appended; the export and the API load must not run beside the
    // sealer sealing them (the export covers the sealed prefix, and sealing costs the API CPU).
    const sealedBy = Date.now();
    while (Number((await db.query<{ n: string }>('select count(*)::text as n from journal_pending')).rows[0]!.n) > 0)
      await new Promise((r) => setTimeout(r, 50));
    say(`finalise: its entries sealed ${((Date.now() - sealedBy) / 1000).toFixed(2)} s after the request answered`);

    // 4. Export from a fresh API process, so its peak RSS is the export's.
    await stopProcess(api);
    const port2 = await freePort();
    const api2Started = Date.now();
    const api2 = await startProcess('src/main.ts', { ...env, ROLE: 'api', PORT: String(port2) }, port2);
    children.push(api2);
    const base2 = `http://127.0.0.1:${port2}`;
    const idleRss = peakRssMb(api2.pid!);
    const [apiCpu0, pgCpu0] = [cpuMs(api2.pid!), await pgCpuMs(db)];
    const ndjsonExport = await timedExport(`${base2}/v1/ledger/export.ndjson`, auth);
    const [apiCpu1, pgCpu1] = [cpuMs(api2.pid!), await pgCpuMs(db)];
    const exportRate = ndjsonExport.lines / ndjsonExport.seconds;
    const exportApiCpuUs = ((apiCpu1 - apiCpu0) * 1000) / ndjsonExport.lines;
    const exportPgCpuUs = pgCpu0 === null || pgCpu1 === null ? null : ((pgCpu1 - pgCpu0) * 1000) / ndjsonExport.lines;
    say(
      `export: ${ndjsonExport.lines} ledger entries (NDJSON with lines and explanations, ${ndjsonExport.mb.toFixed(0)} MB) in ${ndjsonExport.seconds.toFixed(2)} s = ${Math.round(exportRate)} lines/s; CPU per line: API ${exportApiCpuUs.toFixed(1)} µs, PostgreSQL ${exportPgCpuUs === null ? 'n/a' : exportPgCpuUs.toFixed(1)} µs`,
    );
    const csvExport = await timedExport(`${base2}/v1/ledger/export.csv`, auth);
    const csvRate = csvExport.lines / csvExport.seconds;
    say(`export: ${csvExport.lines} journal lines (CSV, ${csvExport.mb.toFixed(0)} MB) in ${csvExport.seconds.toFixed(2)} s = ${Math.round(csvRate)} lines/s`);
    const peakRss = peakRssMb(api2.pid!);
    say(`export: API peak RSS over both exports ${peakRss.toFixed(0)} MB (${idleRss.toFixed(0)} MB after start-up)`);

    // 5. API latency under load: a child's passport and an award read.
    const someChild = (await db.query<{ id: string }>('select child_id as id from awards limit 1')).rows[0]!.id;
    const someAward = (await db.query<{ id: string }>('select id from awards order by id limit 1')).rows[0]!.id;
    // `--api-runs N`: the same load N times in a row (the target is a p99 in five runs out of five).
    const apiRuns: Array<{ rps: number; p99: number; cpuUs: number }> = [];
    for (let run = 1; run <= API_RUNS; run++) {
      if (API_GAP_MS) await new Promise((r) => setTimeout(r, API_GAP_MS));
      const cpuBefore = cpuMs(api2.pid!);
      const pgBefore = await pgCpuMs(db);
      const trace = process.env.BENCH_API_TRACE ? await traceApiRun(db) : null;
      const threads0 = trace ? threadCpuMs(api2.pid!) : null;
      if (trace) say(`api trace run ${run}: starts ${Date.now() - api2Started} ms after the API process (pid ${api2.pid}) was spawned`);
      const load = await new Promise<autocannon.Result>((resolve, reject) => {
        const inst = autocannon(
          {
            url: base2,
            connections: 32,
            duration: 10,
            headers: auth,
            requests: [
              { method: 'GET', path: `/v1/children/${someChild}/passport` },
              { method: 'GET', path: `/v1/awards/${someAward}` },
            ],
          },
          (err, res) => (err ? reject(err) : resolve(res)),
        );
        if (trace) inst.on('response', (_c: unknown, _s: number, _b: number, ms: number) => trace.response(ms));
      });
      // CPU time of the API process per request: unlike req/s and p99 it hardly moves with the machine's load.
      const cpuUs = Math.round(((cpuMs(api2.pid!) - cpuBefore) * 1000) / load.requests.total);
      if (trace) {
        const pgAfter = await pgCpuMs(db);
        const pgUs = pgBefore === null || pgAfter === null ? 'n/a' : Math.round(((pgAfter - pgBefore) * 1000) / load.requests.total);
        for (const line of await trace.stop()) say(`api trace run ${run}: ${line}`);
        const threads1 = threadCpuMs(api2.pid!);
        const byName = new Map<string, number>();
        for (const [tid, t] of threads1) byName.set(t.name, (byName.get(t.name) ?? 0) + t.ms - (threads0!.get(tid)?.ms ?? 0));
        say(`api trace run ${run}: API CPU by thread (ms): ${JSON.stringify(Object.fromEntries(byName))}`);
        say(`api trace run ${run}: PostgreSQL CPU per request ${pgUs} µs`);
      }
      apiRuns.push({ rps: Math.round(load.requests.average), p99: load.latency.p99, cpuUs });
      say(
        `api:    ${API_RUNS > 1 ? `run ${run}: ` : ''}${Math.round(load.requests.average)} req/s, p50 ${load.latency.p50} ms, p99 ${load.latency.p99} ms, ${cpuUs} µs CPU per request, errors ${load.errors + load.non2xx}`,
      );
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

    // 6. The social-mobility report on the settled population (optional).
    let reports: ReportTiming[] | undefined;
    if (values.reports) {
      reports = (await timeReports(env, 5)).timings;
      for (const r of reports) say(`report: group_by=${r.group_by} median ${r.median_ms} ms, slowest ${r.max_ms} ms (${r.groups} groups)`);
    }
    let forecast: ForecastTiming[] | undefined;
    if (values.forecast) {
      forecast = (await timeForecast(env, 5)).timings;
      for (const f of forecast) say(`forecast: ${f.what} median ${f.median_ms} ms, slowest ${f.max_ms} ms`);
    }

    // 9. The sealer's cost per entry, with no other sealer running (the API stopped).
    await stopProcess(api2);
    const sealer = await timeSealer(env, 20_000, () => pgCpuMs(db!));
    const sealerCpu = sealer.seal_cpu_us_per_entry;
    say(
      `sealer: ${sealer.entries} entries sealed at ${sealer.seal_us_per_entry} µs per entry (hashing ${sealer.hash_us_per_entry} µs of it); appending them ${sealer.append_us_per_entry} µs per entry; CPU per entry sealed: sealer ${sealerCpu.node} µs, PostgreSQL ${sealerCpu.pg ?? 'n/a'} µs`,
    );

    // 8. Settlement again with fsync=on and synchronous_commit=on.
    let fsyncRate: number | null = null;
    if (!values['no-fsync']) {
      fsyncRate = await fsyncSettlement(services.databaseUrl, env, services.redisUrl, children);
      if (fsyncRate !== null) say(`settle (fsync=on, synchronous_commit=on): ${Math.round(fsyncRate)} awards/s`);
    }

    const result = {
      children: CHILDREN,
      measurements: rows.length,
      awards,
      ...ingestFigures,
      ...settleFigures,
      settle_awards_per_s_fsync: fsyncRate === null ? null : Math.round(fsyncRate),
      sealer_us_per_entry: sealer.seal_us_per_entry,
      sealer_hash_us_per_entry: sealer.hash_us_per_entry,
      sealer_cpu_us_per_entry: sealerCpu.pg === null ? null : sealerCpu.node + sealerCpu.pg,
      finalise_awards_per_s: Math.round(finaliseRate),
      export_rows_per_s: Math.round(exportRate),
      export_csv_rows_per_s: Math.round(csvRate),
      export_api_cpu_us_per_line: Math.round(exportApiCpuUs * 10) / 10,
      export_pg_cpu_us_per_line: exportPgCpuUs === null ? null : Math.round(exportPgCpuUs * 10) / 10,
      export_peak_rss_mb: Math.round(peakRss),
      api_idle_rss_mb: Math.round(idleRss),
      // With --api-runs N: the median rate and CPU, the worst p99, and every run's p99.
      api_rps: median(apiRuns.map((r) => r.rps)),
      api_p99_ms: Math.max(...apiRuns.map((r) => r.p99)),
      api_p99_ms_runs: apiRuns.map((r) => r.p99),
      api_cpu_us_per_req: median(apiRuns.map((r) => r.cpuUs)),
      ...(reports ? { reports_ms: Object.fromEntries(reports.map((r) => [r.group_by, r.median_ms])) } : {}),
      ...(forecast ? { forecast_ms: Object.fromEntries(forecast.map((f) => [f.what, f.median_ms])) } : {}),
      ...runFacts(),
    };
    if (values.json) console.log(JSON.stringify(result));
  } finally {
    await db?.end().catch(() => undefined);
    for (const c of children) await stopProcess(c);
    if (values['keep-databases']) say(`kept databases: ${createdDatabases.join(', ')}`);
    else for (const name of createdDatabases) await dropDatabaseOn(services.databaseUrl, name);
    await services.stop();
  }
}

const fmtMs = (n: number | null) => (n === null ? 'n/a' : n.toFixed(0));

/** Settlement's result in money (after settlement, before finalisation): equal for equal inputs, whatever the code's speed. */
async function settleTotals(db: pg.Client) {
  const r = await db.query<Record<string, string>>(
    `select (select count(*) from awards)::text awards, (select count(*) filter (where earned) from awards)::text earned,
            (select coalesce(sum(amount_ore), 0) from awards)::text amount_ore, (select coalesce(sum(retained_ore), 0) from awards)::text retained_ore,
            (select coalesce(sum(reserved_ore), 0) from awards)::text reserved_ore,
            (select string_agg(status || '=' || n, ',' order by status) from (select status, count(*) n from awards group by status) s) statuses,
            (select count(*) from award_payees)::text payees, (select coalesce(sum(amount_ore), 0) from award_payees)::text payee_ore,
            (select count(*) from journal_entries)::text entries, (select count(*) from journal_lines)::text lines,
            (select coalesce(sum(abs(amount_ore)), 0) from journal_lines)::text lines_abs_ore`,
  );
  return r.rows[0]!;
}

/**
 * Starts WORKERS worker processes on `env`'s database, waits until `idle` says everything is
 * settled and sealed, stops them, and returns the figures: first job taken → the later of the
 * last job finished and the last entry sealed.
 */
async function timeSettlement(db: pg.Client, env: NodeJS.ProcessEnv, redisUrl: string, prefix: string, children: ChildProcess[], idle: () => Promise<void>) {
  const before = (await db.query<{ seq: string }>('select last_seq::text as seq from ledger_head where id = 1')).rows[0]!.seq;
  const pgBefore = await pgCpuMs(db);
  const t = Date.now();
  const workers: ChildProcess[] = [];
  for (let i = 0; i < WORKERS; i++) {
    const w = await startProcess('workers/main.ts', { ...env, ROLE: 'worker', WORKER_CONCURRENCY: process.env.BENCH_WORKER_CONCURRENCY ?? '1' }, null);
    workers.push(w);
    children.push(w);
  }
  await idle();
  const wallSeconds = (Date.now() - t) / 1000;
  // CPU of the worker processes (start-up included, ~0.5 s each) and of PostgreSQL meanwhile
  // (every backend: the workers', the API's sealer and status polls): figures that a loaded,
  // shared machine distorts far less than wall time.
  const workerCpu = workers.reduce((sum, w) => sum + cpuMs(w.pid!), 0);
  const pgAfter = await pgCpuMs(db);
  for (const w of workers) await stopProcess(w);
  const jobs = await jobWindow(redisUrl, prefix);
  const q = (
    await db.query<{ awards: string; entries: string; measurements: string; last_sealed_ms: string | null; p50: number | null; p99: number | null; n: string }>(
      `select (select count(*) from awards) awards, (select count(*) from journal_entries) entries, (select count(*) from measurements) measurements,
            (select extract(epoch from max(sealed_at)) * 1000 from journal_entries where seq > $1)::text as last_sealed_ms,
            percentile_cont(0.5) within group (order by lag) as p50, percentile_cont(0.99) within group (order by lag) as p99, count(*)::text as n
       from (select extract(epoch from sealed_at - appended_at) * 1000 as lag from journal_entries where seq > $1 and appended_at is not null) l`,
      [before],
    )
  ).rows[0]!;
  const lastSealed = q.last_sealed_ms === null ? jobs.end : Number(q.last_sealed_ms);
  const settleSeconds = (Math.max(jobs.end, lastSealed) - jobs.start) / 1000;
  const awards = Number(q.awards);
  return {
    awards,
    entries: Number(q.entries),
    measurements: Number(q.measurements),
    settleSeconds,
    settleRate: awards / settleSeconds,
    wallSeconds,
    jobsSeconds: (jobs.end - jobs.start) / 1000,
    sealSeconds: (lastSealed - jobs.start) / 1000,
    lag: { p50: q.p50 === null ? null : Number(q.p50), p99: q.p99 === null ? null : Number(q.p99), n: Number(q.n) },
    workerCpuUsPerAward: Math.round((workerCpu * 1000) / awards),
    pgCpuUsPerAward: pgBefore === null || pgAfter === null ? null : Math.round(((pgAfter - pgBefore) * 1000) / awards),
  };
}

/**
 * 8. The same population, seeded with its measurements into a second database on the same server
 * while fsync is still off, then settled with fsync=on and synchronous_commit=on (ALTER SYSTEM
 * and a reload; reset afterwards). Null when the server does not take the settings (not a
 * superuser, or settings given on its command line, which ALTER SYSTEM cannot override).
 */
async function fsyncSettlement(adminUrl: string, env: NodeJS.ProcessEnv, redisUrl: string, children: ChildProcess[]): Promise<number | null> {
  const { name, url } = await createDatabaseOn(adminUrl, 'smb_bench_fsync');
  createdDatabases.push(name);
  const fenv = { ...env, DATABASE_URL: url, QUEUE_PREFIX: `${env.QUEUE_PREFIX}f` };
  const ctx = await createContext(loadConfig(fenv), createLogger('warn'), { inMemory: true });
  const actor = (await ctx.apiKeys.authenticate(String(env.ADMIN_BOOTSTRAP_KEY)))!;
  await seed(ctx.services, actor, { children: CHILDREN, seed: Number(values.seed), today, measurements: true, depositOre: CHILDREN * 10_000_000 });
  await ctx.close();
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  db.on('error', () => undefined);
  try {
    await admin.query('ALTER SYSTEM SET fsync = on');
    await admin.query('ALTER SYSTEM SET synchronous_commit = on');
    await admin.query('SELECT pg_reload_conf()');
    let on = false;
    for (let i = 0; i < 50 && !on; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const r = await db.query<{ f: string; s: string }>(`select current_setting('fsync') f, current_setting('synchronous_commit') s`);
      on = r.rows[0]!.f === 'on' && r.rows[0]!.s === 'on';
    }
    if (!on) {
      say('settle (fsync=on): the server did not take fsync=on and synchronous_commit=on (command-line settings?); not measured');
      return null;
    }
    const r = await timeSettlement(db, fenv, redisUrl, fenv.QUEUE_PREFIX, children, () => waitIdleDb(db, redisUrl, fenv.QUEUE_PREFIX));
    say(
      `settle (fsync=on, synchronous_commit=on): ${r.awards} awards, ${r.entries} entries in ${r.settleSeconds.toFixed(2)} s; seal lag p99 ${fmtMs(r.lag.p99)} ms; CPU per award: worker processes ${r.workerCpuUsPerAward} µs, PostgreSQL ${r.pgCpuUsPerAward ?? 'n/a'} µs`,
    );
    return r.settleRate;
  } catch (err) {
    say(`settle (fsync=on): failed: ${(err as Error).message}`);
    return null;
  } finally {
    await admin.query('ALTER SYSTEM RESET fsync').catch(() => undefined);
    await admin.query('ALTER SYSTEM RESET synchronous_commit').catch(() => undefined);
    await admin.query('SELECT pg_reload_conf()').catch(() => undefined);
    await admin.end();
    await db.end();
  }
}

/** Idle by the database and the queue alone (no API on the fsync database). */
async function waitIdleDb(db: pg.Client, redisUrl: string, prefix: string) {
  const redis = new Redis(redisUrl);
  try {
    let quiet = 0;
    while (quiet < 2) {
      const r = (
        await db.query<{ busy: boolean }>(
          `select exists (select 1 from outbox) or exists (select 1 from settlement_backlog) or exists (select 1 from journal_pending) as busy`,
        )
      ).rows[0]!;
      const key = `${prefix}:${QUEUE_NAME}`;
      const queued =
        (await redis.llen(`${key}:wait`)) +
        (await redis.llen(`${key}:active`)) +
        (await redis.zcard(`${key}:delayed`)) +
        (await redis.zcard(`${key}:prioritized`));
      quiet = !r.busy && queued === 0 ? quiet + 1 : 0;
      await new Promise((res) => setTimeout(res, 100));
    }
  } finally {
    redis.disconnect();
  }
}

/** Downloads an export, counting lines as bytes arrive (the client must not be the bottleneck). */
async function timedExport(url: string, headers: Record<string, string>) {
  const t = performance.now();
  const res = await fetch(url, { headers });
  if (res.status !== 200) throw new Error(`export answered ${res.status}: ${await res.text()}`);
  let lines = 0;
  let bytes = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  }
  return { lines, mb: bytes / 1e6, seconds: (performance.now() - t) / 1000 };
}

/** A POST without a client-side timeout; rejects unless the answer is 200. */
function postJson(url: string, headers: Record<string, string>, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => (res.statusCode === 200 ? resolve(text) : reject(new Error(`${url} answered ${res.statusCode}: ${text}`))));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function* ndjsonChunks(rows: unknown[]) {
  for (let i = 0; i < rows.length; i += 1000)
    yield (
      rows
        .slice(i, i + 1000)
        .map((r) => JSON.stringify(r))
        .join('\n') + '\n'
    );
}

function* batches(lines: string[]) {
  for (let i = 0; i < lines.length; i += 1000) yield lines.slice(i, i + 1000).join('');
}

/** User + system CPU time of a process so far, in ms (/proc/<pid>/stat, clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const { fields } = procStat(`/proc/${pid}/stat`);
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU ms so far of each thread of a process, with its name (/proc/<pid>/task). */
function threadCpuMs(pid: number): Map<string, { name: string; ms: number }> {
  const out = new Map<string, { name: string; ms: number }>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const { name, fields } = procStat(`/proc/${pid}/task/${tid}/stat`);
      out.set(tid, { name: tid === String(pid) ? 'main' : name.replace(/\d+$/, ''), ms: (Number(fields[11]) + Number(fields[12])) * 10 });
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/**
 * Starts the compiled `dist/<script>.js` with plain node, as production runs it (`npm run
 * start:prod` / `worker:prod`; not npx: signals must reach it), and waits for it to listen.
 */
/** What every JSON line ends with: the PostgreSQL settings, the load at the end, the machine and the date. */
function runFacts() {
  return {
    pg_settings: process.env.DATABASE_URL ? 'server from DATABASE_URL' : process.env.SMB_TEST_PG_SETTINGS,
    load_avg_1m_end: Math.round(loadavg()[0]! * 10) / 10,
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB`,
    date: new Date().toISOString().slice(0, 10),
  };
}

/** Per table of the schema: how often it was analysed so far, `keeper` (ANALYZE) + `auto` (autovacuum). */
async function analyses(db: pg.Pool | pg.Client): Promise<Record<string, { keeper: number; auto: number }>> {
  const { rows } = await db.query<{ t: string; keeper: number; auto: number }>(
    `select relname as t, analyze_count::int as keeper, autoanalyze_count::int as auto from pg_stat_user_tables where schemaname = current_schema()`,
  );
  return Object.fromEntries(rows.map((r) => [r.t, { keeper: r.keeper, auto: r.auto }]));
}

/** The tables analysed between two `analyses` readings, and how often. */
function diffCounts(after: Record<string, { keeper: number; auto: number }>, before: Record<string, { keeper: number; auto: number }>) {
  const out: Record<string, { keeper: number; auto: number }> = {};
  for (const [t, a] of Object.entries(after)) {
    const b = before[t] ?? { keeper: 0, auto: 0 };
    if (a.keeper > b.keeper || a.auto > b.auto) out[t] = { keeper: a.keeper - b.keeper, auto: a.auto - b.auto };
  }
  return out;
}

async function startProcess(script: string, env: NodeJS.ProcessEnv, port: number | null): Promise<ChildProcess> {
  // BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the measured processes.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  const child = spawn(process.execPath, [...nodeArgs, `dist/${script.replace(/\.ts$/, '.js')}`], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (port !== null) {
    for (let i = 0; i < 300; i++) {
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return child;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${script} did not start`);
  }
  return child;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

/** First job started and last job finished (ms since the epoch), from the queue's completed set and job hashes. */
async function jobWindow(redisUrl: string, prefix: string): Promise<{ start: number; end: number }> {
  const redis = new Redis(redisUrl);
  try {
    const key = `${prefix}:${QUEUE_NAME}`;
    const last = await redis.zrange(`${key}:completed`, -1, -1, 'WITHSCORES');
    const first = await redis.zrange(`${key}:completed`, 0, 9);
    const started = await Promise.all(first.map((id) => redis.hget(`${key}:${id}`, 'processedOn')));
    const start = Math.min(...started.map(Number).filter((n) => n > 0));
    return { start, end: Number(last[1]) };
  } finally {
    redis.disconnect();
  }
}

/**
 * BENCH_API_TRACE=1 (a diagnosis of the API step): per second of a run, requests and p99; what
 * PostgreSQL ran beside the API's requests (pg_stat_activity every 100 ms); backends started.
 */
async function traceApiRun(db: pg.Client) {
  const t0 = Date.now();
  const seconds: number[][] = [];
  const seen = new Map<string, number>();
  const pids = new Set<number>();
  const newPids = new Set<number>();
  // With pg_stat_statements loaded (BENCH_PG_STATEMENTS): planning, execution and JIT per statement in this run.
  const statements = (await db.query(`select 1 from pg_extension where extname = 'pg_stat_statements'`)).rowCount === 1;
  if (statements) {
    await db.query('alter system set pg_stat_statements.track_planning = on');
    await db.query('select pg_reload_conf()');
    await db.query('select pg_stat_statements_reset()');
  }
  let running = true;
  const sampler = (async () => {
    while (running) {
      const { rows } = await db.query<{ pid: number; bt: string; state: string | null; q: string; started: string; app: string }>(
        `select pid, backend_type bt, state, regexp_replace(left(query, 70), '\\s+', ' ', 'g') q, extract(epoch from backend_start) * 1000 started, application_name app
           from pg_stat_activity where pid <> pg_backend_pid() and (datname = current_database() or datname is null)`,
      );
      for (const r of rows) {
        if (r.bt !== 'client backend' && r.bt !== 'autovacuum worker') continue;
        pids.add(r.pid);
        if (Number(r.started) > t0) newPids.add(r.pid);
        if (r.state === 'idle' || r.state === null) continue;
        const key = `${r.bt === 'autovacuum worker' ? 'AUTOVACUUM ' : ''}${r.q}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    response(ms: number) {
      const s = Math.floor((Date.now() - t0) / 1000);
      (seconds[s] ??= []).push(ms);
    },
    async stop(): Promise<string[]> {
      running = false;
      await sampler;
      const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? 0;
      const perSecond = seconds.map((xs, i) => `${i}s:${xs?.length ?? 0}/p99 ${Math.round(pct(xs ?? [], 0.99))}`).join(' ');
      const top = [...seen.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12);
      const stmts = statements
        ? (
            await db.query<{ calls: string; plans: string; plan_ms: string; exec_ms: string; jit: string; jit_ms: string; q: string }>(
              `select calls::text, plans::text, round(total_plan_time)::text plan_ms, round(total_exec_time)::text exec_ms, jit_functions::text jit,
                      round((jit_generation_time + jit_inlining_time + jit_optimization_time + jit_emission_time)::numeric)::text jit_ms,
                      regexp_replace(left(query, 60), '\\s+', ' ', 'g') q
                 from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
                order by total_exec_time + total_plan_time desc limit 6`,
            )
          ).rows.map(
            (r) => `statement: ${r.calls} calls, ${r.plans} plans ${r.plan_ms} ms, exec ${r.exec_ms} ms, JIT ${r.jit} functions ${r.jit_ms} ms: ${r.q}`,
          )
        : [];
      return [
        `per second (requests/p99 ms): ${perSecond}`,
        `backends seen ${pids.size}, started during the run ${newPids.size}`,
        ...top.map(([q, n]) => `active ${n}× (samples): ${q}`),
        ...stmts,
      ];
    },
  };
}

async function waitIdle(base: string, auth: Record<string, string>) {
  let quiet = 0;
  while (quiet < 2) {
    const s = (await (await fetch(`${base}/v1/settlement/status`, { headers: auth })).json()) as { idle: boolean };
    quiet = s.idle ? quiet + 1 : 0;
    await new Promise((r) => setTimeout(r, 100));
  }
}

await main();
