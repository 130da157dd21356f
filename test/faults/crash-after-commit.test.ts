/**
 * A crash between the database commit and the queue acknowledgement. The worker runs through the
 * test-only entry support/crashing-worker.ts (production handlers, settle wrapped): right after the third
 * settle job that settled something has committed, the process SIGKILLs itself, so BullMQ still
 * holds that job as active. A second worker gets it again once its lock expires (the stalled-job
 * check) and must find nothing left to do: no second award revision, no second posting.
 */
import { expect, it } from 'vitest';
import { fault, finishCase, startCase } from './support/case.js';

it('a worker killed after the commit and before the acknowledgement: the job runs again and changes nothing', async () => {
  const run = await startCase({ name: 'crash-after-commit', children: 1000 });
  const { c } = run;
  await c.ingestBacklog();

  const crashing = await c.startCrashingWorker(3);
  const exit = await crashing.exited;
  expect(exit.signal).toBe('SIGKILL');
  await fault(run, `${crashing.name} SIGKILLed itself after its 3rd settle commit, before the acknowledgement`);

  // The jobs the dead worker held: at least one was committed (all its measurements settled).
  const held = await c.queue.getActive();
  const committed: string[] = [];
  for (const job of held) {
    const ids = job.data.measurementIds as string[] | undefined;
    if (!ids) continue;
    const unsettled = await c.db.selectFrom('settlement_backlog').select('measurement_id').where('measurement_id', 'in', ids).execute();
    if (!unsettled.length) committed.push(job.id!);
  }
  expect(committed.length, 'a committed job was left unacknowledged').toBeGreaterThan(0);

  await c.startWorker();
  await finishCase(run, c.measurements.length);
  // The committed jobs were delivered again (stalled → waiting → completed), and found nothing to do.
  for (const id of committed) {
    const job = (await c.queue.getJob(id))!;
    expect(job.stalledCounter, `job ${id} delivered again`).toBeGreaterThan(0);
    expect(job.finishedOn, `job ${id} completed`).toBeTruthy();
    expect(job.failedReason ?? null).toBeNull();
  }
});
