/**
 * Figures per fault case: one summary line on stdout, and one JSON file per case in the run's
 * report directory; the global teardown (./global-setup.ts) merges them into FAULTS_REPORT
 * (default ./data/faults-report.json) for RELIABILITY.md to quote.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { LedgerFigures } from './checks.js';

export interface CaseReport {
  case: string;
  /** The faults injected, in order, in words. */
  faults: string[];
  /** Measurements sent through the API. */
  measurements: number;
  /** Settle jobs BullMQ recorded as completed (those lost with Redis' data are not counted). */
  settle_jobs_completed: number;
  /** Jobs BullMQ gave up on (all attempts failed); the reconciler covers their measurements. */
  jobs_failed: number;
  /** Measurements not yet settled when the fault hit: the work at risk. */
  unsettled_at_fault: number;
  /** Jobs delivered more than once (stalled after a crash, or duplicated on purpose). */
  redelivered_jobs: number;
  /** Measurements the reconcilers put back on the queue (from the processes' logs). */
  reconciled: number;
  /** After recovery: measurements not settled exactly once (must be 0). */
  lost: number;
  /** After recovery: duplicate awards, recomputed awards and repeated postings (must be 0). */
  duplicated: number;
  /** API answers during the outage, by endpoint and status. */
  api_during_outage: Record<string, number>;
  ledger: LedgerFigures;
  seconds: number;
}

export function recordCase(report: CaseReport): void {
  const api = Object.entries(report.api_during_outage)
    .map(([k, v]) => `${k}×${v}`)
    .join(' ');
  console.log(
    `[fault] ${report.case}: ${report.measurements} measurements, ${report.settle_jobs_completed} settle jobs, ` +
      `faults: ${report.faults.join('; ')}; unsettled at fault ${report.unsettled_at_fault}, redelivered ${report.redelivered_jobs}, ` +
      `reconciled ${report.reconciled}, lost ${report.lost}, duplicated ${report.duplicated}` +
      `${api ? `; API while down: ${api}` : ''}; ${report.ledger.journal_entries} journal entries; ${report.seconds.toFixed(1)} s`,
  );
  writeFileSync(join(inject('faultsReportDir'), `${report.case}.json`), JSON.stringify(report, null, 2));
}
