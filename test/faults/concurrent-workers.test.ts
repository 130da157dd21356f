/**
 * Two worker processes and two finalisation schedulers at once, while measurements stream in
 * and an administrator finalises early in parallel. Every rule has review_days 0, so each award
 * is due for finalisation the moment it is funded: the two timers (every 300 ms, one job id per
 * interval), the early finalisations and the settlement jobs all contend for the same awards and
 * the ledger head. Each award must be reserved once and finalised once.
 */
import { hostname } from 'node:os';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { fault, finishCase, startCase } from './support/case.js';

it('two workers and two finalisation schedulers at once: every award reserved once and finalised once', async () => {
  const run = await startCase({ name: 'two-workers-two-schedulers', children: 1000, reviewDays: 0, env: { FINALISE_INTERVAL_MS: '300' } });
  const { c } = run;
  await Promise.all([c.startWorker(), c.startWorker()]);
  await fault(run, 'two workers and two finalisation timers; early finalisation by an admin while settling');

  const earlyFinalised: number[] = [];
  const chunks = 8;
  const size = Math.ceil(c.measurements.length / chunks);
  for (let i = 0; i < chunks; i++) {
    await Promise.all([
      c.ingest(c.measurements.slice(i * size, (i + 1) * size)),
      c.call('POST', '/v1/awards/finalise', { fund_id: c.fundId, reason: 'fault suite: early finalisation while measurements stream in' }).then((r) => {
        expect(r.status).toBe(200);
        earlyFinalised.push(r.body.finalised);
      }),
    ]);
  }
  await c.waitQuiet();
  // Nothing funded stays unfinalised: the timers of both workers pick up the rest.
  await c.until('every funded award final', 120_000, async () => {
    const { rows } = await sql<{ n: string }>`select count(*)::text as n from awards where status = 'provisional'`.execute(c.db);
    return rows[0]!.n === '0';
  });

  const report = await finishCase(run, c.measurements.length);
  const { rows } = await sql<{ funded: string; final: string; finalise_entries: string }>`
    select (select count(*) from awards where payout_total_ore > 0)::text as funded,
           (select count(*) from awards where status = 'final' and payout_total_ore > 0)::text as final,
           (select count(distinct award_id) from journal_entries where kind = 'finalise')::text as finalise_entries`.execute(c.db);
  expect(Number(rows[0]!.funded)).toBeGreaterThan(0);
  expect(rows[0]).toEqual({ funded: rows[0]!.funded, final: rows[0]!.funded, finalise_entries: rows[0]!.funded });
  expect(report.ledger.finalise_entries).toBe(Number(rows[0]!.funded));
  // Both workers took part: each ran settlement jobs (BullMQ records the worker's name per job).
  const completed = await c.queue.getCompleted(0, -1);
  const byWorker = new Set(completed.filter((j) => j.name === 'settle').map((j) => j.processedBy));
  expect([...byWorker].sort()).toEqual(c.workers.map((w) => `${hostname()}:${w.pid}`).sort());
});
