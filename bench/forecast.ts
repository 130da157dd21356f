/**
 * `npx tsx bench/forecast.ts --populate N [--runs 5] [--keep]`: starts a local PostgreSQL (as the
 * tests do), fills a database with N children directly in SQL in the seed's shape (institutions,
 * enrolments, and decided awards of the three default rules for every outcome whose typical date
 * has passed), then times GET /v1/funds/{id}/forecast and GET /v1/institutions/{id}/pipeline.
 * With DATABASE_URL set and no --populate it times an existing database (e.g. one `npm run bench`
 * filled). `bench/run.ts --forecast` runs the timing step on its settled population.
 *
 * Summary catch-up = counting every waiting change mark (after a bulk load: every child); cold =
 * the first request after the change counter moved (the summary read again, plus whatever changed
 * children are waiting); warm = the kept basis.
 */
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

export interface ForecastTiming {
  what: string;
  median_ms: number;
  max_ms: number;
}

const median = (ms: number[]) => [...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)]!;

export async function timeForecast(env: NodeJS.ProcessEnv, runs: number): Promise<{ children: number; timings: ForecastTiming[] }> {
  const key = generateApiKey();
  const ctx = await createContext(loadConfig({ ...env, LOG_LEVEL: 'warn', ADMIN_BOOTSTRAP_KEY: key.key }), createLogger('warn'), { inMemory: true });
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
    });
    const cold: number[] = [];
    const changed: number[] = [];
    const warm: number[] = [];
    const someChild = (await sql<{ id: string }>`SELECT id FROM children ORDER BY id LIMIT 1`.execute(ctx.db)).rows[0]!.id;
    for (let i = 0; i < Math.max(1, Math.min(runs, 3)); i++) {
      // The counter bumped without a change: the basis is read from the summary again.
      await sql`SELECT nextval('forecast_inputs_seq')`.execute(ctx.db);
      cold.push(await get(`/v1/funds/${fundId}/forecast`));
      // A child's attributes changed (and changed back): one child counted again, then read.
      await sql`UPDATE children SET attributes = attributes || jsonb_build_object('bench', ${i}::int) WHERE id = ${someChild}::uuid`.execute(ctx.db);
      changed.push(await get(`/v1/funds/${fundId}/forecast`));
      await sql`UPDATE children SET attributes = attributes - 'bench' WHERE id = ${someChild}::uuid`.execute(ctx.db);
      for (let j = 0; j < runs; j++) warm.push(await get(`/v1/funds/${fundId}/forecast`));
    }
    timings.push({ what: 'forecast, cold (summary read, no change waiting)', median_ms: Math.round(median(cold)), max_ms: Math.round(Math.max(...cold)) });
    timings.push({ what: 'forecast, cold after a change to one child', median_ms: Math.round(median(changed)), max_ms: Math.round(Math.max(...changed)) });
    timings.push({ what: 'forecast, warm (kept basis)', median_ms: Math.round(median(warm)), max_ms: Math.round(Math.max(...warm)) });
    const csv: number[] = [];
    for (let j = 0; j < runs; j++) csv.push(await get(`/v1/funds/${fundId}/forecast?horizon=100&format=csv&scenario=%2B5`));
    timings.push({ what: 'forecast, warm, 100 years, CSV, scenario +5', median_ms: Math.round(median(csv)), max_ms: Math.round(Math.max(...csv)) });
    const busiest = await ctx.db
      .selectFrom('enrolments')
      .select(['institution_id', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy('institution_id')
      .orderBy('n', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (busiest) {
      const inst = generateApiKey();
      await ctx.apiKeys.insert(ctx.db, {
        id: inst.id,
        name: 'bench institution',
        role: 'institution',
        secretHash: inst.secretHash,
        institutionId: busiest.institution_id,
        scope: null,
        createdBy: null,
      });
      const ms: number[] = [];
      for (let j = 0; j < runs; j++) ms.push(await get(`/v1/institutions/${busiest.institution_id}/pipeline`, inst.key));
      timings.push({
        what: `pipeline of the busiest institution (${busiest.n} enrolments), warm`,
        median_ms: Math.round(median(ms)),
        max_ms: Math.round(Math.max(...ms)),
      });
    }
    return { children, timings };
  } finally {
    await app.close();
    await ctx.close();
  }
}

/** The seed's shape in SQL: institutions, children, enrolments, and decided awards where the typical date has passed. */
async function populate(env: NodeJS.ProcessEnv, n: number, today: string): Promise<void> {
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
  const { values } = parseArgs({ options: { populate: { type: 'string' }, runs: { type: 'string', default: '5' } } });
  const runs = Number(values.runs);
  const print = (r: { children: number; timings: ForecastTiming[] }) => {
    console.log(`forecast: ${r.children} children`);
    for (const t of r.timings) console.log(`  ${t.what.padEnd(60)} median ${t.median_ms} ms, slowest ${t.max_ms} ms`);
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
    } finally {
      await services.stop();
    }
  } else if (process.env.DATABASE_URL) {
    print(await timeForecast(process.env, runs));
  } else {
    console.error('give --populate N, or set DATABASE_URL to a populated database');
    process.exit(2);
  }
}
