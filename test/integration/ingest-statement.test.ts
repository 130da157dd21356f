import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.js';
import { loadConfig } from '../../src/config.js';
import { createContext, type AppContext } from '../../src/context.js';
import { arrayLiteral } from '../../src/db/bulk.js';
import { createLogger } from '../../src/logger.js';
import type { ItemResult } from '../../src/services/measurement-ingest.js';
import { freshDatabaseUrl } from '../support/db.js';
import { adminActor } from '../support/admin.js';

/**
 * A bulk chunk of new identities is stored by one statement (measurements and their outbox
 * messages; DECISIONS D213). On both engines it must leave exactly what the transaction of
 * separate statements left: the rows as sent (hostile text included), the settlement backlog
 * the statement-level trigger keeps, and the settle messages in item order — and nothing at all
 * when it fails and the chunk is redone the slow way.
 */
const HOSTILE = ['plain', 'comma, and "quotes"', 'back\\slash \\" é ø 😀', '{braces}', ' NULL', 'NULL', '', 'line\nbreak\ttab', "it's"];

describe.each([
  ['embedded PGlite', 'pglite'],
  ['PostgreSQL', 'postgres'],
] as const)('bulk ingest as one statement on %s', (_label, kind) => {
  let ctx: AppContext;
  let actor: Principal;
  const children: string[] = [];

  // A fresh embedded PGlite applies every migration in WebAssembly: over a minute on a loaded 2-core machine.
  beforeAll(async () => {
    const env = kind === 'postgres' ? { DATABASE_URL: await freshDatabaseUrl(), PG_POOL_MAX: '3' } : {};
    ctx = await createContext(loadConfig({ ...env, LOG_LEVEL: 'silent' }), createLogger('silent'), { inMemory: true });
    expect(ctx.database.kind).toBe(kind);
    // The outbox is read here: no relay moves its rows away meanwhile.
    await ctx.relay.stop();
    actor = await adminActor(ctx);
    const values = [...HOSTILE.map((h) => `v${h}`), 'changed', 'new', 'first', 'second'];
    await ctx.services.kinds.createMeasurementKind(actor, { key: 'note', type: 'enum', values });
    for (let i = 0; i < 4; i++) children.push((await ctx.services.children.register(actor, { birth_date: '2016-05-01', external_ref: `st-${i}` })).id);
  }, 180_000);
  afterAll(async () => ctx?.close());

  const item = (i: number, value: string, source: string | null = null) => ({
    child_ref: `st-${i % 4}`,
    kind: 'note',
    period: `p-${i}-${HOSTILE[i % HOSTILE.length]}`.trim(),
    value,
    measured_on: '2024-01-10',
    source,
  });

  /** Outbox rows after `after`, in id order. */
  const outboxAfter = async (after: bigint) =>
    (
      await sql<{ id: string; topic: string; payload: { measurementIds: string[] } }>`
        select id::text as id, topic, payload from outbox where id > ${after.toString()}::bigint order by id`.execute(ctx.db)
    ).rows;
  const lastOutboxId = async () => BigInt((await sql<{ id: string }>`select coalesce(max(id), 0)::text as id from outbox`.execute(ctx.db)).rows[0]!.id);

  /** The backlog must be exactly the stored measurements: no worker settles here, so every one waits. */
  const expectBacklogExact = async () => {
    const backlog = await sql<{ id: string; kind_key: string; seq: string }>`
      select measurement_id as id, kind_key, seq::text as seq from settlement_backlog order by measurement_id`.execute(ctx.db);
    const waiting = await sql<{ id: string; kind_key: string; seq: string }>`
      select id, kind_key, seq::text as seq from measurements order by id`.execute(ctx.db);
    expect(backlog.rows).toEqual(waiting.rows);
    return backlog.rows.length;
  };

  const accepted = (results: ItemResult[]) => results.filter((r) => r.outcome === 'accepted').map((r) => (r as { measurement_id: string }).measurement_id);

  it('stores new identities as sent, with exactly their backlog rows and settle messages in item order', async () => {
    const before = await lastOutboxId();
    const items = Array.from({ length: 1_203 }, (_, i) => item(i, `v${HOSTILE[i % HOSTILE.length]}`, i % 3 ? HOSTILE[i % HOSTILE.length]! : null));
    const results = await ctx.services.measurements.ingest.ingest(actor, items);
    expect(results.map((r) => [r.index, r.outcome])).toEqual(items.map((_, i) => [i, 'accepted']));
    const ids = accepted(results);
    expect(new Set(ids).size).toBe(ids.length);
    // Time-ordered ids (UUIDv7, D227), made in item order: each sorts after the one before.
    expect(ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id))).toBe(true);
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1]!)).toBe(true);

    const rows = await sql<{ id: string; child_id: string; period: string; value: unknown; source: string | null; submitted_by: string; seq: string }>`
      select id, child_id, period, value, source, submitted_by, seq::text as seq from measurements where id = any(${ids}::uuid[])`.execute(ctx.db);
    const byId = new Map(rows.rows.map((r) => [r.id, r]));
    items.forEach((it, i) => {
      const row = byId.get(ids[i]!)!;
      expect({ child: row.child_id, period: row.period, value: row.value, source: row.source, by: row.submitted_by }).toEqual({
        child: children[i % 4],
        period: it.period,
        value: it.value,
        source: it.source === null ? null : it.source.trim(),
        by: actor.keyId,
      });
    });
    // Acceptance order is item order.
    const seqs = ids.map((id) => BigInt(byId.get(id)!.seq));
    expect(seqs.every((s, i) => i === 0 || s > seqs[i - 1]!)).toBe(true);

    expect(await expectBacklogExact()).toBe(ids.length);
    const outbox = await outboxAfter(before);
    expect(outbox.map((o) => o.topic)).toEqual(['settle', 'settle', 'settle']);
    expect(outbox.map((o) => o.payload.measurementIds)).toEqual([ids.slice(0, 500), ids.slice(500, 1_000), ids.slice(1_000)]);
  });

  it('redoes a chunk that meets an existing identity the slow way, leaving nothing of the failed statement', async () => {
    const before = await lastOutboxId();
    const count = async () => Number((await sql<{ n: string }>`select count(*)::text as n from measurements`.execute(ctx.db)).rows[0]!.n);
    const n0 = await count();
    // Items 0–1 exist (one changed, one the same); 2,000–2,199 are new.
    const items = [item(0, 'changed'), item(1, `v${HOSTILE[1]}`, HOSTILE[1]!), ...Array.from({ length: 200 }, (_, i) => item(2_000 + i, 'new'))];
    const results = await ctx.services.measurements.ingest.ingest(actor, items);
    expect(results.slice(0, 2).map((r) => r.outcome)).toEqual(['corrected', 'unchanged']);
    expect(results.slice(2).every((r) => r.outcome === 'accepted')).toBe(true);
    expect(await count()).toBe(n0 + 200);
    await expectBacklogExact();
    // Only the redone transaction's message: the corrected and the new, once each.
    const outbox = await outboxAfter(before);
    expect(outbox.map((o) => o.payload.measurementIds)).toEqual([[...accepted(results), (results[0] as { measurement_id: string }).measurement_id]]);
  });

  it('applies a repeated identity within a chunk in order (rounds), with the same backlog', async () => {
    const items = [...Array.from({ length: 150 }, (_, i) => item(3_000 + i, 'first')), item(3_000, 'second')];
    const results = await ctx.services.measurements.ingest.ingest(actor, items);
    expect(results.at(-1)).toMatchObject({ outcome: 'corrected', measurement_id: (results[0] as { measurement_id: string }).measurement_id });
    const { rows } = await sql<{ value: unknown; revision: number }>`
      select value, revision from measurements where id = ${(results[0] as { measurement_id: string }).measurement_id}::uuid`.execute(ctx.db);
    expect(rows).toEqual([{ value: 'second', revision: 2 }]);
    await expectBacklogExact();
  });

  it('reads back every array literal as the texts it was built from', async () => {
    const texts = [...HOSTILE, null, 'a"b\\c', '\\', '"', ',', '}', '{', 'x y', '\u00e9\u0301'];
    const { rows } = await sql<{ t: Array<string | null> }>`select ${arrayLiteral(texts)}::text[] as t`.execute(ctx.db);
    expect(rows[0]!.t).toEqual(texts);
    const empty = await sql<{ n: number }>`select cardinality(${arrayLiteral([])}::text[]) as n`.execute(ctx.db);
    expect(empty.rows[0]!.n).toBe(0);
  });
});
