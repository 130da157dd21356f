import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../../src/db/database.js';
import * as measurementsRepo from '../../src/repositories/measurements.js';
import { openFreshDatabase } from '../support/db.js';

/**
 * The queries over `settlement_backlog` that settlement and the status endpoint run on every
 * job and poll. They must give the same answers as the obvious SQL while reading an amount
 * independent of the backlog's size; the answers are checked here against a model.
 */
let database: Database;

beforeAll(async () => {
  database = await openFreshDatabase(3);
});
afterAll(async () => {
  await database?.close();
});
beforeEach(async () => {
  await sql`truncate settlement_backlog`.execute(database.db);
});

let insertedEver = 0;
async function insertBacklog(rows: Array<{ kind: string; seq: number }>): Promise<void> {
  if (!rows.length) return;
  insertedEver += rows.length;
  await sql`
    insert into settlement_backlog (measurement_id, kind_key, seq)
    select * from unnest(${rows.map(() => randomUUID())}::uuid[], ${rows.map((r) => r.kind)}::text[], ${rows.map((r) => String(r.seq))}::bigint[])`.execute(
    database.db,
  );
}

describe('earliestUnsettledSeq', () => {
  it('is the smallest seq over the given kinds, null when none of them waits', async () => {
    await insertBacklog([
      { kind: 'a', seq: 5 },
      { kind: 'a', seq: 9 },
      { kind: 'b', seq: 7 },
      { kind: 'b', seq: 3 },
      { kind: 'c', seq: 1 },
    ]);
    expect(await measurementsRepo.earliestUnsettledSeq(database.db, ['a', 'b'])).toBe(3n);
    expect(await measurementsRepo.earliestUnsettledSeq(database.db, ['a'])).toBe(5n);
    expect(await measurementsRepo.earliestUnsettledSeq(database.db, ['x', 'c'])).toBe(1n);
    expect(await measurementsRepo.earliestUnsettledSeq(database.db, ['x'])).toBeNull();
    expect(await measurementsRepo.earliestUnsettledSeq(database.db, [])).toBeNull();
  });

  it('agrees with min(seq) over the kinds for any backlog and any set of kinds', async () => {
    const kinds = ['k0', 'k1', 'k2', 'k3'];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ kind: fc.constantFrom(...kinds), seq: fc.integer({ min: 1, max: 2 ** 40 }) }), { maxLength: 40 }),
        fc.subarray([...kinds, 'unknown']),
        async (rows, asked) => {
          await sql`truncate settlement_backlog`.execute(database.db);
          await insertBacklog(rows);
          const seqs = rows.filter((r) => asked.includes(r.kind)).map((r) => BigInt(r.seq));
          const expected = seqs.length ? seqs.reduce((m, s) => (s < m ? s : m)) : null;
          expect(await measurementsRepo.earliestUnsettledSeq(database.db, asked)).toBe(expected);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('backlog size for the status endpoint', () => {
  it('is exact, and not estimated, up to the exact-count limit', async () => {
    expect(await measurementsRepo.backlogSize(database.db)).toEqual({ count: 0, estimated: false });
    expect(await measurementsRepo.anyUnsettled(database.db)).toBe(false);
    await insertBacklog(Array.from({ length: measurementsRepo.EXACT_BACKLOG_COUNT }, (_, i) => ({ kind: 'a', seq: i + 1 })));
    expect(await measurementsRepo.backlogSize(database.db)).toEqual({ count: measurementsRepo.EXACT_BACKLOG_COUNT, estimated: false });
    expect(await measurementsRepo.anyUnsettled(database.db)).toBe(true);
  });

  it('says it is an estimate beyond the limit, and never reports fewer rows than it counted', async () => {
    const n = measurementsRepo.EXACT_BACKLOG_COUNT + 2_000;
    await insertBacklog(Array.from({ length: n }, (_, i) => ({ kind: 'b', seq: i + 1 })));
    const size = await measurementsRepo.backlogSize(database.db);
    expect(size.estimated).toBe(true);
    expect(size.count).toBeGreaterThan(measurementsRepo.EXACT_BACKLOG_COUNT);
    // The live-row statistic may lag by a second (earlier tests' truncated rows may still be
    // in it), but it can never exceed every row this file inserted.
    expect(size.count).toBeLessThanOrEqual(insertedEver);
  });
});

describe("the reconciler's claim on stale measurements", () => {
  /** Inserts waiting measurements whose clock started `minutesAgo` minutes ago; returns their ids by seq. */
  async function waiting(rows: Array<{ seq: number; minutesAgo: number }>): Promise<string[]> {
    const ids = rows.map(() => randomUUID());
    await sql`
      insert into settlement_backlog (measurement_id, kind_key, seq, since)
      select id, 'k', seq, now() - make_interval(mins => ago)
        from unnest(${ids}::uuid[], ${rows.map((r) => String(r.seq))}::bigint[], ${rows.map((r) => r.minutesAgo)}::int[]) as t(id, seq, ago)`.execute(
      database.db,
    );
    return ids;
  }
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
  /** The claimed ids, sorted (UPDATE … RETURNING gives them in no particular order). */
  const claim = async (db: Parameters<typeof measurementsRepo.claimStaleUnsettled>[0], limit = 100) =>
    (await measurementsRepo.claimStaleUnsettled(db, minutesAgo(20), limit)).sort();

  it('takes the stale ones oldest first up to the limit, and restarts their clock, so a second claim (any process) finds none', async () => {
    const [a, b, fresh, c] = await waiting([
      { seq: 1, minutesAgo: 30 },
      { seq: 2, minutesAgo: 25 },
      { seq: 3, minutesAgo: 5 },
      { seq: 4, minutesAgo: 21 },
    ]);
    expect(await claim(database.db, 2)).toEqual([a!, b!].sort());
    expect(await claim(database.db)).toEqual([c]);
    expect(await claim(database.db)).toEqual([]);
    const { rows } = await sql<{ measurement_id: string; recent: boolean }>`
      select measurement_id, since > now() - interval '1 minute' as recent from settlement_backlog order by seq`.execute(database.db);
    expect(rows).toEqual([a, b, fresh, c].map((id) => ({ measurement_id: id, recent: id !== fresh })));
  });

  it('never gives one measurement to two claims at once, and a claim rolled back (the jobs not added) claims nothing', async () => {
    const ids = await waiting(Array.from({ length: 6 }, (_, i) => ({ seq: i + 1, minutesAgo: 40 })));
    const taken = await database.db.transaction().execute(async (first) => {
      const mine = await claim(first, 3);
      const theirs = await database.db.transaction().execute((second) => claim(second));
      return { mine, theirs };
    });
    expect(taken.mine).toEqual(ids.slice(0, 3).sort());
    expect(taken.theirs).toEqual(ids.slice(3).sort());
    await sql`update settlement_backlog set since = now() - interval '40 minutes'`.execute(database.db);
    const failed = await database.db
      .transaction()
      .execute(async (trx) => {
        await claim(trx);
        throw new Error('queue down');
      })
      .catch((err: Error) => err.message);
    expect(failed).toBe('queue down');
    expect(await claim(database.db)).toEqual([...ids].sort());
  });
});
