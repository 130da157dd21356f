import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/app.js';
import { allPages, count, createKey, expectProblem, ok } from './helpers.js';

let t: TestApp;
const post = (body: unknown) => t.call('POST', '/v1/institutions', body);
const create = async (body: Record<string, unknown>) => ok(await post(body), 201);

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

describe('institutions', () => {
  it('registers an institution, defaulting the name to the code', async () => {
    const inst = await create({ code: ' V-101 ', kind: 'vuggestue', municipality: 'Odense' });
    expect(inst).toEqual({
      id: expect.any(String),
      code: 'V-101',
      kind: 'vuggestue',
      name: 'V-101',
      municipality: 'Odense',
      closed_on: null,
      successor: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(ok(await t.call('GET', `/v1/institutions/${inst.id}`))).toEqual(inst);
  });

  it('accepts a successor by code or id and rejects unknown ones', async () => {
    const b = await create({ code: 'B-202', kind: 'boernehave', name: 'Solsikken' });
    const a = await create({ code: 'B-201', kind: 'boernehave', closed_on: '2021-01-01', successor: 'B-202' });
    expect(a.successor).toEqual({ id: b.id, code: 'B-202' });
    const c = await create({ code: 'B-203', kind: 'boernehave', successor: b.id });
    expect(c.successor).toEqual({ id: b.id, code: 'B-202' });

    const before = await count(t, 'institutions');
    expectProblem(await post({ code: 'X-1', kind: 'boernehave', successor: 'NOPE' }), 422, 'body.successor');
    expectProblem(await post({ code: 'X-1', kind: 'planetarium' }), 422, 'body.kind');
    expectProblem(await post({ code: 'B-201', kind: 'boernehave' }), 409, 'body.code');
    expectProblem(await post({ code: 'X-1', kind: 'boernehave', closed_on: '2023-02-30' }), 400, 'body.closed_on');
    expectProblem(await post({ code: 'x'.repeat(65), kind: 'boernehave' }), 400, 'body.code');
    expectProblem(await post({ code: 'X-1', kind: 'boernehave', owner: 'me' }), 400, 'body.owner');
    expect(await count(t, 'institutions')).toBe(before);
  });

  it('updates and closes with a successor, audited', async () => {
    const old = await create({ code: 'S-1', kind: 'skole' });
    const next = await create({ code: 'S-2', kind: 'skole' });
    const renamed = ok(await t.call('PATCH', `/v1/institutions/${old.id}`, { name: 'Rosengårdskolen', municipality: null }));
    expect(renamed).toMatchObject({ name: 'Rosengårdskolen', municipality: null, closed_on: null });

    const closed = ok(await t.call('POST', `/v1/institutions/${old.id}/close`, { closed_on: '2022-06-01', successor: 'S-2' }));
    expect(closed).toMatchObject({ id: old.id, closed_on: '2022-06-01', successor: { id: next.id, code: 'S-2' } });
    const actions = await t.ctx.db.selectFrom('audit_log').select('action').where('target_id', '=', old.id).orderBy('id').execute();
    expect(actions.map((a) => a.action)).toEqual(['institution.create', 'institution.update', 'institution.close']);

    expectProblem(await t.call('POST', `/v1/institutions/${old.id}/close`, { successor: 'S-2' }), 400, 'body.closed_on');
    expectProblem(await t.call('POST', `/v1/institutions/${old.id}/close`, { closed_on: '2022-06-01', successor: old.id }), 422, 'body.successor');
  });

  it('rejects successor cycles and leaves the institutions unchanged', async () => {
    const a = await create({ code: 'CY-A', kind: 'sfo' });
    const b = await create({ code: 'CY-B', kind: 'sfo', successor: 'CY-A' });
    const c = await create({ code: 'CY-C', kind: 'sfo', successor: 'CY-B' });
    expectProblem(await t.call('PATCH', `/v1/institutions/${a.id}`, { successor: 'CY-B' }), 422, 'body.successor');
    expectProblem(await t.call('PATCH', `/v1/institutions/${a.id}`, { successor: c.id, name: 'changed' }), 422, 'body.successor');
    expectProblem(await t.call('PATCH', `/v1/institutions/${a.id}`, { successor: 'CY-A' }), 422, 'body.successor');
    expect(ok(await t.call('GET', `/v1/institutions/${a.id}`))).toMatchObject({ name: 'CY-A', successor: null });
    // Breaking the chain first makes the same change legal.
    ok(await t.call('PATCH', `/v1/institutions/${b.id}`, { successor: null }));
    expect(ok(await t.call('PATCH', `/v1/institutions/${a.id}`, { successor: 'CY-B' })).successor.code).toBe('CY-B');
  });

  it('lists by code with cursor pagination and a kind filter', async () => {
    for (const code of ['P-3', 'P-1', 'P-2']) await create({ code, kind: 'dagpleje' });
    const { items } = await allPages(t, '/v1/institutions', 2);
    const codes = items.map((i) => i.code);
    expect(codes.length).toBe(await count(t, 'institutions'));
    expect([...codes].sort()).toEqual(codes);
    const dagpleje = await allPages(t, '/v1/institutions?kind=dagpleje', 2);
    expect(dagpleje.items.map((i) => i.code)).toEqual(['P-1', 'P-2', 'P-3']);
  });

  it('lets an institution key read only its own institution; auditors read all, write nothing', async () => {
    const mine = await create({ code: 'OWN-1', kind: 'vuggestue' });
    const other = await create({ code: 'OWN-2', kind: 'vuggestue' });
    const key = await createKey(t, { role: 'institution', institution: 'OWN-1' });
    expect(ok(await t.call('GET', `/v1/institutions/${mine.id}`, undefined, key)).code).toBe('OWN-1');
    expectProblem(await t.call('GET', `/v1/institutions/${other.id}`, undefined, key), 403, 'params.id');
    expectProblem(await t.call('GET', '/v1/institutions', undefined, key), 403);
    expectProblem(await t.call('PATCH', `/v1/institutions/${mine.id}`, { name: 'x' }, key), 403);

    const auditor = await createKey(t, { role: 'auditor' });
    expect(ok(await t.call('GET', `/v1/institutions/${other.id}`, undefined, auditor)).code).toBe('OWN-2');
    expectProblem(await t.call('POST', '/v1/institutions', { code: 'AUD', kind: 'sfo' }, auditor), 403);
    expectProblem(await t.call('POST', `/v1/institutions/${mine.id}/close`, { closed_on: '2024-01-01' }, auditor), 403);
    const integration = await createKey(t, { role: 'integration', scope: { kinds: null, institutions: null, enrolments: true } });
    expectProblem(await t.call('GET', `/v1/institutions/${mine.id}`, undefined, integration), 403);
  });
});
