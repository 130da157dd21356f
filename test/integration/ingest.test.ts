import { PassThrough } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamNdjsonBatch, type BatchResult } from '../../src/http/batch.js';
import * as measurementsRepo from '../../src/repositories/measurements.js';
import { INGEST_CHUNK, ingestItemSchema, quickItem } from '../../src/services/measurement-ingest.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { count, ok } from './registry/helpers.js';

let t: TestApp;
const children: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  ok(await t.call('POST', '/v1/measurement-kinds', { key: 'score', type: 'number', min: 0, max: 1000 }), 201);
  for (let i = 0; i < 3; i++) children.push(ok(await t.call('POST', '/v1/children', { birth_date: '2016-05-01', external_ref: `ing-${i}` }), 201).id);
});
afterAll(async () => t?.close());

const ndjson = async (lines: unknown[]) => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/measurements/batch',
    headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/x-ndjson' },
    payload: lines.map((l) => JSON.stringify(l)).join('\n') + '\n',
  });
  expect(res.statusCode).toBe(200);
  return res.body
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
};

describe('batch ingest over several chunks', () => {
  it('stores chunks in order: a later chunk corrects an earlier one, a repeat is unchanged', async () => {
    const n = INGEST_CHUNK + 1_000;
    const item = (i: number, value: number) => ({ child_ref: `ing-${i % 3}`, kind: 'score', period: `c-${i}`, value, measured_on: '2024-01-10' });
    const lines = [
      ...Array.from({ length: n }, (_, i) => item(i, i % 1000)),
      item(1, 999), // chunk 2 corrects an item of chunk 1
      item(2, 2), // …and repeats one unchanged
      { kind: 'score' }, // bad item in chunk 2
    ];
    const out = await ndjson(lines);
    const summary = out.at(-1).summary;
    expect(summary).toEqual({ total: n + 3, accepted: n, corrected: 1, unchanged: 1, rejected: 1 });
    const results = out.slice(0, -1);
    expect(results.map((r) => r.index)).toEqual(Array.from({ length: n + 3 }, (_, i) => i));
    expect(results.at(-3)).toMatchObject({ outcome: 'corrected', measurement_id: results[1].measurement_id });
    expect(results.at(-2)).toMatchObject({ outcome: 'unchanged', measurement_id: results[2].measurement_id });
    expect(results.at(-1).problem.errors.map((e: { field: string }) => e.field)).toContain('period');
    const m = ok(await t.call('GET', `/v1/measurements/${results[1].measurement_id}`));
    expect(m).toMatchObject({ value: 999, revision: 2 });
    expect(await count(t, 'measurements')).toBeGreaterThanOrEqual(n);
  });
});

describe('revision history', () => {
  it('keeps every submission: the superseded ones in measurement_revisions, the current one in the row', async () => {
    const identity = { child_id: children[0]!, kind: 'score', period: 'hist' };
    const first = ok(await t.call('POST', '/v1/measurements', { ...identity, value: 1, measured_on: '2024-02-01' }), 201);
    const id = first.measurement.id;
    expect(await measurementsRepo.revisions(t.ctx.db, id)).toMatchObject([{ revision: 1, status: 'active', value: 1 }]);
    ok(await t.call('POST', '/v1/measurements/batch', [{ ...identity, value: 2, measured_on: '2024-02-02', source: ' lab ' }]));
    ok(await t.call('POST', '/v1/measurements/retract', identity));
    const revisions = await measurementsRepo.revisions(t.ctx.db, id);
    expect(revisions.map((r) => [r.revision, r.status, r.value, r.measured_on, r.source])).toEqual([
      [1, 'active', 1, '2024-02-01', null],
      [2, 'active', 2, '2024-02-02', 'lab'],
      [3, 'retracted', 2, '2024-02-02', 'lab'],
    ]);
    expect(revisions[0]!.created_at.getTime()).toBe(new Date(first.measurement.created_at).getTime());
  });
});

describe('references of measurements (checked per statement)', () => {
  const insert = (childId: string, kind: string, keyId: string | null = null) =>
    sql`insert into measurements (child_id, kind_key, period, value, measured_on, status, submitted_by)
        values (${childId}::uuid, ${kind}, 'ref-check', '1', '2024-01-01', 'active', ${keyId}::uuid)`.execute(t.ctx.db);
  const code = (p: Promise<unknown>) =>
    p.then(
      () => 'ok',
      (e: { code?: string; constraint?: string }) => `${e.code} ${e.constraint ?? ''}`.trim(),
    );

  it('refuses an unknown child, kind or key like the foreign keys did', async () => {
    expect(await code(insert('00000000-0000-4000-8000-000000000000', 'score'))).toBe('23503 measurements_child_id_fkey');
    expect(await code(insert(children[1]!, 'nope'))).toBe('23503 measurements_kind_key_fkey');
    expect(await code(insert(children[1]!, 'score', '00000000-0000-4000-8000-000000000000'))).toBe('23503 measurements_submitted_by_fkey');
    const { rows } = await sql<{ id: string }>`select id from measurements limit 1`.execute(t.ctx.db);
    expect(await code(sql`update measurements set submitted_by = gen_random_uuid() where id = ${rows[0]!.id}::uuid`.execute(t.ctx.db))).toBe(
      '23503 measurements_submitted_by_fkey',
    );
  });

  it('refuses deleting a child, kind or key that measurements reference', async () => {
    const child = ok(await t.call('POST', '/v1/children', { birth_date: '2016-05-01' }), 201).id;
    expect(await code(insert(child, 'score'))).toBe('ok');
    expect(await code(sql`delete from children where id = ${child}::uuid`.execute(t.ctx.db))).toBe('23503');
    expect(await code(sql`delete from measurement_kinds where key = 'score'`.execute(t.ctx.db))).toMatch(/^23503/);
  });
});

describe('quickItem', () => {
  it('never accepts what the schema refuses, and returns what the schema returns', () => {
    const id = children[0] ?? '6f1c1b5e-8a0e-4b6f-9d3e-2a1b3c4d5e6f';
    const base = { kind: 'k', period: 'p', value: 1, measured_on: '2024-02-29' };
    const cases: unknown[] = [
      { ...base, child_id: id },
      { ...base, child_ref: ' r ' },
      { ...base, cpr: '0102031234', source: null },
      { ...base, child_ref: 'r', source: '  s  ' },
      { ...base, child_ref: 'r', period: '  p  ', value: 'x'.repeat(200) },
      { ...base, child_ref: 'r', value: true },
      { ...base, child_id: 'not-a-uuid' },
      { ...base, child_id: id, child_ref: 'r' },
      { ...base },
      { ...base, child_ref: '   ' },
      { ...base, child_ref: 'r', period: '   ' },
      { ...base, child_ref: 'r', measured_on: '2023-02-29' },
      { ...base, child_ref: 'r', value: Infinity },
      { ...base, child_ref: 'r', value: null },
      { ...base, child_ref: 'r', value: 'x'.repeat(201) },
      { ...base, child_ref: 'r', kind: '' },
      { ...base, child_ref: 'r', extra: 1 },
      { ...base, child_ref: 'r', source: 'x'.repeat(201) },
      { ...base, child_ref: 'r', source: 5 },
      { ...base, cpr: 'x'.repeat(21) },
      { ...base, child_ref: 1 },
      [],
      null,
      'text',
      JSON.parse('{"__proto__": {"x": 1}, "kind": "k", "period": "p", "value": 1, "measured_on": "2024-01-01", "child_ref": "r"}'),
    ];
    for (const c of cases) {
      const quick = quickItem(c);
      const zod = ingestItemSchema.safeParse(c);
      if (quick !== undefined) {
        expect(zod.success, JSON.stringify(c)).toBe(true);
        expect(quick, JSON.stringify(c)).toEqual(zod.data);
      }
    }
    expect(cases.filter((c) => quickItem(c) !== undefined)).toHaveLength(6);
  });
});

describe('streamNdjsonBatch with overlap', () => {
  it('stores chunk n+1 only after chunk n, and a failure part-way leaves every reported item stored', async () => {
    const input = new PassThrough();
    let body = '';
    const reply = { type: () => ({ send: (s: PassThrough) => s.on('data', (d: Buffer) => (body += d)) }) };
    const stored: number[] = [];
    const events: string[] = [];
    const ended = new Promise<void>((resolve) => {
      streamNdjsonBatch<BatchResult>(
        input,
        reply as never,
        async (items, offset, previous) => {
          events.push(`check ${offset}`);
          if (previous) await previous;
          events.push(`store ${offset}`);
          await new Promise((r) => setTimeout(r, 20));
          if (offset === 4) throw new Error('database went away');
          stored.push(...items.map((_, i) => offset + i));
          return items.map((_, i) => ({ index: offset + i, outcome: 'accepted' }));
        },
        { warn: () => undefined },
        { chunk: 2, overlap: true },
      );
      const timer = setInterval(() => body.includes('"error"') && (clearInterval(timer), resolve()), 5);
    });
    input.end(Array.from({ length: 8 }, (_, i) => `{"n":${i}}`).join('\r\n'));
    await ended;
    const lines = body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.slice(0, -1).map((l) => l.index)).toEqual(stored);
    expect(stored).toEqual([0, 1, 2, 3]);
    expect(lines.at(-1)).toMatchObject({ error: { status: 503 }, summary: { accepted: 4 } });
    // Chunk 1 was checked while chunk 0 was being stored, and stored only after it.
    expect(events.indexOf('check 2')).toBeLessThan(events.indexOf('store 2'));
    expect(events.indexOf('store 0')).toBeLessThan(events.indexOf('store 2'));
    expect(events).not.toContain('store 6');
  });
});
