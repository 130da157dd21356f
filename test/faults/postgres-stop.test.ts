/**
 * PostgreSQL stopped in the middle of a run (`pg_ctl stop -m fast`: every connection of the API
 * and the workers is cut) and started again. While it is down the API must say 503 with
 * Retry-After — on readiness and on writes — never 500; settle jobs fail and are retried by
 * BullMQ; afterwards everything is settled exactly once, and the writes refused during the
 * outage succeed when the client sends them again.
 */
import { expect, it } from 'vitest';
import { fault, finishCase, startCase } from './support/case.js';
import { OutageProbe } from './support/probe.js';

it('PostgreSQL stopped mid-run and started again: 503 + Retry-After meanwhile, then every measurement settled exactly once', async () => {
  const run = await startCase({ name: 'postgres-stop', children: 1000 });
  const { c } = run;
  const probeItems = c.measurements.slice(-40);
  const main = c.measurements.slice(0, -40);
  await c.startWorker();
  await c.startWorker();
  await c.ingest(main);
  await c.until('a quarter settled', 120_000, async () => (await c.settledCount()) >= main.length / 4);

  await fault(run, 'PostgreSQL stopped (fast shutdown), started again after the outage probes');
  expect(run.unsettledAtFault, 'PostgreSQL went down in the middle of the run').toBeGreaterThan(0);
  await c.pg.stop('fast');
  const probe = new OutageProbe(c, probeItems);
  run.probe = probe;
  await probe.stop(15);
  await c.pg.start();

  probe.expectUnavailableAnswers([]);
  expect(probe.answers.filter((a) => a.endpoint === 'write').every((a) => a.status === 503)).toBe(true);
  // Every process rode out the outage.
  for (const p of [c.api, ...c.workers]) expect(p.running(), `${p.name} survived`).toBe(true);

  // The client sends again what was refused.
  await c.ingest(probe.sent);
  await finishCase(run, main.length + probe.sent.length);
});
