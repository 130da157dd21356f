/**
 * `npx tsx bench/outcome-catchup.ts [--children 100000] [--fractions 1,0.25,0.05]`: what the
 * outcome summary's writer costs to catch up on a backlog of change marks, row by row from the
 * marks (`OutcomeSummaryService.refresh` in chunks, D199) against building both tables afresh
 * (`outcome_facts_rebuild`), for backlogs of several sizes (DECISIONS D222: the size at which the
 * writer switches to a rebuild).
 *
 * Starts a local PostgreSQL (as the tests do) and fills a database in the forecast bench's shape
 * (bench/summary-population.ts). A backlog of a fraction f is made the way a bulk settlement leaves
 * one: f of the summary's rows are removed and their (child, rule) pairs marked, so that the awards
 * exist, their rows do not, and the marks say which. For each f, the same backlog is caught up
 * both ways (made again between them); the summary after each is compared with a fresh rebuild.
 * Prints wall time and PostgreSQL's CPU (all server processes, from /proc) per mark.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import type { Db } from '../src/db/database.js';
import { provisionServices } from '../test/support/services.js';
import { pgCpuMsOf } from './pg-cpu.js';
import { summaryPopulation } from './summary-population.js';

const { values } = parseArgs({
  options: { children: { type: 'string', default: '100000' }, fractions: { type: 'string', default: '1,0.25,0.05' } },
});
const fractions = values.fractions.split(',').map(Number);
const load = () => loadavg()[0]!.toFixed(2);
process.env.SMB_TEST_PG_SETTINGS ??= 'shared_buffers=1GB';
const services = await provisionServices();

/** A digest of both summary tables, to check that the two ways end in the same state. */
async function digest(db: Db): Promise<string> {
  const { rows } = await sql<{ f: string; c: string }>`
    SELECT (SELECT md5(string_agg(f::text, '|' ORDER BY child_id, rule_id)) FROM outcome_facts f) AS f,
           (SELECT md5(string_agg(c::text, '|' ORDER BY rule_id, dim, value, restgruppe)) FROM outcome_counts c) AS c`.execute(db);
  return `${rows[0]!.f}/${rows[0]!.c}`;
}

/** Removes a fraction of the summary's rows and marks their pairs: the state a bulk settlement leaves. */
async function makeBacklog(db: Db, fraction: number): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    WITH gone AS (DELETE FROM outcome_facts WHERE random() < ${fraction} RETURNING child_id, rule_id),
    marked AS (INSERT INTO outcome_dirty (child_id, rule_id) SELECT child_id, rule_id FROM gone RETURNING 1)
    SELECT count(*)::int AS n FROM marked`.execute(db);
  await sql`VACUUM ANALYZE outcome_facts, outcome_dirty, outcome_counts`.execute(db);
  return rows[0]!.n;
}

try {
  const { database, summary } = await summaryPopulation(services, 'smb_outcome_catchup', Number(values.children));
  const db = database.db;
  const dataDirectory = (await sql<{ d: string }>`SELECT current_setting('data_directory') AS d`.execute(db)).rows[0]!.d;
  const measure = async (what: () => Promise<unknown>) => {
    const cpu0 = pgCpuMsOf(dataDirectory) ?? NaN;
    const t0 = performance.now();
    await what();
    return { ms: performance.now() - t0, pgMs: (pgCpuMsOf(dataDirectory) ?? NaN) - cpu0 };
  };
  await summary.rebuildAll();
  const reference = await digest(db);
  const facts = Number((await sql<{ n: string }>`SELECT count(*)::text AS n FROM outcome_facts`.execute(db)).rows[0]!.n);
  console.log(`${facts} summary rows (load ${load()})`);
  for (const fraction of fractions) {
    for (const way of ['marks', 'rebuild'] as const) {
      const marks = await makeBacklog(db, fraction);
      const r = await measure(() => (way === 'marks' ? summary.refresh() : summary.rebuildAll()));
      const same = (await digest(db)) === reference;
      console.log(
        `backlog ${marks} marks (${(fraction * 100).toFixed(0)} % of rows), ${way.padEnd(7)}: ${(r.ms / 1000).toFixed(2)} s, ` +
          `${((r.ms * 1000) / marks).toFixed(1)} µs wall and ${((r.pgMs * 1000) / marks).toFixed(1)} µs PostgreSQL CPU per mark; ` +
          `summary ${same ? 'equal to' : 'DIFFERENT from'} a rebuild (load ${load()})`,
      );
      if (!same) process.exitCode = 1;
    }
  }
  await database.close();
} finally {
  await services.stop();
}
