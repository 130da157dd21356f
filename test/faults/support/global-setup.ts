/**
 * vitest globalSetup of the fault suite: a directory for the per-case reports, merged at the
 * end into FAULTS_REPORT (default ./data/faults-report.json) with one summary line per case.
 * Each case starts its own PostgreSQL and Redis (./cluster.ts); nothing is shared between cases.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where each fault case writes its report (one JSON file per case). */
    faultsReportDir: string;
  }
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'smb-faults-report-'));
  project.provide('faultsReportDir', dir);
  const started = new Date();
  return () => {
    const cases = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as { case: string; lost: number; duplicated: number; seconds: number });
    rmSync(dir, { recursive: true, force: true });
    const target = resolve(process.env.FAULTS_REPORT ?? './data/faults-report.json');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, JSON.stringify({ started: started.toISOString(), finished: new Date().toISOString(), cases }, null, 2) + '\n');
    console.log(`\nfault suite: ${cases.length} cases reported → ${target}`);
    for (const c of cases) console.log(`  ${c.case}: lost ${c.lost}, duplicated ${c.duplicated}, ${c.seconds.toFixed(1)} s`);
  };
}
