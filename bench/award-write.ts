/**
 * `npx tsx bench/award-write.ts [--children 100000] [--rows 3000] [--runs 2]`: what an award write
 * costs PostgreSQL with the outcome summary kept by the awards' own triggers (migrations 0012/0020,
 * "before") and kept from change marks (0028, "after"), on the same database (issue 14, "the rest
 * of the per-award cost"; DECISIONS D199). Starts a local PostgreSQL (as the tests do), fills a
 * database in the forecast bench's shape (bench/forecast.ts `populate`), takes `rows` of its awards
 * out, then alternates the two states (0028's `down` and `up`) and for each:
 *  - `EXPLAIN (ANALYZE)` of inserting the rows again, of updating the earned ones' amounts (what a
 *    revision does) and of deleting them, each in a transaction that is rolled back: the statement's
 *    time and every trigger's;
 *  - the insert and the delete committed, wall time (this includes the outcome counts' flush at
 *    commit, which a rolled-back EXPLAIN never reaches);
 *  - after: the writer's catch-up of the marks each of those two left (OutcomeSummaryService.refresh),
 *    off the award-write path now but still work the database does.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { provisionServices } from '../test/support/services.js';
import * as m0028 from '../migrations/0028_outcome_marks.js';
import { explainRolledBack, summaryPopulation } from './summary-population.js';

const { values } = parseArgs({
  options: { children: { type: 'string', default: '100000' }, rows: { type: 'string', default: '3000' }, runs: { type: 'string', default: '2' } },
});
const rows = Number(values.rows);
const load = () => loadavg()[0]!.toFixed(2);
process.env.SMB_TEST_PG_SETTINGS ??= 'shared_buffers=1GB';
const services = await provisionServices();
try {
  const { database, summary } = await summaryPopulation(services, 'smb_award_write', Number(values.children));
  const db = database.db;
  await summary.refresh();
  await sql`CREATE TABLE bench_awards AS SELECT * FROM awards ORDER BY random() LIMIT ${rows}`.execute(db);
  await sql`DELETE FROM awards WHERE id IN (SELECT id FROM bench_awards)`.execute(db);
  await summary.refresh();
  await sql`VACUUM ANALYZE`.execute(db);
  const awards = Number((await sql<{ n: string }>`SELECT count(*)::text AS n FROM awards`.execute(db)).rows[0]!.n);
  console.log(`${awards} awards stay, ${rows} taken out to be written again`);
  // Statements other than the insert run on the taken-out rows put back first.
  const explain = (statement: string) =>
    explainRolledBack(
      db,
      statement,
      statement.startsWith('INSERT')
        ? undefined
        : (trx) =>
            sql
              .raw(`INSERT INTO awards SELECT * FROM bench_awards`)
              .execute(trx)
              .then(() => undefined),
    );
  const timed = async (statement: string) => {
    const t0 = performance.now();
    await sql.raw(statement).execute(db);
    return performance.now() - t0;
  };
  const statements: Array<[string, string]> = [
    ['insert', 'INSERT INTO awards SELECT * FROM bench_awards'],
    [
      'update amounts',
      'UPDATE awards SET amount_ore = amount_ore + 100, retained_ore = retained_ore + 100 WHERE earned AND id IN (SELECT id FROM bench_awards)',
    ],
    ['delete', 'DELETE FROM awards WHERE id IN (SELECT id FROM bench_awards)'],
  ];
  let marks = true;
  for (let run = 1; run <= Number(values.runs); run++) {
    for (const state of ['before', 'after'] as const) {
      if (state === 'before' && marks) await m0028.down(db as never);
      if (state === 'after' && !marks) await m0028.up(db as never);
      marks = state === 'after';
      await sql`ANALYZE awards`.execute(db);
      for (const [what, statement] of statements) {
        const plan = await explain(statement);
        const triggers = (plan.Triggers ?? [])
          .filter((t) => t.Time >= 0.5)
          .sort((a, b) => b.Time - a.Time)
          .map((t) => `${t['Trigger Name']} ${t.Time.toFixed(1)}`)
          .join(', ');
        console.log(
          `run ${run} ${state.padEnd(6)} ${what.padEnd(15)} ${plan['Execution Time'].toFixed(1)} ms (load ${load()}); triggers ≥ 0.5 ms: ${triggers || 'none'}`,
        );
      }
      const catchUp = async () => {
        if (state === 'before') return '';
        const t0 = performance.now();
        const r = await summary.refresh();
        return ` + writer's catch-up of its ${r.marks} marks ${(performance.now() - t0).toFixed(1)} ms`;
      };
      const insert = await timed('INSERT INTO awards SELECT * FROM bench_awards');
      const insertCatchUp = await catchUp();
      const remove = await timed('DELETE FROM awards WHERE id IN (SELECT id FROM bench_awards)');
      const removeCatchUp = await catchUp();
      console.log(
        `run ${run} ${state.padEnd(6)} committed: insert ${insert.toFixed(1)} ms${insertCatchUp}; delete ${remove.toFixed(1)} ms${removeCatchUp} (load ${load()})`,
      );
    }
  }
  await database.close();
} finally {
  await services.stop();
}
