/**
 * `kill -9` of a worker process in the middle of settling thousands of measurements, twice,
 * each time followed by a fresh worker. The jobs the dead worker held stay `active` in Redis
 * until their lock expires; BullMQ's stalled-job check then hands them to the new worker, and
 * the reconciler re-enqueues whatever is still unsettled meanwhile. Nothing may be lost or
 * settled twice.
 */
import { expect, it } from 'vitest';
import { fault, finishCase, startCase } from './support/case.js';

it('a worker SIGKILLed mid-run, twice: another finishes, every measurement settled exactly once', async () => {
  const run = await startCase({ name: 'worker-kill-9', children: 1300 });
  const { c } = run;
  const total = c.measurements.length;
  expect(total).toBeGreaterThan(3000);

  // No worker yet: the API stores the measurements and relays their jobs into Redis.
  await c.ingestBacklog();

  const heldByDead = new Set<string>();
  for (const share of [0.25, 0.6]) {
    const worker = await c.startWorker();
    await c.until(`${share * 100} % settled`, 120_000, async () => (await c.settledCount()) >= total * share);
    await worker.kill9();
    await fault(run, `kill -9 ${worker.name} at ${await c.settledCount()}/${total} settled`);
    expect(await c.unsettled(), 'the worker died in the middle of the run').toBeGreaterThan(0);
    for (const job of await c.queue.getActive()) heldByDead.add(job.id!);
  }
  await c.startWorker();

  await finishCase(run, total);
  // The jobs the dead workers held were handed on by BullMQ and completed, none failed.
  for (const id of heldByDead) {
    const job = await c.queue.getJob(id);
    expect(job?.finishedOn, `job ${id} held by a killed worker`).toBeTruthy();
    expect(job?.failedReason ?? null).toBeNull();
    expect(job!.stalledCounter).toBeGreaterThan(0);
  }
});
