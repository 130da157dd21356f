/**
 * Redis restarted in the middle of a run, with its data (a clean restart of a persistent Redis)
 * and without (a failover with no persistence: every queued job is lost). The API must keep
 * accepting measurements — the outbox holds their jobs — and say 503 with Retry-After on
 * readiness; workers reconnect; jobs lost with the data are found again by the reconciler.
 */
import { expect, it } from 'vitest';
import { fault, finishCase, startCase } from './support/case.js';
import { OutageProbe } from './support/probe.js';

/** Worker running, measurements flowing in; Redis goes down once a quarter is settled. */
async function redisRestartCase(name: string, keepData: boolean) {
  const run = await startCase({ name, children: 1000 });
  const { c } = run;
  const probeItems = c.measurements.slice(-40);
  const main = c.measurements.slice(0, -40);
  await c.startWorker();
  await c.ingest(main);
  await c.until('a quarter settled', 120_000, async () => (await c.settledCount()) >= main.length / 4);

  const before = await c.queueStateWhenUp();
  expect(before.completed, 'jobs completed before the fault').toBeGreaterThan(0);
  let probe: OutageProbe | undefined;
  await c.restartRedis(keepData, async () => {
    await fault(run, keepData ? 'Redis SHUTDOWN SAVE, then started again on its snapshot' : 'Redis SIGKILLed, started again empty');
    expect(await c.unsettled(), 'Redis went down in the middle of the run').toBeGreaterThan(0);
    probe = new OutageProbe(c, probeItems);
    run.probe = probe;
    await probe.stop(15);
  });
  // While Redis was down, the API stored every write (201: the outbox keeps the job) and said 503 on readiness.
  probe!.expectUnavailableAnswers([201]);
  expect(probe!.answers.some((a) => a.endpoint === 'write' && a.status === 201)).toBe(true);

  const afterRestart = await c.queueStateWhenUp();
  // Persistence decides whether the finished jobs' history came back. (Without it the queue may
  // already hold new jobs: the relay dispatches the outbox rows written during the outage.)
  if (keepData) expect(afterRestart.completed).toBeGreaterThanOrEqual(before.completed);
  else expect(afterRestart.completed, 'the finished jobs were lost with the data').toBeLessThan(before.completed);

  return finishCase(run, main.length + probe!.sent.length);
}

it('Redis restarted with its data mid-run: nothing lost, nothing settled twice', async () => {
  await redisRestartCase('redis-restart-with-data', true);
});

it('Redis restarted empty mid-run: the reconciler settles the measurements whose jobs were lost', async () => {
  const report = await redisRestartCase('redis-restart-without-data', false);
  expect(report.reconciled, 'the reconciler re-enqueued the lost jobs').toBeGreaterThan(0);
});
