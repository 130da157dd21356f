import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../../workers/handlers.js';
import { createTestApp, type TestApp } from '../../support/app.js';
import { ok } from '../registry/helpers.js';
import { eventually, whileAdvisoryLocked } from '../../support/wait.js';

/**
 * The forecast summary's background pass (DECISIONS D198) runs on the worker's own timer, not in
 * the settlement queue's `finalise-due` job, and never waits for another writer of the summary:
 * a first build at a million children takes minutes, and inside a job it held the settlement
 * queue's only slot all that time. A writer is stood in for by a transaction holding the
 * summary's advisory lock.
 */
const SUMMARY_LOCK = 0x66637374;
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ env: { FORECAST_REFRESH_MS: '200' } });
}, 60_000);
afterAll(async () => t?.close());

const marks = async () => Number((await sql<{ n: string }>`SELECT count(*)::text AS n FROM forecast_dirty`.execute(t.ctx.db)).rows[0]!.n);

/** Runs `body` while another transaction holds the summary's writer lock. */
const whileSummaryLocked = <T>(body: () => Promise<T>) => whileAdvisoryLocked(t.ctx.db, SUMMARY_LOCK, body);

describe('the forecast summary background pass', () => {
  it('finalise-due no longer touches the summary: it finishes while another writer holds the summary', async () => {
    ok(await t.call('POST', '/v1/children', { birth_date: '2022-01-01', attributes: {} }), 201);
    await t.settled();
    const handlers = createHandlers(t.ctx);
    const result = await whileSummaryLocked(() => handlers['finalise-due']({}));
    expect(result).toEqual({ finalised: 0 });
  });

  it('yields to another writer instead of waiting, and the timer brings the summary up to date afterwards', async () => {
    await whileSummaryLocked(async () => {
      ok(await t.call('POST', '/v1/children', { birth_date: '2023-05-05', attributes: { restgruppe_origin: true } }), 201);
      await t.settled();
      expect(await marks()).toBeGreaterThan(0);
      const report = await t.ctx.services.forecast.summary.refreshWhenIdle();
      expect(report).toEqual({ children: 0, units: 0, left: true });
      expect(await marks()).toBeGreaterThan(0);
    });
    // No request and no job asks for it: the worker's timer (FORECAST_REFRESH_MS=200) counts the marked children.
    await eventually(async () => (await marks()) === 0);
    const counted = await sql<{ n: string }>`SELECT count(*)::text AS n FROM forecast_children`.execute(t.ctx.db);
    expect(Number(counted.rows[0]!.n)).toBe(2);
  });
  it('the same timer takes the outcome summary’s change marks (D200), yielding to its writer too', async () => {
    const OUTCOME_LOCK = 0x6f757463;
    const outcomeMarks = async () => Number((await sql<{ n: string }>`SELECT count(*)::text AS n FROM outcome_dirty`.execute(t.ctx.db)).rows[0]!.n);
    const child = ok(await t.call('POST', '/v1/children', { birth_date: '2021-02-02', attributes: {} }), 201).id;
    await t.settled();
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = t.ctx.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${OUTCOME_LOCK}::bigint)`.execute(trx);
      locked();
      await released;
    });
    await isLocked;
    try {
      // A mark as a registry change leaves it (the child has no award: taking it changes no row).
      await sql`INSERT INTO outcome_dirty (child_id) VALUES (${child}::uuid)`.execute(t.ctx.db);
      expect(await t.ctx.services.outcomeSummary.refreshWhenIdle()).toEqual({ marks: 0, left: true });
      expect(await outcomeMarks()).toBe(1);
    } finally {
      release();
      await holder;
    }
    await eventually(async () => (await outcomeMarks()) === 0);
  });
});
