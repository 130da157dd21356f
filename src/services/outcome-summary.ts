import * as repo from '../repositories/outcome-summary.js';
import * as measurementsRepo from '../repositories/measurements.js';
import type { ServiceDeps } from './deps.js';

/** Change marks claimed per transaction. */
const CHUNK = 5000;
/** Change marks the worker's background pass takes per pass. */
const IDLE_MARKS = 50_000;

export interface OutcomeRefreshReport {
  /** Change marks taken (several may name the same row). */
  marks: number;
  /** Marks still waiting (only with a budget, or when another writer held the summary). */
  left: boolean;
}

/**
 * Keeps the outcome summary (`outcome_facts` and `outcome_counts`; migrations 0012 and 0028;
 * DECISIONS D199–D200) off the award-write path. Triggers only mark (child, rule) pairs and
 * children whose rows may have changed; `refresh` claims the marks in chunks and computes exactly
 * those rows again from the awards and the registry. One writer at a time (an advisory lock per
 * transaction), so it can run from a request and from the worker at once. Every reader of the
 * summary (the outcome report, the forecast's rates) calls `refresh` first, so it reads every
 * change committed before it started.
 */
export class OutcomeSummaryService {
  constructor(private readonly deps: ServiceDeps) {}

  /**
   * Brings the summary up to date; with `maxMarks`, stops after about that many (the worker's
   * background pass). With `yieldToOthers`, stops instead of waiting when another transaction is
   * writing the summary (a report or forecast request, or another worker's pass): that one brings
   * it up to date.
   */
  async refresh(opts: { maxMarks?: number; yieldToOthers?: boolean } = {}): Promise<OutcomeRefreshReport> {
    const report: OutcomeRefreshReport = { marks: 0, left: false };
    // A reader with no committed mark has nothing to wait for: a writer holding claimed marks has
    // not committed their removal, so they are still seen here.
    if (!(await repo.anyMarks(this.deps.db))) return report;
    for (;;) {
      const marks = await this.deps.db.transaction().execute(async (trx) => {
        if (!(await repo.lockSummary(trx, !opts.yieldToOthers))) return null;
        return repo.refreshClaimed(trx, CHUNK);
      });
      if (marks === null) return { ...report, left: true };
      report.marks += marks;
      if (marks < CHUNK) return report;
      if (opts.maxMarks !== undefined && report.marks >= opts.maxMarks) return { ...report, left: true };
    }
  }

  /**
   * The worker's background pass (its own timer: workers/runtime.ts): when settlement has nothing
   * waiting, takes up to `maxMarks` change marks so that a report or forecast finds little left to
   * do. With measurements waiting it does nothing (a reader still catches up in full), and it never
   * waits for another writer of the summary.
   */
  async refreshWhenIdle(maxMarks = IDLE_MARKS): Promise<OutcomeRefreshReport | null> {
    if (await measurementsRepo.anyUnsettled(this.deps.db)) return null;
    return this.refresh({ maxMarks, yieldToOthers: true });
  }

  /** Builds `outcome_facts` and `outcome_counts` afresh from every award (for operators and tests). */
  async rebuildAll(): Promise<void> {
    const t0 = performance.now();
    await this.deps.db.transaction().execute(async (trx) => {
      await repo.lockSummary(trx);
      await repo.rebuild(trx);
    });
    this.deps.log.info({ ms: Math.round(performance.now() - t0) }, 'outcome summary built afresh');
  }
}
