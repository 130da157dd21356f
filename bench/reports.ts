/**
 * `npx tsx bench/reports.ts` with DATABASE_URL set to a populated database (e.g. one `npm run
 * bench` or `npm run seed` filled): times GET /v1/reports/outcomes for every group-by through the
 * app (inject: routing, validation, the service, serialisation), `--runs` times each after one
 * warm-up, and prints the median and the slowest. `bench/run.ts --reports` runs the same step.
 */
import { parseArgs } from 'node:util';
import { generateApiKey } from '../src/auth/api-key.js';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import { buildApp } from '../src/http/app.js';
import { createLogger } from '../src/logger.js';
import { GROUP_BYS } from '../src/reports/outcomes.js';
import type { AppContext } from '../src/context.js';

export interface ReportTiming {
  group_by: string;
  median_ms: number;
  max_ms: number;
  groups: number;
}

/** The institution with the most enrolments, and a new institution key for it (the benches time its own views with it). */
export async function busiestInstitutionKey(ctx: AppContext): Promise<{ institutionId: string; enrolments: string; key: string } | null> {
  const busiest = await ctx.db
    .selectFrom('enrolments')
    .select(['institution_id', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy('institution_id')
    .orderBy('n', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!busiest) return null;
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
  return { institutionId: busiest.institution_id, enrolments: busiest.n, key: inst.key };
}

export async function timeReports(env: NodeJS.ProcessEnv, runs: number): Promise<{ children: number; facts: number; timings: ReportTiming[] }> {
  const key = generateApiKey();
  const ctx = await createContext(loadConfig({ ...env, LOG_LEVEL: 'warn', ADMIN_BOOTSTRAP_KEY: key.key }), createLogger('warn'), { inMemory: true });
  const app = await buildApp(ctx);
  await app.ready();
  try {
    const counts = await ctx.db
      .selectNoFrom((eb) => [
        eb.selectFrom('children').select(eb.fn.countAll<string>().as('n')).as('children'),
        eb.selectFrom('outcome_facts').select(eb.fn.countAll<string>().as('n')).as('facts'),
      ])
      .executeTakeFirstOrThrow();
    const timings: ReportTiming[] = [];
    for (const groupBy of GROUP_BYS) {
      const ms: number[] = [];
      let groups = 0;
      for (let i = 0; i <= runs; i++) {
        const t = performance.now();
        const res = await app.inject({ method: 'GET', url: `/v1/reports/outcomes?group_by=${groupBy}`, headers: { authorization: `Bearer ${key.key}` } });
        if (res.statusCode !== 200) throw new Error(`${groupBy}: ${res.statusCode} ${res.body}`);
        if (i > 0) ms.push(performance.now() - t);
        groups = (res.json() as { rules: Array<{ groups: unknown[] }> }).rules.reduce((s, r) => s + r.groups.length, 0);
      }
      ms.sort((a, b) => a - b);
      timings.push({ group_by: groupBy, median_ms: Math.round(ms[Math.floor(ms.length / 2)]!), max_ms: Math.round(ms.at(-1)!), groups });
    }
    // An institution key's report: its former children only, aggregated from outcome_facts.
    const busiest = await busiestInstitutionKey(ctx);
    if (busiest) {
      const ms: number[] = [];
      for (let i = 0; i <= runs; i++) {
        const t = performance.now();
        const res = await app.inject({ method: 'GET', url: '/v1/reports/outcomes?group_by=institution', headers: { authorization: `Bearer ${busiest.key}` } });
        if (res.statusCode !== 200) throw new Error(`institution: ${res.statusCode} ${res.body}`);
        if (i > 0) ms.push(performance.now() - t);
      }
      ms.sort((a, b) => a - b);
      timings.push({
        group_by: `institution key (${busiest.enrolments} enrolments)`,
        median_ms: Math.round(ms[Math.floor(ms.length / 2)]!),
        max_ms: Math.round(ms.at(-1)!),
        groups: 0,
      });
    }
    return { children: Number(counts.children), facts: Number(counts.facts), timings };
  } finally {
    await app.close();
    await ctx.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
  if (!process.env.DATABASE_URL) {
    console.error('set DATABASE_URL to a populated database');
    process.exit(2);
  }
  const r = await timeReports(process.env, Number(values.runs));
  console.log(`reports: ${r.children} children, ${r.facts} (child, rule) rows in outcome_facts`);
  for (const t of r.timings) console.log(`  group_by=${t.group_by.padEnd(16)} median ${t.median_ms} ms, slowest ${t.max_ms} ms (${t.groups} groups)`);
}
