import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal.js';
import type { AppContext } from '../context.js';
import { ProblemError } from '../http/problem.js';
import * as dashboardRepo from '../repositories/dashboard.js';
import { GROUP_BYS, type GroupBy } from '../reports/outcomes.js';
import { businessDate } from '../services/business-date.js';
import { verifyLedger } from '../services/ledger-audit.js';
import { fragment, render } from './render.js';
import { forecastJson } from '../forecast/present.js';
import { DEFAULT_HORIZON } from '../services/forecast.js';

/** Rows of the pipeline page's item table (the API has them all). */
const PIPELINE_ROWS = 200;

const notFound = () => new ProblemError(404, 'not-found', 'Not found');

function principal(request: FastifyRequest, roles: ReadonlyArray<Principal['role']>): Principal {
  const p = request.dashboardPrincipal;
  if (!p || !roles.includes(p.role)) throw notFound();
  return p;
}

const MONEY_READERS = ['admin', 'auditor'] as const;
const ALL = ['admin', 'auditor', 'institution'] as const;
const uuidOf = (value: unknown) => (typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value) ? value : null);

/** The dashboard's pages. Every figure comes from the same services the API answers from. */
export async function pageRoutes(app: FastifyInstance, ctx: AppContext) {
  const s = ctx.services;
  const awardsOf = async (p: Principal, ids: string[]) => Promise.all(ids.map(async (id) => JSON.parse(await s.awards.getJson(p, id))));

  app.get('/app/', async (request, reply) => {
    const p = principal(request, ALL);
    if (p.role === 'institution') return reply.redirect(`/app/institutions/${p.institutionId}`, 303);
    const funds = (await s.funds.list({ limit: 100 })).items;
    const balances = await Promise.all(funds.map(async (f) => ({ fund: f, b: await s.reports.fundBalances(f.id) })));
    const report = await s.outcomes.report(p, { groupBy: 'origin' });
    const awards = await awardsOf(p, await dashboardRepo.recentAwardIds(ctx.db, {}, 10));
    const runs = await s.payments.list(undefined, null, 100);
    return render(reply, 'overview.eta', { title: 'Overview', balances, report, awards, runs: recentRuns(runs, 5) });
  });

  app.get('/app/funds/:id', async (request, reply) => {
    const p = principal(request, MONEY_READERS);
    const id = uuidOf((request.params as { id: string }).id);
    if (!id) throw notFound();
    const fund = await s.funds.get(id);
    const b = await s.reports.fundBalances(id);
    const awards = await awardsOf(p, await dashboardRepo.recentAwardIds(ctx.db, { fundId: id }, 20));
    const runs = await s.payments.list(id, null, 100);
    const forecast = forecastJson(await s.forecast.forecast(id, { horizon: DEFAULT_HORIZON }));
    return render(reply, 'fund.eta', { title: fund.name, fund, b, awards, runs: recentRuns(runs, 20), forecast });
  });

  app.get('/app/reports', async (request, reply) => {
    const p = principal(request, ALL);
    const groupBy = groupByOf(request);
    const [origin, grouped] = await Promise.all([s.outcomes.report(p, { groupBy: 'origin' }), s.outcomes.report(p, { groupBy })]);
    return render(reply, 'reports.eta', { title: 'Outcomes by origin', report: origin, grouped, groupBy, groupBys: GROUP_BYS });
  });

  app.get('/app/reports/table', async (request, reply) => {
    const p = principal(request, ALL);
    const groupBy = groupByOf(request);
    return fragment(reply, 'report-table.eta', { grouped: await s.outcomes.report(p, { groupBy }), groupBy });
  });

  app.get('/app/awards/:id', async (request, reply) => {
    const p = principal(request, ALL);
    const id = uuidOf((request.params as { id: string }).id);
    if (!id) throw notFound();
    const award = JSON.parse(await s.awards.getJson(p, id));
    return render(reply, 'award.eta', { title: 'Award', award });
  });

  app.get('/app/payment-runs', async (request, reply) => {
    principal(request, MONEY_READERS);
    return render(reply, 'payment-runs.eta', { title: 'Payment runs', runs: recentRuns(await s.payments.list(undefined, null, 200), 200) });
  });

  app.get('/app/ledger', async (request, reply) => {
    principal(request, MONEY_READERS);
    return render(reply, 'ledger.eta', { title: 'Ledger' });
  });

  app.get('/app/ledger/verify', async (request, reply) => {
    principal(request, MONEY_READERS);
    const result = await verifyLedger(ctx.db);
    return fragment(reply, 'ledger-verify.eta', { result });
  });

  await institutionPages(app, ctx);
}

function groupByOf(request: FastifyRequest): GroupBy {
  const g = (request.query as { group_by?: string }).group_by ?? 'origin';
  return (GROUP_BYS as readonly string[]).includes(g) ? (g as GroupBy) : 'origin';
}

function recentRuns<T extends { created_at: Date }>(runs: T[], n: number): T[] {
  return [...runs].sort((a, b) => b.created_at.getTime() - a.created_at.getTime()).slice(0, n);
}

/** An institution's page and statement download: its own only (another's reads as not found). */
async function institutionPages(app: FastifyInstance, ctx: AppContext) {
  const s = ctx.services;
  const own = (request: FastifyRequest) => {
    const p = principal(request, ALL);
    const id = uuidOf((request.params as { id: string }).id);
    if (!id || (p.role === 'institution' && p.institutionId !== id)) throw notFound();
    return { p, id };
  };
  const period = (request: FastifyRequest) => {
    const q = request.query as { from?: string; to?: string };
    const to = q.to && /^\d{4}-\d{2}-\d{2}$/.test(q.to) ? q.to : businessDate(new Date(), ctx.config.BUSINESS_TIME_ZONE);
    const from = q.from && /^\d{4}-\d{2}-\d{2}$/.test(q.from) ? q.from : `${to.slice(0, 4)}-01-01`;
    return { from, to };
  };

  app.get('/app/institutions/:id', async (request, reply) => {
    const { p, id } = own(request);
    const { from, to } = period(request);
    const balances = await s.reports.institutionBalances(p, id);
    const statement = await s.reports.statement(p, id, { from, to });
    const rules = await s.institutionView.payingRules(p, id);
    const ids = await dashboardRepo.recentAwardIds(ctx.db, { institutionId: id }, 20);
    const awards = await Promise.all(ids.map(async (a) => JSON.parse(await s.awards.getJson(p, a))));
    return render(reply, 'institution.eta', { title: statement.institution.name, institutionId: id, balances, statement, rules, awards, from, to });
  });

  app.get('/app/institutions/:id/pipeline', async (request, reply) => {
    const { p, id } = own(request);
    const pipeline = await s.pipeline.pipeline(p, id);
    const ruleNames = Object.fromEntries(pipeline.rules.map((r) => [r.rule_id, r.rule_name]));
    return render(reply, 'pipeline.eta', { title: 'Pipeline', pipeline, shown: pipeline.items.slice(0, PIPELINE_ROWS), ruleNames });
  });

  app.get('/app/institutions/:id/statement.csv', async (request, reply) => {
    const { p, id } = own(request);
    const { from, to } = period(request);
    const { csv, filename } = await s.institutionView.statementCsv(p, id, { from, to });
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`).send(csv);
  });
}
