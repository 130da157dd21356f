/**
 * How settlement stores an award (issue 14, settlement CPU per award):
 *
 * - migration 0032 (D210): the explanation and export head columns compress with lz4 on a
 *   PostgreSQL server built with it, and the migration passes on one without (the embedded PGlite);
 * - `upsertMany` (D211): an award at revision 1 is inserted plainly, so a row that already exists
 *   for its rule and measurement is refused, never overwritten; later revisions overwrite.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, type Database } from '../../../src/db/database.js';
import * as awardsRepo from '../../../src/repositories/awards.js';
import { LZ4_COLUMNS, up as lz4Up } from '../../../migrations/0032_explanation_lz4.js';
import { openFreshDatabase } from '../../support/db.js';

/** Each column's compression setting ('' = the server's default_toast_compression). */
async function compressionOf(db: Kysely<never>): Promise<Record<string, string>> {
  const { rows } = await sql<{ col: string; c: string }>`
    select c.relname || '.' || a.attname as col, a.attcompression::text as c
      from pg_attribute a join pg_class c on c.oid = a.attrelid
     where c.relname in ('awards', 'award_revisions') and a.attname in ('explanation', 'export_head') and not a.attisdropped`.execute(db);
  return Object.fromEntries(rows.map((r) => [r.col, r.c]));
}

/** An award as settlement writes it, with an explanation of `bytes` bytes of JSON text. */
function award(over: { revision: number; rule_id: string; measurement_id: string; id?: string; amount?: bigint; bytes?: number }) {
  const explanationText = JSON.stringify({ rule_version_id: null, steps: 'x'.repeat(over.bytes ?? 200), revision: over.revision });
  const amount = over.amount ?? 1000n;
  return {
    id: over.id ?? randomUUID(),
    revision: over.revision,
    rule_id: over.rule_id,
    measurement_id: over.measurement_id,
    fund_id: randomUUID(),
    child_id: randomUUID(),
    measurement_seq: 1n,
    rule_version_id: null,
    status: 'awaiting_funds' as const,
    earned: true,
    amount_ore: amount,
    payout_total_ore: amount,
    retained_ore: 0n,
    reserved_ore: 0n,
    reserve_target_ore: amount,
    result_hash: `h${over.revision}`,
    explanation: JSON.parse(explanationText) as unknown,
    explanation_text: explanationText,
    explanation_sha256: null,
    provisional_since: null,
    review_until: null,
    finalised_at: null,
  };
}

describe('award storage on PostgreSQL', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openFreshDatabase(2);
  });
  afterAll(async () => database?.close());

  it('compresses explanations and export heads with lz4 (migration 0032), values read back unchanged', async () => {
    const db = database.db as unknown as Kysely<never>;
    expect(await compressionOf(db)).toEqual(Object.fromEntries(LZ4_COLUMNS.map(([t, c]) => [`${t}.${c}`, 'l'])));
    // A tuple over the toast threshold (~2 kB) is compressed, with the column's method.
    const a = award({ revision: 1, rule_id: randomUUID(), measurement_id: randomUUID(), bytes: 6000 });
    await awardsRepo.upsertMany(database.db, [a], new Date());
    const { rows } = await sql<{ m: string | null; text: string }>`
      select pg_column_compression(explanation) as m, explanation::text as text from awards where id = ${a.id}::uuid`.execute(db);
    expect(rows).toEqual([{ m: 'lz4', text: a.explanation_text }]);
  });

  it('inserts a new award plainly: an existing row for its rule and measurement is refused, not overwritten', async () => {
    const db = database.db as unknown as Kysely<never>;
    const key = { rule_id: randomUUID(), measurement_id: randomUUID() };
    const first = award({ revision: 1, ...key, amount: 1000n });
    await awardsRepo.upsertMany(database.db, [first], new Date());
    // A second "new" award for the same rule and measurement (a planner that missed the current one).
    await expect(
      database.db.transaction().execute((trx) => awardsRepo.upsertMany(trx, [award({ revision: 1, ...key, amount: 5000n })], new Date())),
    ).rejects.toMatchObject({ code: '23505' });
    const read = async () =>
      (
        await sql<{ id: string; revision: number; amount_ore: string }>`
        select id::text, revision, amount_ore::text from awards where rule_id = ${key.rule_id}::uuid and measurement_id = ${key.measurement_id}::uuid`.execute(
          db,
        )
      ).rows;
    expect(await read()).toEqual([{ id: first.id, revision: 1, amount_ore: '1000' }]);
    // Its next revision (the planner found the current award) overwrites it, beside a new award in the same call.
    const other = award({ revision: 1, rule_id: randomUUID(), measurement_id: key.measurement_id });
    await awardsRepo.upsertMany(database.db, [award({ revision: 2, ...key, id: first.id, amount: 7000n }), other], new Date());
    expect(await read()).toEqual([{ id: first.id, revision: 2, amount_ore: '7000' }]);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from awards where measurement_id = ${key.measurement_id}::uuid`.execute(db);
    expect(rows[0]!.n).toBe(2);
  });
});

describe('migration 0032 on the embedded PGlite (no lz4)', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openPglite(null);
    // Only the columns the migration sets (the full chain takes a minute in WebAssembly; other
    // files run it whole, 0032 included).
    await sql`create table awards (id uuid primary key, explanation json not null, export_head text)`.execute(database.db);
    await sql`create table award_revisions (award_id uuid, revision int, explanation json, export_head text)`.execute(database.db);
  }, 60_000);
  afterAll(async () => database?.close());

  it('passes and leaves the columns at the default compression', async () => {
    const db = database.db as unknown as Kysely<never>;
    await expect(sql`alter table awards alter column explanation set compression lz4`.execute(db)).rejects.toThrow(/lz4 not supported/);
    await lz4Up(database.db as unknown as Kysely<unknown>);
    expect(await compressionOf(db)).toEqual(Object.fromEntries(LZ4_COLUMNS.map(([t, c]) => [`${t}.${c}`, ''])));
  });
});
