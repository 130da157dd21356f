/**
 * Finalisation in batches that follow the `awards_due` index with a cursor (migration 0009):
 * more awards than one batch, review windows ending at the same microsecond, a scheduled pass
 * that must stop at awards not yet due, and two early finalisations racing. Each award must be
 * finalised exactly once, in the documented order, and the ledger must still verify.
 */
import { sealAll } from '../../../src/services/ledger-sealer.js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed } from '../../../src/seed/seed.js';
import { createTestApp, type TestApp } from '../../support/app.js';
import { ok } from '../registry/helpers.js';
import { expectLedgerInvariants } from './invariants.js';

let t: TestApp;
let provisional: string[];

// Shared by many awards, with microseconds a JavaScript Date cannot hold: a cursor that lost
// them would skip or repeat awards at the boundary.
const DUE = ['2026-01-05 10:00:00.000001+00', '2026-01-05 10:00:00.000002+00', '2026-02-01 00:00:00.5+00'];

beforeAll(async () => {
  t = await createTestApp();
  const actor = (await t.ctx.apiKeys.authenticate(t.adminKey))!;
  await seed(t.ctx.services, actor, { children: 1_500, seed: 5, today: '2026-11-22' });
  await t.settled();
  provisional = (await sql<{ id: string }>`select id from awards where status = 'provisional' order by id`.execute(t.ctx.db)).rows.map((r) => r.id);
}, 180_000);
afterAll(() => t?.close());

async function finaliseEntries(): Promise<Array<{ award_id: string }>> {
  await sealAll(t.ctx.db);
  return (await sql<{ award_id: string }>`select award_id from journal_entries where kind = 'finalise' order by seq`.execute(t.ctx.db)).rows;
}

describe('finalisation in batches', () => {
  it('has more provisional awards than one batch holds', () => {
    expect(provisional.length).toBeGreaterThan(1_000);
  });

  it('finalises exactly the due awards, first due first, ties in acceptance order', async () => {
    // Two thirds due (at one of the DUE instants), the rest due in a year.
    const due = provisional.filter((_, i) => i % 3 !== 2);
    await sql`
      update awards a set review_until = v.at::timestamptz
      from (select unnest(${due}::uuid[]) as id, unnest(${due.map((_, i) => DUE[i % DUE.length]!)}::text[]) as at) v
      where a.id = v.id`.execute(t.ctx.db);
    await sql`update awards set review_until = now() + interval '365 days' where status = 'provisional' and not (id = any(${due}::uuid[]))`.execute(t.ctx.db);

    const finalised = await t.ctx.services.settlement.finalise({ early: false });
    expect(finalised).toBe(due.length);

    const expectedOrder = (
      await sql<{ id: string }>`
      select id from awards where id = any(${due}::uuid[]) order by review_until, measurement_seq, id`.execute(t.ctx.db)
    ).rows.map((r) => r.id);
    expect((await finaliseEntries()).map((e) => e.award_id)).toEqual(expectedOrder);

    const statuses = (
      await sql<{ status: string; n: string }>`
      select status, count(*)::text as n from awards where id = any(${provisional}::uuid[]) group by status`.execute(t.ctx.db)
    ).rows;
    expect(Object.fromEntries(statuses.map((s) => [s.status, Number(s.n)]))).toEqual({ final: due.length, provisional: provisional.length - due.length });
  });

  it('finalises every remaining award once when two early finalisations race', async () => {
    const before = (await finaliseEntries()).length;
    const [a, b] = await Promise.all([t.ctx.services.settlement.finalise({ early: true }), t.ctx.services.settlement.finalise({ early: true })]);
    expect(a + b).toBe(provisional.length - before);

    const entries = await finaliseEntries();
    expect(entries).toHaveLength(provisional.length);
    expect(new Set(entries.map((e) => e.award_id)).size).toBe(provisional.length);
    const left = await sql<{ n: string }>`select count(*)::text as n from awards where status = 'provisional'`.execute(t.ctx.db);
    expect(left.rows[0]!.n).toBe('0');

    await expectLedgerInvariants(t.ctx.db);
    expect(ok(await t.call('GET', '/v1/ledger/verify'))).toMatchObject({ ok: true });
  });
});
