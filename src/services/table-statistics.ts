import * as repo from '../repositories/table-statistics.js';
import type { ServiceDeps } from './deps.js';

/** When a table's planner statistics count as stale (DECISIONS D208, D217). */
export interface StalenessPolicy {
  /** Changed rows below this never make a table stale (small tables are autovacuum's business). */
  minRows: number;
  /** …and at least this fraction of the planner's row estimate must have changed. */
  fraction: number;
  /**
   * Whether rows updated in place count as changed. Only where nothing else analyses (the
   * embedded PGlite has no autovacuum); on a server autovacuum analyses a table once a tenth of
   * it changed, so the keeper counts only what moves the table's size (D217).
   */
  countUpdates: boolean;
}

/**
 * The policy for a database kind (D217, D223). On a server the keeper only catches the tables the
 * planner would misjudge: never analysed, or at least doubled or emptied since the last analysis
 * (a fraction of 1). Between those, PostgreSQL scales its row estimate by the table's current
 * size in pages (the density of the last analysis × the pages now), so growth needs no analysis,
 * and autovacuum refreshes the column statistics at its own tenth. A tenth here analysed `awards`
 * 16 times while 300,000 children settled (BENCHMARKS.md, eighth session). On the embedded
 * PGlite nothing else analyses: a tenth, and updates count.
 */
export function stalenessPolicy(database: 'postgres' | 'pglite', minRows: number): StalenessPolicy {
  return database === 'pglite' ? { minRows, fraction: 0.1, countUpdates: true } : { minRows, fraction: 1, countUpdates: false };
}

/**
 * How far a table has moved from what the planner knows: the rows by which its live size differs
 * from the row estimate (a never-analysed table's estimate, -1, counts as 0) — or, counting
 * updates, every row inserted, updated or deleted since its last analysis if that is more.
 */
export function tableChange(t: repo.TableActivity, countUpdates: boolean): number {
  const drift = Math.abs(t.live - Math.max(t.estimate, 0));
  return countUpdates ? Math.max(drift, t.modified) : drift;
}

/**
 * The tables to analyse, largest change first: a change (`tableChange`) of at least `minRows` rows
 * and at least `fraction` of the row estimate. Pure.
 */
export function staleTables(activity: readonly repo.TableActivity[], policy: StalenessPolicy): string[] {
  if (!(policy.minRows >= 1 && policy.fraction > 0)) throw new Error('staleTables: minRows ≥ 1 and fraction > 0');
  return activity
    .map((t) => ({ table: t.table, change: tableChange(t, policy.countUpdates), estimate: Math.max(t.estimate, 0) }))
    .filter((t) => t.change >= Math.max(policy.minRows, policy.fraction * t.estimate))
    .sort((a, b) => b.change - a.change || a.table.localeCompare(b.table))
    .map((t) => t.table);
}

export interface StatisticsReport {
  analysed: string[];
  /** Stale tables left for later: another keeper or autovacuum held them. */
  busy: string[];
  ms: number;
}

/** How long an ANALYZE waits for a table autovacuum is working on before leaving it for later. */
const LOCK_TIMEOUT_MS = 2000;
/** PostgreSQL's "lock_not_available" (lock_timeout). */
const LOCK_NOT_AVAILABLE = '55P03';

/**
 * Keeps the query planner's statistics in step with bulk loads. PostgreSQL plans each statement
 * from per-table statistics that autovacuum refreshes on its own schedule (and the embedded PGlite
 * has no autovacuum at all). Right after a bulk ingest or a settlement burst the planner still
 * believes the tables nearly empty and picks sequential scans: a child's passport took 3.7 s
 * instead of 11 ms until autovacuum caught up (BENCHMARKS.md, fifth and sixth sessions). The
 * worker's timer (workers/runtime.ts, `STATS_REFRESH_MS`) calls `refreshStale`, which analyses
 * every table of the schema whose size moved by at least `minRows` rows and the policy's fraction of
 * its estimate since its last analysis (`stalenessPolicy`) — a bounded sample per table
 * (`default_statistics_target`), so each ANALYZE costs about the same at any table size.
 */
export class TableStatisticsService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly policy: StalenessPolicy,
  ) {}

  async refreshStale(): Promise<StatisticsReport> {
    const t0 = performance.now();
    const report: StatisticsReport = { analysed: [], busy: [], ms: 0 };
    await repo.publishOwnCounters(this.deps.db);
    for (const table of staleTables(await repo.tableActivity(this.deps.db), this.policy)) {
      const outcome = await this.analyze(table);
      report[outcome].push(table);
    }
    report.ms = Math.round(performance.now() - t0);
    if (report.analysed.length) this.deps.log.info({ ...report }, 'planner statistics refreshed');
    return report;
  }

  private async analyze(table: string): Promise<repo.AnalyzeOutcome> {
    try {
      return await this.deps.db.transaction().execute((trx) => repo.analyzeTable(trx, table, LOCK_TIMEOUT_MS));
    } catch (err) {
      if ((err as { code?: string }).code === LOCK_NOT_AVAILABLE) return 'busy';
      throw err;
    }
  }
}
