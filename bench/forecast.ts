/**
 * `npx tsx bench/forecast.ts --populate N [--runs 5] [--keep]`: starts a local PostgreSQL (as the
 * tests do), fills a database with N children directly in SQL in the seed's shape (institutions,
 * enrolments, and decided awards of the three default rules for every outcome whose typical date
 * has passed), then times GET /v1/funds/{id}/forecast, GET /v1/institutions/{id}/pipeline and GET
 * /v1/reports/outcomes (bench/reports.ts), each figure with the 1-minute load average. With --keep
 * the database stays up (its DATABASE_URL printed) until SIGINT or SIGTERM.
 * With DATABASE_URL set and no --populate it times an existing database (e.g. one `npm run bench`
 * filled). `bench/run.ts --forecast` runs the timing step on its settled population.
 *
 * Summary catch-up = counting every waiting change mark (after a bulk load: every child); first = the
 * process's first forecast (every cohort read); cold = a request after the change counter moved (the
 * cohorts whose rows changed read again, plus whatever changed children are waiting); warm = the kept basis.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { generateApiKey } from '../src/auth/api-key.js';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import { buildApp } from '../src/http/app.js';
import { createLogger } from '../src/logger.js';
import { defaultRules } from '../src/seed/seed.js';
import type { Db } from '../src/db/database.js';
import { createDatabaseOn } from '../src/db/server-databases.js';
import { businessDate } from '../src/services/business-date.js';
import { dirtyCount } from '../src/repositories/forecast-summary.js';
import { provisionServices } from '../test/support/services.js';
import { busiestInstitutionKey, timeReports } from './reports.js';

export interface ForecastTiming {
  what: string;
  median_ms: number;
  max_ms: number;
  /** The machine's 1-minute load average when the figure was taken (the bench machine is shared). */
  load1: number;
}

const median = (ms: number[]) => [...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)]!;

export async function timeForecast(env: NodeJS.ProcessEnv, runs: number): Promise<{ children: number; timings: ForecastTiming[] }> {
  const key = generateApiKey();
  // BENCH_LOG_LEVEL=debug prints the forecast's breakdown per basis built ('forecast basis built': refresh, cohorts, profile, buckets).
  const level = env.BENCH_LOG_LEVEL ?? 'warn';
  const ctx = await createContext(loadConfig({ ...env, LOG_LEVEL: level, ADMIN_BOOTSTRAP_KEY: key.key }), createLogger(level), { inMemory: true });
  const app = await buildApp(ctx);
  await app.ready();
  const get = async (url: string, auth = key.key) => {
    const t = performance.now();
    const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${auth}` } });
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    return performance.now() - t;
  };
  try {
    const children = Number((await sql<{ n: string }>`SELECT count(*)::text AS n FROM children`.execute(ctx.db)).rows[0]!.n);
    const fund = await sql<{ fund_id: string }>`SELECT fund_id FROM rules GROUP BY fund_id ORDER BY count(*) DESC LIMIT 1`.execute(ctx.db);
    const fundId = fund.rows[0]!.fund_id;
    const timings: ForecastTiming[] = [];
    // The summary's catch-up: every change mark waiting (after a bulk load: every child) counted at once.
    const marks = await dirtyCount(ctx.db);
    const t = performance.now();
    const built = await ctx.services.forecast.summary.refresh();
    const buildMs = performance.now() - t;
    timings.push({
      what: `summary catch-up (${marks} change marks, ${built.children} children, ${built.units} units)`,
      median_ms: Math.round(buildMs),
      max_ms: Math.round(buildMs),
      load1: loadavg()[0]!,
    });
    // The outcome summary's catch-up (D199): after a bulk load, a mark for every award.
    const t2 = performance.now();
    const outcomes = await ctx.services.outcomeSummary.refresh();
    const outcomesMs = performance.now() - t2;
    timings.push({
      what: `outcome summary catch-up (${outcomes.marks} change marks)`,
      median_ms: Math.round(outcomesMs),
      max_ms: Math.round(outcomesMs),
      load1: loadavg()[0]!,
    });
    const cold: number[] = [];
    const changed: number[] = [];
    const warm: number[] = [];
    const someChild = (await sql<{ id: string }>`SELECT id FROM children ORDER BY id LIMIT 1`.execute(ctx.db)).rows[0]!.id;
    // The process's first forecast (as the first of a business day, or the first after the summary was built afresh): every
    // cohort read, and the frames and geometries of every birth date computed.
    const first = await get(`/v1/funds/${fundId}/forecast`);
    timings.push({ what: 'forecast, first of the process (every cohort read)', median_ms: Math.round(first), max_ms: Math.round(first), load1: loadavg()[0]! });
    for (let i = 0; i < Math.max(1, Math.min(runs, 3)); i++) {
      // The counter bumped without a change: the basis is read from the summary again.
      await sql`SELECT nextval('forecast_inputs_seq')`.execute(ctx.db);
      cold.push(await get(`/v1/funds/${fundId}/forecast`));
      // A child's attributes changed (and changed back): one child counted again, then read.
      await sql`UPDATE children SET attributes = attributes || jsonb_build_object('bench', ${i}::int) WHERE id = ${someChild}::uuid`.execute(ctx.db);
      changed.push(await get(`/v1/funds/${fundId}/forecast`));
      await sql`UPDATE children SET attributes = attributes - 'bench' WHERE id = ${someChild}::uuid`.execute(ctx.db);
      // Changed back: that is a change too (the next request is cold again), not yet a warm one.
      changed.push(await get(`/v1/funds/${fundId}/forecast`));
      for (let j = 0; j < runs; j++) warm.push(await get(`/v1/funds/${fundId}/forecast`));
    }
    timings.push({
      what: 'forecast, cold (summary read, no change waiting)',
      median_ms: Math.round(median(cold)),
      max_ms: Math.round(Math.max(...cold)),
      load1: loadavg()[0]!,
    });
    timings.push({
      what: 'forecast, cold after a change to one child',
      median_ms: Math.round(median(changed)),
      max_ms: Math.round(Math.max(...changed)),
      load1: loadavg()[0]!,
    });
    timings.push({ what: 'forecast, warm (kept basis)', median_ms: Math.round(median(warm)), max_ms: Math.round(Math.max(...warm)), load1: loadavg()[0]! });
    const csv: number[] = [];
    for (let j = 0; j < runs; j++) csv.push(await get(`/v1/funds/${fundId}/forecast?horizon=100&format=csv&scenario=%2B5`));
    timings.push({
      what: 'forecast, warm, 100 years, CSV, scenario +5',
      median_ms: Math.round(median(csv)),
      max_ms: Math.round(Math.max(...csv)),
      load1: loadavg()[0]!,
    });
    const busiest = await busiestInstitutionKey(ctx);
    if (busiest) {
      const ms: number[] = [];
      for (let j = 0; j < runs; j++) ms.push(await get(`/v1/institutions/${busiest.institutionId}/pipeline`, busiest.key));
      timings.push({
        what: `pipeline of the busiest institution (${busiest.enrolments} enrolments), warm`,
        median_ms: Math.round(median(ms)),
        max_ms: Math.round(Math.max(...ms)),
        load1: loadavg()[0]!,
      });
    }
    return { children, timings };
  } finally {
    await app.close();
    await ctx.close();
  }
}

/** The seed's shape in SQL: institutions, children, enrolments, and decided awards where the typical date has passed. */
export async function populate(env: NodeJS.ProcessEnv, n: number, today: string): Promise<void> {
  const key = generateApiKey();
  const ctx = await createContext(loadConfig({ ...env, LOG_LEVEL: 'warn', ADMIN_BOOTSTRAP_KEY: key.key }), createLogger('warn'), { inMemory: true });
  const app = await buildApp(ctx);
  await app.ready();
  const call = async (method: 'POST', url: string, payload: unknown) => {
    const res = await app.inject({ method, url, payload: payload as never, headers: { authorization: `Bearer ${key.key}` } });
    if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    return res.json() as { id: string };
  };
  try {
    await call('POST', '/v1/measurement-kinds', {
      key: 'national_test.reading',
      type: 'number',
      min: 1,
      max: 100,
      periods: [{ period: 'grade-2', basis: 'grade', grade: 2, from_months: 0, to_months: 12, typical_months: 7 }],
    });
    const fund = await call('POST', '/v1/funds', { name: 'Forecast bench' });
    await call('POST', `/v1/funds/${fund.id}/deposits`, { amount_ore: n * 1_000_000, funder: 'Landsbyggefonden' });
    for (const rule of defaultRules(fund.id)) await call('POST', '/v1/rules', rule);
    const t0 = performance.now();
    await sql`SELECT setseed(0.42)`.execute(ctx.db);
    await sql`INSERT INTO institutions (code, kind, name, municipality)
      SELECT k || '-' || g, k, k || ' ' || g, 'M' || (g % 8) FROM unnest(ARRAY['dagpleje','vuggestue','boernehave','skole','ungdomsuddannelse']) k, generate_series(1, greatest(1, ${n}::int / 250)) g`.execute(
      ctx.db,
    );
    await sql`INSERT INTO children (external_ref, birth_date, attributes)
      SELECT 'c' || g, ${today}::date - (random() * 9500)::int, jsonb_build_object('restgruppe_origin', random() < 0.3) FROM generate_series(1, ${n}::int) g`.execute(
      ctx.db,
    );
    console.log(`  children and institutions in ${Math.round(performance.now() - t0)} ms`);
    await sql`WITH inst AS (SELECT kind, array_agg(id ORDER BY id) AS ids FROM institutions GROUP BY kind),
      spans AS (
        SELECT c.id, k.kind, c.birth_date + make_interval(months => k.a + (random() * 6)::int)::interval AS s, c.birth_date + make_interval(months => k.b)::interval AS e
        FROM children c CROSS JOIN (VALUES ('vuggestue', 6, 36), ('boernehave', 36, 72), ('skole', 79, 192), ('ungdomsuddannelse', 192, 228)) k(kind, a, b)
        WHERE random() < 0.9
      )
      INSERT INTO enrolments (child_id, institution_id, start_on, end_on)
      SELECT sp.id, i.ids[1 + floor(random() * cardinality(i.ids))::int], sp.s::date, CASE WHEN sp.e::date <= ${today}::date THEN sp.e::date END
      FROM spans sp JOIN inst i ON i.kind = sp.kind WHERE sp.s::date < ${today}::date`.execute(ctx.db);
    console.log(`  enrolments after ${Math.round(performance.now() - t0)} ms`);
    await decidedAwards(ctx.db, fund.id, today);
    console.log(`  awards after ${Math.round(performance.now() - t0)} ms`);
    await sql`ANALYZE`.execute(ctx.db);
  } finally {
    await app.close();
    await ctx.close();
  }
}

/** A measurement and a decided award (final, earned with the seed's rates) for each outcome whose typical date has passed. */
async function decidedAwards(db: Db, fundId: string, today: string): Promise<void> {
  await sql`
    WITH r AS (
      SELECT id, kind_key, periods->>0 AS period,
             CASE kind_key WHEN 'sprogvurdering' THEN 36 WHEN 'national_test.reading' THEN 103 ELSE 263 END AS months,
             CASE kind_key WHEN 'sprogvurdering' THEN 1000000 WHEN 'national_test.reading' THEN 2000000 ELSE 5000000 END AS amount
      FROM rules WHERE fund_id = ${fundId}::uuid
    ), due AS (
      SELECT c.id AS child_id, r.id AS rule_id, r.kind_key, r.period, r.amount, (c.birth_date + make_interval(months => r.months))::date AS on_date,
             random() < CASE WHEN c.attributes->>'restgruppe_origin' = 'true' THEN 0.4 ELSE 0.6 END AS earned
      FROM children c CROSS JOIN r
      WHERE (c.birth_date + make_interval(months => r.months))::date < ${today}::date
    ), m AS (
      INSERT INTO measurements (child_id, kind_key, period, value, measured_on, source, status)
      SELECT child_id, kind_key, period,
             CASE kind_key WHEN 'sprogvurdering' THEN to_jsonb(CASE WHEN earned THEN 'generel' ELSE 'fokuseret' END)
                           WHEN 'national_test.reading' THEN to_jsonb(CASE WHEN earned THEN 70 ELSE 40 END)
                           ELSE to_jsonb(NOT earned) END,
             on_date, 'bench', 'active'
      FROM due RETURNING id, seq, child_id, kind_key
    )
    INSERT INTO awards (rule_id, measurement_id, fund_id, child_id, measurement_seq, status, earned, amount_ore, payout_total_ore, retained_ore, result_hash, explanation)
    SELECT d.rule_id, m.id, ${fundId}::uuid, d.child_id, m.seq, CASE WHEN d.earned THEN 'final' ELSE 'not_earned' END, d.earned,
           CASE WHEN d.earned THEN d.amount ELSE 0 END, CASE WHEN d.earned THEN d.amount * 8 / 10 ELSE 0 END,
           CASE WHEN d.earned THEN d.amount - d.amount * 8 / 10 ELSE 0 END, 'bench', '{}'::jsonb
    FROM due d JOIN m ON m.child_id = d.child_id AND m.kind_key = d.kind_key`.execute(db);
  await sql`DELETE FROM settlement_backlog`.execute(db);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { populate: { type: 'string' }, runs: { type: 'string', default: '5' }, keep: { type: 'boolean', default: false } },
  });
  const runs = Number(values.runs);
  const print = (r: { children: number; timings: ForecastTiming[] }) => {
    console.log(`forecast: ${r.children} children`);
    for (const t of r.timings) console.log(`  ${t.what.padEnd(60)} median ${t.median_ms} ms, slowest ${t.max_ms} ms (load ${t.load1.toFixed(2)})`);
  };
  const printReports = (r: Awaited<ReturnType<typeof timeReports>>) => {
    console.log(`reports: ${r.children} children, ${r.facts} (child, rule) rows in outcome_facts`);
    for (const t of r.timings)
      console.log(
        `  GET /v1/reports/outcomes group_by=${t.group_by.padEnd(16)} median ${t.median_ms} ms, slowest ${t.max_ms} ms (${t.groups} groups, load ${loadavg()[0]!.toFixed(2)})`,
      );
  };
  if (values.populate) {
    process.env.SMB_TEST_PG_SETTINGS ??= 'shared_buffers=1GB';
    const services = await provisionServices();
    try {
      const { url } = await createDatabaseOn(services.databaseUrl, 'smb_forecast');
      const env = { ...process.env, DATABASE_URL: url, REDIS_URL: services.redisUrl, QUEUE_PREFIX: `fc${Date.now()}` };
      const n = Number(values.populate);
      console.log(`populating ${n} children …`);
      await populate(env, n, businessDate(new Date(), 'Europe/Copenhagen'));
      print(await timeForecast(env, runs));
      printReports(await timeReports(env, runs));
      if (values.keep) {
        // Keep the populated database for profiling or a second timing (DATABASE_URL=… npx tsx bench/forecast.ts) until SIGINT or SIGTERM.
        console.log(`kept: DATABASE_URL=${url} REDIS_URL=${services.redisUrl} (SIGINT or SIGTERM to stop)`);
        const alive = setInterval(() => {}, 60_000); // signal listeners alone do not keep Node running
        await new Promise((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        clearInterval(alive);
      }
    } finally {
      await services.stop();
    }
  } else if (process.env.DATABASE_URL) {
    print(await timeForecast(process.env, runs));
    printReports(await timeReports(process.env, runs));
  } else {
    console.error('give --populate N, or set DATABASE_URL to a populated database');
    process.exit(2);
  }
}
