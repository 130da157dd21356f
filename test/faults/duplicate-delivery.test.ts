/**
 * The same job delivered twice: every settle and fund job is enqueued a second time under a
 * different job id (as a relay whose commit failed after `queue.add` would), before the worker
 * starts — so the copies race each other on four concurrent consumers — and once more after
 * everything is settled. Settlement must be idempotent: one award per (rule, measurement),
 * computed once, funded once; the late copies change nothing at all.
 */
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { lastSeq } from '../integration/settlement/invariants.js';
import { fault, finishCase, startCase } from './support/case.js';

it('every job delivered twice (racing) and again late: settlement is idempotent', async () => {
  const run = await startCase({ name: 'duplicate-delivery', children: 1000 });
  const { c } = run;
  await c.ingestBacklog();

  const originals = (await c.queue.getWaiting(0, -1)).filter((j) => j.name === 'settle' || j.name === 'fund');
  expect(originals.filter((j) => j.name === 'settle').length).toBeGreaterThan(10);
  const copies = () => originals.map((j) => ({ name: j.name, data: j.data }));
  await fault(run, `${originals.length} jobs enqueued a second time before any worker ran`);
  await c.queue.addBulk(copies());
  run.duplicatesAdded += originals.length;

  await c.startWorker({ WORKER_CONCURRENCY: '4' });
  await c.waitQuiet();
  const settledIds = new Set((await c.queue.getCompleted(0, -1)).filter((j) => j.name === 'settle').map((j) => j.id));
  expect(settledIds.size).toBeGreaterThanOrEqual(2 * originals.filter((j) => j.name === 'settle').length);

  // Late duplicates, after everything is settled: not one row or posting may change.
  const before = { seq: await lastSeq(c.db), revisions: await revisionCount() };
  await fault(run, `${originals.length} jobs enqueued a third time after settlement`);
  const late = await c.queue.addBulk(copies());
  run.duplicatesAdded += originals.length;
  await c.until('late duplicates done', 120_000, async () => {
    const states = await Promise.all(late.map((j) => j.getState()));
    return states.every((s) => s === 'completed');
  });
  expect({ seq: await lastSeq(c.db), revisions: await revisionCount() }).toEqual(before);

  await finishCase(run, c.measurements.length);

  async function revisionCount(): Promise<number> {
    return Number((await sql<{ n: string }>`select count(*)::text as n from award_revisions`.execute(c.db)).rows[0]!.n);
  }
});
