/**
 * `npx tsx bench/rule-version.ts [--children 100000] [--runs 2]`: what a new rule version costs the
 * admin's transaction for the outcome summary's marks, with migration 0028's trigger (a mark per
 * row of the rule, "before") and 0031's (one mark per rule, "after"; DECISIONS D209), on the same
 * database. Starts a local PostgreSQL (as the tests do), fills a database in the forecast bench's
 * shape (bench/forecast.ts `populate`), brings the summary up to date, then alternates the two
 * states (0031's `down` and `up`) and for each: `EXPLAIN (ANALYZE)` of inserting a copy of the
 * largest rule's latest version, rolled back (the statement's time and its triggers'), and the
 * writer's catch-up of the marks that version leaves (committed, then the version removed again).
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { provisionServices } from '../test/support/services.js';
import * as m0031 from '../migrations/0031_outcome_rule_marks.js';
import { explainRolledBack, summaryPopulation } from './summary-population.js';

const { values } = parseArgs({ options: { children: { type: 'string', default: '100000' }, runs: { type: 'string', default: '2' } } });
const load = () => loadavg()[0]!.toFixed(2);
process.env.SMB_TEST_PG_SETTINGS ??= 'shared_buffers=1GB';
const services = await provisionServices();
try {
  const { database, summary } = await summaryPopulation(services, 'smb_rule_version', Number(values.children));
  const db = database.db;
  await summary.refresh();
  await sql`VACUUM ANALYZE`.execute(db);
  const { rule_id: rule, n } = (
    await sql<{ rule_id: string; n: string }>`SELECT rule_id, count(*)::text AS n FROM outcome_facts GROUP BY rule_id ORDER BY count(*) DESC LIMIT 1`.execute(
      db,
    )
  ).rows[0]!;
  console.log(`rule ${rule}: ${n} rows of outcome_facts`);
  // A copy of the rule's latest version, one version number and one day later.
  const insert = `INSERT INTO rule_versions (rule_id, version, effective_from, spec, created_by)
    SELECT rule_id, version + 1, effective_from + 1, spec, created_by FROM rule_versions
    WHERE rule_id = '${rule}' ORDER BY version DESC LIMIT 1 RETURNING id`;
  let ruleMarks = true;
  for (let run = 1; run <= Number(values.runs); run++) {
    for (const state of ['before', 'after'] as const) {
      if (state === 'before' && ruleMarks) await m0031.down(db as never);
      if (state === 'after' && !ruleMarks) await m0031.up(db as never);
      ruleMarks = state === 'after';
      const plan = await explainRolledBack(db, insert);
      const triggers = (plan.Triggers ?? [])
        .filter((t) => t.Time >= 0.5)
        .map((t) => `${t['Trigger Name']} ${t.Time.toFixed(1)}`)
        .join(', ');
      // Committed, then the writer's catch-up of what it left; the version is then removed again
      // (its own marks caught up too), so each state starts from the same rows.
      const t0 = performance.now();
      const { rows } = await sql.raw<{ id: string }>(insert).execute(db);
      const committed = performance.now() - t0;
      const t1 = performance.now();
      const caught = await summary.refresh();
      const catchUp = performance.now() - t1;
      await db.transaction().execute(async (trx) => {
        await sql`SET LOCAL session_replication_role = replica`.execute(trx); // rule versions are immutable: the bench removes its own copy
        await sql`DELETE FROM rule_versions WHERE id = ${rows[0]!.id}::uuid`.execute(trx);
      });
      await summary.refresh();
      console.log(
        `run ${run} ${state.padEnd(6)} rule version insert: ${plan['Execution Time'].toFixed(1)} ms (triggers ≥ 0.5 ms: ${triggers || 'none'}); committed ${committed.toFixed(1)} ms; writer's catch-up ${caught.marks} marks ${catchUp.toFixed(0)} ms (load ${load()})`,
      );
    }
  }
  await database.close();
} finally {
  await services.stop();
}
