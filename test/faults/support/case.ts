/**
 * The common end of every fault case: wait until settlement is quiet again, assert that every
 * measurement was settled exactly once and every ledger invariant holds, and record the figures.
 */
import { onTestFinished } from 'vitest';
import { Cluster, type ClusterOptions } from './cluster.js';
import { expectSettledExactlyOnce, lossAndDuplication } from './checks.js';
import type { OutageProbe } from './probe.js';
import { recordCase, type CaseReport } from './report.js';

export interface CaseRun {
  c: Cluster;
  started: number;
  faults: string[];
  /** Measurements not yet settled when the (first) fault hit. */
  unsettledAtFault: number;
  /** Job deliveries the case added on purpose (duplicate enqueues), on top of BullMQ's redeliveries. */
  duplicatesAdded: number;
  probe: OutageProbe | null;
}

/** Starts the case's cluster (inside a test); it is destroyed when the test finishes, pass or fail. */
export async function startCase(opts: ClusterOptions): Promise<CaseRun> {
  const c = await Cluster.start(opts);
  onTestFinished(() => c.destroy());
  return { c, started: Date.now(), faults: [], unsettledAtFault: 0, duplicatesAdded: 0, probe: null };
}

/** Notes a fault, and how much work was unsettled when it hit (the first time only). */
export async function fault(run: CaseRun, what: string): Promise<void> {
  if (!run.faults.length) run.unsettledAtFault = await run.c.unsettled().catch(() => -1);
  run.faults.push(what);
}

/** Waits for quiet, asserts exactly-once settlement and the ledger invariants, records the case. */
export async function finishCase(run: CaseRun, sent: number): Promise<CaseReport> {
  const { c } = run;
  await c.waitQuiet();
  const ledger = await expectSettledExactlyOnce(c, sent);
  const [q, completed, counts] = await Promise.all([c.queueState(), c.queue.getCompleted(0, -1), lossAndDuplication(c.db, sent)]);
  const report: CaseReport = {
    case: c.name,
    faults: run.faults,
    measurements: sent,
    settle_jobs_completed: completed.filter((j) => j.name === 'settle').length,
    jobs_failed: q.failed,
    unsettled_at_fault: run.unsettledAtFault,
    redelivered_jobs: completed.filter((j) => j.attemptsStarted > 1 || j.stalledCounter > 0).length + run.duplicatesAdded,
    reconciled: c.reconciled(),
    lost: counts.lost,
    duplicated: counts.duplicated,
    api_during_outage: run.probe?.tally() ?? {},
    ledger,
    seconds: (Date.now() - run.started) / 1000,
  };
  recordCase(report);
  return report;
}
