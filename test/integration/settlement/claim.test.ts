/**
 * A measurement waits for settlement exactly while it is in `settlement_backlog`, and a settlement
 * job claims it from there under the measurement's row lock (migration 0033; DECISIONS D224):
 * jobs racing over the same measurements settle each once, settling writes no measurement row and
 * marks no child-wide outcome row, and a change to an input makes a measurement wait again. A
 * change that bumps a child's measurements locks them in the order settlement does (D225).
 * No worker runs here: the test calls the settlement service itself, several calls at once.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '../../../src/auth/api-key.js';
import type { Principal } from '../../../src/auth/principal.js';
import { loadConfig } from '../../../src/config.js';
import { createContext, type AppContext } from '../../../src/context.js';
import { createLogger } from '../../../src/logger.js';
import * as measurementsRepo from '../../../src/repositories/measurements.js';
import { seed } from '../../../src/seed/seed.js';
import { freshDatabaseUrl } from '../../support/db.js';
import { expectLedgerInvariants } from './invariants.js';

let ctx: AppContext;
let actor: Principal;
let ids: string[];

const count = async (query: ReturnType<typeof sql<{ n: string }>>) => Number((await query.execute(ctx.db)).rows[0]!.n);
const waiting = () => count(sql`select count(*)::text as n from settlement_backlog`);

beforeAll(async () => {
  const admin = generateApiKey();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: await freshDatabaseUrl(),
    ADMIN_BOOTSTRAP_KEY: admin.key,
    PG_POOL_MAX: '8',
  });
  ctx = await createContext(config, createLogger('silent'), { inMemory: true });
  actor = (await ctx.apiKeys.authenticate(admin.key))!;
  await seed(ctx.services, actor, { children: 150, seed: 11, today: '2026-11-22' });
  ids = (await sql<{ id: string }>`select id from measurements order by seq`.execute(ctx.db)).rows.map((r) => r.id);
}, 120_000);
afterAll(() => ctx?.close());

describe('settlement claims its measurements from the backlog', () => {
  it('has every stored measurement waiting, and reads each as not settled', async () => {
    expect(ids.length).toBeGreaterThan(200);
    expect(await waiting()).toBe(ids.length);
    expect((await measurementsRepo.get(ctx.db, ids[0]!))!.settled).toBe(false);
  });

  it('settles each measurement once when jobs race over the same ids, and writes no measurement row', async () => {
    await sql`delete from outcome_dirty`.execute(ctx.db);
    const versions = await sql<{ id: string; v: string }>`select id, xmin::text as v from measurements order by id`.execute(ctx.db);

    const half = ids.slice(0, Math.ceil(ids.length / 2));
    const results = await Promise.all([
      ctx.services.settlement.settle(ids),
      ctx.services.settlement.settle([...ids].reverse()),
      ctx.services.settlement.settle(half),
      ctx.services.settlement.settle(ids.slice(half.length)),
    ]);

    expect(
      results.reduce((n, r) => n + r.settled, 0),
      'settled once in all',
    ).toBe(ids.length);
    expect(await waiting()).toBe(0);
    const duplicates = await count(sql`
      select count(*)::text as n from (select 1 from awards group by rule_id, measurement_id having count(*) > 1) d`);
    expect(duplicates).toBe(0);
    expect(await count(sql`select count(*)::text as n from awards where revision <> 1 and measurement_id is not null`)).toBe(0);
    expect(await count(sql`select count(*)::text as n from award_revisions where revision <> 1`)).toBe(0);
    expect(await count(sql`select count(*)::text as n from award_revisions`)).toBe(await count(sql`select count(*)::text as n from awards`));
    // Settlement wrote no new version of any measurement, and no child-wide outcome mark.
    expect((await sql<{ id: string; v: string }>`select id, xmin::text as v from measurements order by id`.execute(ctx.db)).rows).toEqual(versions.rows);
    expect(await count(sql`select count(*)::text as n from outcome_dirty where rule_id is null`)).toBe(0);
    expect((await measurementsRepo.get(ctx.db, ids[0]!))!.settled).toBe(true);
    expect(await ctx.services.settlement.settle(ids)).toEqual({ settled: 0, changed: 0 });
    await expectLedgerInvariants(ctx.db);
  });

  it('makes a measurement wait again when an input changes, and settles the change once', async () => {
    const m = (await measurementsRepo.get(ctx.db, ids[3]!))!;
    const award = await sql<{ revision: number }>`select revision from awards where measurement_id = ${m.id}`.execute(ctx.db);
    expect(award.rows.length).toBeGreaterThan(0);

    const retracted = await ctx.services.measurements.retract(actor, { child_id: m.child_id, kind: m.kind_key, period: m.period });
    expect(retracted.outcome).toBe('retracted');
    expect(retracted.measurement.settled).toBe(false);
    expect((await measurementsRepo.get(ctx.db, m.id))!.settled).toBe(false);
    expect((await sql<{ id: string }>`select measurement_id as id from settlement_backlog`.execute(ctx.db)).rows).toEqual([{ id: m.id }]);
    expect(await count(sql`select count(*)::text as n from outcome_dirty where rule_id is null and child_id = ${m.child_id}`)).toBeGreaterThan(0);

    const [a, b] = await Promise.all([ctx.services.settlement.settle([m.id]), ctx.services.settlement.settle([m.id])]);
    expect(a.settled + b.settled).toBe(1);
    expect(await waiting()).toBe(0);
    expect((await measurementsRepo.get(ctx.db, m.id))!.settled).toBe(true);
    const after = await sql<{ revision: number; status: string }>`select revision, status from awards where measurement_id = ${m.id}`.execute(ctx.db);
    expect(after.rows.every((r) => r.revision === 2 && r.status === 'not_earned')).toBe(true);
    await expectLedgerInvariants(ctx.db);
  });

  it("bumps a child's measurements in id order, so a settlement holding some of them is waited for, not deadlocked with", async () => {
    // Two more measurements of one child with chosen ids: B (the highest id, inserted first) and
    // A (the lowest, last by insertion and by kind and period). A bump that locked in its scan
    // order took B and the child's other rows, then waited for A, which a settlement holds while
    // it goes on to lock B: a deadlock, answered 503 to the enrolment that caused the bump.
    const [child] = (await sql<{ child_id: string; kind_key: string }>`select child_id, kind_key from measurements order by seq limit 1`.execute(ctx.db)).rows;
    const B = 'ffffffff-ffff-4fff-bfff-ffffffffffff';
    const A = '00000000-0000-4000-8000-000000000000';
    for (const [id, period] of [
      [B, 'zz-lock-order-1'],
      [A, 'zz-lock-order-2'],
    ] as const) {
      await sql`insert into measurements (id, child_id, kind_key, period, value, measured_on, status)
                values (${id}::uuid, ${child!.child_id}::uuid, ${child!.kind_key}, ${period}, '1'::jsonb, '2026-01-01', 'active')`.execute(ctx.db);
    }

    let bumped: Promise<string[]> | undefined;
    await ctx.db.transaction().execute(async (trx) => {
      await measurementsRepo.lockForSettlement(trx, [A]);
      bumped = ctx.db.transaction().execute((bump) => measurementsRepo.bumpGenForChildren(bump, [child!.child_id], new Date()));
      // Until the bump waits for a row lock this transaction holds.
      await expect
        .poll(
          async () =>
            (
              await sql<{ n: string }>`select count(*)::text as n from pg_stat_activity
                                     where wait_event_type = 'Lock' and query like 'update "measurements"%'`.execute(ctx.db)
            ).rows[0]!.n,
          { timeout: 10_000 },
        )
        .toBe('1');
      await measurementsRepo.lockForSettlement(trx, [A, B]);
    });
    const ids = await bumped!;
    expect(ids).toEqual(expect.arrayContaining([A, B]));
    expect((await measurementsRepo.get(ctx.db, A))!.gen).toBe(2n);
  });
});
