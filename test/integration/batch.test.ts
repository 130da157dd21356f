import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { count, ok } from './registry/helpers.js';

let t: TestApp;
const children: Array<{ id: string; ref: string }> = [];
const CPR = '150319-4123';
let cprChildId: string;

beforeAll(async () => {
  t = await createTestApp();
  ok(await t.call('POST', '/v1/measurement-kinds', { key: 'reading', type: 'number', min: 1, max: 100 }), 201);
  for (let i = 0; i < 5; i++) {
    const c = ok(await t.call('POST', '/v1/children', { birth_date: '2017-02-10', external_ref: `ref-${i}` }), 201);
    children.push({ id: c.id, ref: `ref-${i}` });
  }
  cprChildId = ok(await t.call('POST', '/v1/children', { cpr: CPR }), 201).id;
});
afterAll(async () => t?.close());

const item = (over: Record<string, unknown>) => ({ kind: 'reading', period: 'grade-2', value: 70, measured_on: '2025-03-12', ...over });

describe('POST /v1/measurements/batch (JSON array)', () => {
  it('reports each item; bad items never reject the good ones', async () => {
    const before = await count(t, 'measurements');
    const res = ok(
      await t.call('POST', '/v1/measurements/batch', [
        item({ child_id: children[0]!.id }),
        item({ child_ref: children[1]!.ref }),
        item({ cpr: CPR }),
        item({ child_id: children[2]!.id, value: 101 }), // out of range
        item({ child_ref: 'nobody' }), // unknown child
        item({ child_id: children[3]!.id, measured_on: '2023-02-30' }), // impossible date
        item({ child_id: children[3]!.id, measured_on: '2099-01-01' }), // future
        item({ child_id: children[3]!.id, kind: 'height' }), // unknown kind
        item({ cpr: '150319-412' }), // invalid CPR
        { kind: 'reading' }, // missing fields
      ]),
    );
    expect(res.summary).toEqual({ total: 10, accepted: 3, corrected: 0, unchanged: 0, rejected: 7 });
    const rejected = res.results.filter((r: { outcome: string }) => r.outcome === 'rejected');
    expect(rejected.map((r: { index: number; problem: { errors: Array<{ field: string }> } }) => [r.index, r.problem.errors[0]!.field])).toEqual([
      [3, 'value'],
      [4, 'child_ref'],
      [5, 'measured_on'],
      [6, 'measured_on'],
      [7, 'kind'],
      [8, 'cpr'],
      [9, 'period'],
    ]);
    const missing = rejected.at(-1).problem.errors.map((e: { field: string }) => e.field);
    expect(missing).toEqual(expect.arrayContaining(['period', 'value', 'measured_on']));
    expect(await count(t, 'measurements')).toBe(before + 3);
    const viaCpr = res.results[2];
    expect((await t.call('GET', `/v1/measurements/${viaCpr.measurement_id}`)).body.child_id).toBe(cprChildId);
  });

  it('is idempotent per identity: unchanged, then corrected; a repeat inside one batch is applied in order', async () => {
    const res = ok(
      await t.call('POST', '/v1/measurements/batch', [
        item({ child_id: children[0]!.id }), // same as before → unchanged
        item({ child_ref: children[1]!.ref, value: 55 }), // corrected
        item({ child_id: children[4]!.id, value: 10 }), // accepted
        item({ child_id: children[4]!.id, value: 11 }), // corrects the previous item
      ]),
    );
    expect(res.results.map((r: { outcome: string }) => r.outcome)).toEqual(['unchanged', 'corrected', 'accepted', 'corrected']);
    const m = (await t.call('GET', `/v1/measurements/${res.results[3].measurement_id}`)).body;
    expect(m).toMatchObject({ value: 11, revision: 2 });
  });

  it('refuses more than 10,000 items with 413, storing nothing', async () => {
    const before = await count(t, 'measurements');
    const res = await t.call(
      'POST',
      '/v1/measurements/batch',
      Array.from({ length: 10_001 }, () => item({ child_id: children[0]!.id })),
    );
    expect(res.status).toBe(413);
    expect(await count(t, 'measurements')).toBe(before);
  });
});

describe('POST /v1/measurements/batch (NDJSON stream)', () => {
  it('streams per-item results and a summary, reporting malformed lines', async () => {
    const lines = [
      JSON.stringify(item({ child_id: children[0]!.id, period: 'grade-3' })),
      '{"kind": "reading", ',
      '',
      JSON.stringify(item({ child_ref: children[2]!.ref, period: 'grade-3', value: 80 })),
    ];
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/measurements/batch',
      headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/x-ndjson' },
      payload: lines.join('\n'),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/x-ndjson/);
    const out = res.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out.slice(0, 3).map((r) => [r.index, r.outcome])).toEqual([
      [0, 'accepted'],
      [1, 'rejected'],
      [2, 'accepted'],
    ]);
    expect(out[1].problem.errors[0].field).toBe('line');
    expect(out[3].summary).toMatchObject({ total: 3, accepted: 2, rejected: 1 });
  });

  it('refuses an NDJSON line with a __proto__ key as a line (a schema would drop the key silently)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/children/batch',
      headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/x-ndjson' },
      payload: [
        '{"external_ref":"proto-1","birth_date":"2018-01-01","attributes":{"__proto__":{"restgruppe_origin":true}}}',
        '{"external_ref":"proto-2","birth_date":"2018-01-01","attributes":{"note":"__proto__ in a value is fine"}}',
      ].join('\n'),
    });
    const out = res.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out.slice(0, 2).map((r) => r.outcome)).toEqual(['rejected', 'accepted']);
    expect(out[0].problem.errors[0].field).toBe('line');
    const stored = await t.ctx.db.selectFrom('children').select('external_ref').where('external_ref', 'in', ['proto-1', 'proto-2']).execute();
    expect(stored.map((c) => c.external_ref)).toEqual(['proto-2']);
  });

  it('handles more items than one chunk, and settles them', async () => {
    const many = Array.from({ length: 2_500 }, (_, i) => JSON.stringify(item({ child_id: children[i % 5]!.id, period: `p-${i}`, value: 1 + (i % 100) })));
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/measurements/batch',
      headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/x-ndjson' },
      payload: many.join('\n') + '\n',
    });
    const out = res.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out.at(-1).summary).toMatchObject({ total: 2500, accepted: 2500, rejected: 0 });
    expect(new Set(out.slice(0, -1).map((r) => r.index)).size).toBe(2500);
    await t.settled();
    const status = ok(await t.call('GET', '/v1/settlement/status'));
    expect(status.unsettled_measurements).toBe(0);
    // Settled means sealed too: the status counts journal entries still waiting for the sealer.
    expect(status).toMatchObject({ ledger_unsealed: 0, idle: true });
  });
});

describe('POST /v1/enrolments/batch', () => {
  it('imports enrolments with per-item results; re-importing is unchanged; overlaps are rejected', async () => {
    ok(await t.call('POST', '/v1/institutions', { code: 'B-1', kind: 'boernehave', name: 'B1' }), 201);
    const items = [
      { child_id: children[0]!.id, institution: 'B-1', start: '2020-02-10', end: '2021-02-10' },
      { child_ref: children[1]!.ref, institution: 'B-1', start: '2020-02-10', end: null },
      { cpr: CPR, institution: 'B-1', start: '2022-08-01', end: '2023-08-01' },
      { child_id: children[0]!.id, institution: 'B-1', start: '2021-01-01', end: '2021-06-01' }, // overlaps item 0
      { child_id: children[2]!.id, institution: 'NOPE', start: '2020-01-01' },
      { child_id: children[2]!.id, institution: 'B-1', start: '2020-01-01', end: '2019-01-01' },
      { child_id: children[2]!.id, institution: 'B-1', start: '2010-01-01', end: '2011-01-01' }, // before birth
    ];
    const first = ok(await t.call('POST', '/v1/enrolments/batch', items));
    expect(first.results.map((r: { outcome: string; problem?: { errors: Array<{ field: string }> } }) => r.problem?.errors[0]?.field ?? r.outcome)).toEqual([
      'accepted',
      'accepted',
      'accepted',
      'start',
      'institution',
      'end',
      'start',
    ]);
    const again = ok(await t.call('POST', '/v1/enrolments/batch', items.slice(0, 3)));
    expect(again.summary).toMatchObject({ total: 3, unchanged: 3, accepted: 0 });
    const listed = ok(await t.call('GET', `/v1/enrolments?child=${children[0]!.id}`)).items;
    expect(listed).toHaveLength(1);
  });

  it('an integration without enrolment scope gets 403 per item', async () => {
    const key = ok(
      await t.call('POST', '/v1/api-keys', { name: 'i', role: 'integration', scope: { kinds: null, institutions: null, enrolments: false } }),
      201,
    ).key;
    const res = ok(await t.call('POST', '/v1/enrolments/batch', [{ child_id: children[3]!.id, institution: 'B-1', start: '2020-01-01' }], key));
    expect(res.results[0].problem.status).toBe(403);
  });
});

describe('POST /v1/children/batch', () => {
  it('registers children, derives birth dates from CPRs, and is safe to re-run', async () => {
    const items = [
      { external_ref: 'imp-1', birth_date: '2020-01-01', attributes: { restgruppe_origin: true } },
      { cpr: '0102031234' },
      { cpr: '010203-1234' }, // the same CPR again in one batch
      { cpr: '320203-1234' }, // no 32nd day
      { birth_date: '2099-01-01' },
      { external_ref: 'ref-0', birth_date: '2017-02-10' }, // registered in beforeAll
    ];
    const res = ok(await t.call('POST', '/v1/children/batch', items));
    expect(res.results.map((r: { outcome: string }) => r.outcome)).toEqual(['accepted', 'accepted', 'rejected', 'rejected', 'rejected', 'unchanged']);
    expect(res.results[5].child_id).toBe(children[0]!.id);
    const viaCpr = ok(await t.call('GET', `/v1/children/${res.results[1].child_id}`));
    expect(viaCpr).toMatchObject({ birth_date: '1903-02-01', has_cpr: true });
    const again = ok(await t.call('POST', '/v1/children/batch', items.slice(0, 2)));
    expect(again.results.map((r: { outcome: string }) => r.outcome)).toEqual(['unchanged', 'unchanged']);
    expect(again.results[1].child_id).toBe(res.results[1].child_id);
  });
});
