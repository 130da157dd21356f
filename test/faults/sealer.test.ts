/**
 * The ledger sealer under faults (docs/LEDGER.md: append, then seal). Settlement appends journal
 * entries without seq or hash; one sealer at a time, in any process, seals them into the chain.
 * After each case every entry posted must be sealed exactly once — none left pending, none
 * twice, no gap in seq — the chain must verify, and every check of the other cases holds.
 */
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import * as ledgerRepo from '../../src/repositories/ledger.js';
import { sealOnce } from '../../src/services/ledger-sealer.js';
import { fault, finishCase, startCase } from './support/case.js';

/** Every process of the cluster leaves sealing to the sealers the case starts itself. */
const NO_SEALER = { LEDGER_SEALER: 'off' };

it('kill -9 of the sealing process in the middle of a batch: nothing of that batch sealed, the next sealer takes over', async () => {
  const run = await startCase({ name: 'sealer-kill-9', children: 1000, env: NO_SEALER });
  const { c } = run;
  await c.startWorker();
  await c.ingest(c.measurements);
  await c.until('entries appended and waiting', 120_000, async () => (await ledgerRepo.pendingCount(c.db)) >= 600);
  // The seed's deposit was sealed in its own transaction (a deposit's answer names its seq).
  const sealedAtStart = Number((await ledgerRepo.readHead(c.db)).last_seq);
  const sealer = await c.startCrashingSealer(3, { SEAL_BATCH_SIZE: '200' });
  await fault(run, 'the only sealer SIGKILLs itself in its 3rd batch of 200, after writing it, before COMMIT');
  const exit = await sealer.exited;
  expect(exit.signal).toBe('SIGKILL');
  const sealedBefore = Number((await ledgerRepo.readHead(c.db)).last_seq);
  expect(sealedBefore - sealedAtStart, 'two batches committed before the crash').toBe(400);
  expect(await ledgerRepo.pendingCount(c.db), 'the crashed batch is still pending').toBeGreaterThan(0);
  // Another process takes over sealing.
  await c.startWorker({ LEDGER_SEALER: 'on', SEAL_BATCH_SIZE: '200' });
  await finishCase(run, c.measurements.length);
});

it('sealers racing: four processes and the test itself seal concurrently, each entry sealed once, no gap', async () => {
  const run = await startCase({ name: 'sealers-racing', children: 1000, env: { SEAL_BATCH_SIZE: '25', SEAL_POLL_MS: '10' } });
  const { c } = run;
  await Promise.all([c.startWorker(), c.startWorker(), c.startWorker()]);
  await fault(run, 'API, three workers and four loops in the test all sealing batches of 25 while settlement appends');
  let racing = true;
  const stats = { sealed: 0, busy: 0 };
  const loops = Array.from({ length: 4 }, async () => {
    while (racing) {
      const r = await sealOnce(c.db, 25).catch(() => null);
      if (r) stats.sealed += r.sealed;
      else stats.busy++;
    }
  });
  await c.ingest(c.measurements);
  await c.waitQuiet();
  racing = false;
  await Promise.all(loops);
  // The race happened: passes found the head taken by another sealer, and both sides sealed.
  expect(stats.busy, 'passes that found another sealer at work').toBeGreaterThan(0);
  const head = await ledgerRepo.readHead(c.db);
  expect(stats.sealed).toBeLessThan(Number(head.last_seq));
  await finishCase(run, c.measurements.length);
});

it('PostgreSQL restarted between append and seal: the appended entries survive and are sealed afterwards', async () => {
  const run = await startCase({ name: 'postgres-restart-before-seal', children: 1000, env: NO_SEALER });
  const { c } = run;
  await c.startWorker();
  await c.ingest(c.measurements);
  await c.until('everything settled, nothing sealed', 180_000, async () => (await c.unsettled()) === 0);
  const pending = await ledgerRepo.pendingCount(c.db);
  expect(pending).toBeGreaterThan(0);
  const sealedAtStart = (await ledgerRepo.readHead(c.db)).last_seq; // the seed's deposit, sealed with it
  await fault(run, `PostgreSQL stopped (fast) and started again with ${pending} entries appended and none sealed`);
  await c.pg.stop('fast');
  await c.pg.start();
  await c.until('PostgreSQL answers the test again', 60_000, async () =>
    sql`select 1`.execute(c.db).then(
      () => true,
      () => false,
    ),
  );
  expect(await ledgerRepo.pendingCount(c.db)).toBe(pending);
  await c.startWorker({ LEDGER_SEALER: 'on' });
  await finishCase(run, c.measurements.length);
  expect(Number((await ledgerRepo.readHead(c.db)).last_seq - sealedAtStart)).toBeGreaterThanOrEqual(pending);
});
