import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createContext, type AppContext } from '../../src/context.js';
import { createLogger } from '../../src/logger.js';
import { createTestApp, type TestApp } from '../support/app.js';
import type { Executor } from '../../src/db/database.js';
import { eventually, whileAdvisoryLocked } from '../support/wait.js';

/** The keeper's advisory lock (repositories/table-statistics.ts). */
const KEEPER_LOCK = 0x73746174;

/**
 * The planner-statistics keeper (DECISIONS D208, D217, D223): after a bulk load the worker analyses
 * the tables that changed by at least STATS_MIN_ROWS rows and, on PostgreSQL, doubled or emptied
 * since their last analysis (on the embedded PGlite, which nothing else analyses: a tenth), so
 * queries are not planned for empty tables until autovacuum comes round.
 * A scratch table stands in for a bulk-loaded one: the keeper looks at every table of the schema.
 * `last_analyze` is set only by an explicit ANALYZE (autovacuum sets `last_autoanalyze`), and
 * autovacuum is kept off the probe tables, whose change counts it would otherwise reset.
 */
const lastAnalyze = async (db: Executor, table: string) =>
  (await sql<{ at: Date | null }>`SELECT last_analyze AS at FROM pg_stat_user_tables WHERE relname = ${table}`.execute(db)).rows[0]?.at ?? null;

const estimate = async (db: Executor, table: string) =>
  (await sql<{ n: number }>`SELECT reltuples::float8 AS n FROM pg_class WHERE relname = ${table}`.execute(db)).rows[0]!.n;

const modified = async (db: Executor, table: string) =>
  (await sql<{ n: number }>`SELECT n_mod_since_analyze::float8 AS n FROM pg_stat_user_tables WHERE relname = ${table}`.execute(db)).rows[0]?.n ?? 0;

async function load(db: Executor, table: string, rows: number): Promise<void> {
  // Autovacuum stays off the probe: its analysis would reset the change count the keeper looks at
  // (PostgreSQL only; PGlite has no autovacuum and accepts the setting).
  await sql`CREATE TABLE IF NOT EXISTS ${sql.id(table)} (id int PRIMARY KEY, v text) WITH (autovacuum_enabled = false)`.execute(db);
  const { rows: at } = await sql<{ n: number }>`SELECT coalesce(max(id), 0) AS n FROM ${sql.id(table)}`.execute(db);
  await sql`INSERT INTO ${sql.id(table)} SELECT g, md5(g::text) FROM generate_series(${at[0]!.n + 1}::int, ${at[0]!.n + rows}::int) g`.execute(db);
}

describe('the planner-statistics keeper on PostgreSQL', () => {
  let t: TestApp;
  beforeAll(async () => {
    // The worker's own timer stays out of the way (a day) except in the test that is about it.
    t = await createTestApp({ env: { STATS_MIN_ROWS: '1000', STATS_REFRESH_MS: '86400000' } });
  }, 60_000);
  afterAll(async () => t?.close());

  it('analyses a table once a bulk load changed it enough, and leaves it alone after', async () => {
    await load(t.ctx.db, 'probe_bulk', 5_000);
    expect(await lastAnalyze(t.ctx.db, 'probe_bulk')).toBeNull();
    // Another backend's counters are published within about a second of its commit.
    await eventually(async () => (await t.ctx.services.statistics.refreshStale()).analysed.includes('probe_bulk'));
    expect(await lastAnalyze(t.ctx.db, 'probe_bulk')).not.toBeNull();
    expect(await estimate(t.ctx.db, 'probe_bulk')).toBe(5_000);
    // Analysed tables are no longer stale: an immediate second pass has nothing to do for it.
    expect((await t.ctx.services.statistics.refreshStale()).analysed).not.toContain('probe_bulk');
  });

  it('leaves a table that grew by less than its size to the planner’s own scaling, and analyses it once it doubled (D223)', async () => {
    await load(t.ctx.db, 'probe_small_change', 20_000);
    await eventually(async () => (await t.ctx.services.statistics.refreshStale()).analysed.includes('probe_small_change'));
    const first = await lastAnalyze(t.ctx.db, 'probe_small_change');
    await load(t.ctx.db, 'probe_small_change', 15_000); // ≥ STATS_MIN_ROWS and far more than a tenth, < 20,000
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await t.ctx.services.statistics.refreshStale()).analysed).not.toContain('probe_small_change');
    expect(await lastAnalyze(t.ctx.db, 'probe_small_change')).toEqual(first);
    await load(t.ctx.db, 'probe_small_change', 5_000); // 40,000: twice the estimate
    await eventually(async () => (await t.ctx.services.statistics.refreshStale()).analysed.includes('probe_small_change'));
    expect(await estimate(t.ctx.db, 'probe_small_change')).toBe(40_000);
  });

  it('leaves a table whose rows were only updated in place to autovacuum (D217)', async () => {
    await load(t.ctx.db, 'probe_updated', 5_000);
    await eventually(async () => (await t.ctx.services.statistics.refreshStale()).analysed.includes('probe_updated'));
    const first = await lastAnalyze(t.ctx.db, 'probe_updated');
    // As settlement marks every measurement settled: every row changes, the table's size does not.
    await sql`UPDATE probe_updated SET v = v || 'x'`.execute(t.ctx.db);
    await eventually(async () => (await modified(t.ctx.db, 'probe_updated')) >= 5_000);
    expect((await t.ctx.services.statistics.refreshStale()).analysed).not.toContain('probe_updated');
    expect(await lastAnalyze(t.ctx.db, 'probe_updated')).toEqual(first);
  });

  it('leaves the tables for later while another keeper holds the keeper lock', async () => {
    await load(t.ctx.db, 'probe_busy', 3_000);
    // The counters must be published before the loading connection may be taken by the holder (a
    // backend publishes them only while idle outside a transaction).
    await eventually(async () => (await modified(t.ctx.db, 'probe_busy')) >= 3_000);
    await whileAdvisoryLocked(t.ctx.db, KEEPER_LOCK, async () => {
      await eventually(async () => (await t.ctx.services.statistics.refreshStale()).busy.includes('probe_busy'));
      expect(await lastAnalyze(t.ctx.db, 'probe_busy')).toBeNull();
    });
    expect((await t.ctx.services.statistics.refreshStale()).analysed).toContain('probe_busy');
  });
});

describe('the worker runs the keeper on its own timer', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { STATS_MIN_ROWS: '1000', STATS_REFRESH_MS: '200' } });
  }, 60_000);
  afterAll(async () => t?.close());

  it('a bulk-loaded table is analysed with no request asking for it', async () => {
    await load(t.ctx.db, 'probe_timer', 4_000);
    await eventually(async () => (await lastAnalyze(t.ctx.db, 'probe_timer')) !== null);
    expect(await estimate(t.ctx.db, 'probe_timer')).toBe(4_000);
  });
});

describe('the planner-statistics keeper on the embedded PGlite (no autovacuum)', () => {
  let ctx: AppContext;
  beforeAll(async () => {
    // A fresh embedded PGlite applies every migration in WebAssembly: over a minute on a loaded 2-core machine.
    ctx = await createContext(loadConfig({ LOG_LEVEL: 'silent', STATS_MIN_ROWS: '1000' }), createLogger('silent'), { inMemory: true });
  }, 180_000);
  afterAll(async () => ctx?.close());

  it("publishes the one backend's own counters and analyses the loaded table", async () => {
    expect(ctx.config.DATABASE_URL).toBeUndefined();
    await load(ctx.db, 'probe_embedded', 2_500);
    const report = await ctx.services.statistics.refreshStale();
    expect(report.analysed).toContain('probe_embedded');
    expect(await estimate(ctx.db, 'probe_embedded')).toBe(2_500);
    // Nothing else analyses here, so rows updated in place count too (D217).
    expect((await ctx.services.statistics.refreshStale()).analysed).not.toContain('probe_embedded');
    await sql`UPDATE probe_embedded SET v = v || 'x'`.execute(ctx.db);
    expect((await ctx.services.statistics.refreshStale()).analysed).toContain('probe_embedded');
  });
});
