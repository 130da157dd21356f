import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/app.js';
import { allPages, count, createKey, expectProblem, ok } from './helpers.js';

let t: TestApp;
let child: string;
let other: string;
let v1: { id: string; code: string };
let v2: { id: string; code: string };
const enrol = (body: Record<string, unknown>, key?: string | null) => t.call('POST', '/v1/enrolments', body, key);

beforeAll(async () => {
  t = await createTestApp();
  child = ok(await t.call('POST', '/v1/children', { birth_date: '2019-03-15' }), 201).id;
  other = ok(await t.call('POST', '/v1/children', { birth_date: '2018-01-01' }), 201).id;
  v1 = ok(await t.call('POST', '/v1/institutions', { code: 'V-1', kind: 'vuggestue' }), 201);
  v2 = ok(await t.call('POST', '/v1/institutions', { code: 'V-2', kind: 'vuggestue' }), 201);
});
afterAll(() => t?.close());

describe('enrolments', () => {
  it('enrols by institution code or id, reads it back and ends it', async () => {
    const e = ok(await enrol({ child, institution: 'V-1', start: '2019-12-01' }), 201);
    expect(e).toEqual({
      id: expect.any(String),
      child_id: child,
      institution_id: v1.id,
      institution_code: 'V-1',
      start: '2019-12-01',
      end: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(ok(await t.call('GET', `/v1/enrolments/${e.id}`))).toEqual(e);
    const ended = ok(await t.call('POST', `/v1/enrolments/${e.id}/end`, { end: '2022-08-01' }));
    expect(ended).toMatchObject({ id: e.id, start: '2019-12-01', end: '2022-08-01' });
    expectProblem(await t.call('POST', `/v1/enrolments/${e.id}/end`, { end: '2022-09-01' }), 409, 'body.end');

    // Adjacent spans [a, b) and [b, c) do not overlap; another institution may overlap (skole + sfo).
    ok(await enrol({ child, institution: v1.id, start: '2022-08-01', end: '2023-01-01' }), 201);
    ok(await enrol({ child, institution: 'V-2', start: '2020-01-01', end: null }), 201);
  });

  it('rejects an overlap at the same institution with 409 body.start and stores nothing', async () => {
    const before = await count(t, 'enrolments');
    const audits = await count(t, 'audit_log');
    expectProblem(await enrol({ child, institution: 'V-1', start: '2021-01-01', end: '2021-02-01' }), 409, 'body.start');
    expectProblem(await enrol({ child, institution: 'V-2', start: '2030-01-01' }), 409, 'body.start'); // inside the ongoing one
    expect(await count(t, 'enrolments')).toBe(before);
    expect(await count(t, 'audit_log')).toBe(audits);
  });

  it('rejects an end on or before the start, unknown references and malformed input', async () => {
    const before = await count(t, 'enrolments');
    expectProblem(await enrol({ child: other, institution: 'V-1', start: '2020-01-01', end: '2020-01-01' }), 422, 'body.end');
    expectProblem(await enrol({ child: other, institution: 'V-1', start: '2020-01-01', end: '2019-01-01' }), 422, 'body.end');
    expectProblem(await enrol({ child: '00000000-0000-4000-8000-000000000000', institution: 'V-1', start: '2020-01-01' }), 422, 'body.child');
    expectProblem(await enrol({ child: other, institution: 'NOPE', start: '2020-01-01' }), 422, 'body.institution');
    expectProblem(await enrol({ child: 'abc', institution: 'V-1', start: '2020-01-01' }), 400, 'body.child');
    expectProblem(await enrol({ child: other, institution: 'V-1', start: '2020-02-30' }), 400, 'body.start');
    expectProblem(await enrol({ child: other, institution: 'V-1', start: '2020-01-01', until: '2021-01-01' }), 400, 'body.until');
    expect(await count(t, 'enrolments')).toBe(before);
  });

  it('corrects start, end and institution, refusing overlaps and inverted spans', async () => {
    const e = ok(await enrol({ child: other, institution: 'V-1', start: '2018-06-01', end: '2019-06-01' }), 201);
    ok(await enrol({ child: other, institution: 'V-2', start: '2018-01-01', end: '2018-07-01' }), 201);
    expect(ok(await t.call('PATCH', `/v1/enrolments/${e.id}`, { start: '2018-05-01' }))).toMatchObject({ start: '2018-05-01', end: '2019-06-01' });
    expectProblem(await t.call('PATCH', `/v1/enrolments/${e.id}`, { start: '2019-07-01' }), 422, 'body.start');
    expectProblem(await t.call('PATCH', `/v1/enrolments/${e.id}`, { end: '2018-05-01' }), 422, 'body.end');
    expectProblem(await t.call('PATCH', `/v1/enrolments/${e.id}`, { institution: 'V-2' }), 409, 'body.start');
    const moved = ok(await t.call('PATCH', `/v1/enrolments/${e.id}`, { institution: 'V-2', start: '2018-07-01' }));
    expect(moved).toMatchObject({ institution_id: v2.id, institution_code: 'V-2', start: '2018-07-01' });
    expectProblem(await t.call('PATCH', '/v1/enrolments/00000000-0000-4000-8000-000000000000', { end: null }), 404, 'params.id');
  });

  it('deletes a mistaken enrolment (admin only, audited)', async () => {
    const e = ok(await enrol({ child: other, institution: 'V-1', start: '2024-01-01' }), 201);
    const res = await t.call('DELETE', `/v1/enrolments/${e.id}`);
    expect(res.status).toBe(204);
    expectProblem(await t.call('GET', `/v1/enrolments/${e.id}`), 404, 'params.id');
    expectProblem(await t.call('DELETE', `/v1/enrolments/${e.id}`), 404, 'params.id');
    const audit = await t.ctx.db.selectFrom('audit_log').select(['action', 'details']).where('target_id', '=', e.id).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['enrolment.add', 'enrolment.delete']);
    expect(audit[1]!.details).toMatchObject({ child_id: other, institution_id: v1.id, start: '2024-01-01', end: null });
  });

  it('lists by child and institution with cursor pagination', async () => {
    const all = await allPages(t, '/v1/enrolments', 2);
    expect(all.items.length).toBe(await count(t, 'enrolments'));
    const mine = await allPages(t, `/v1/enrolments?child=${child}`, 1);
    expect(mine.items.every((e) => e.child_id === child)).toBe(true);
    expect(mine.items.length).toBe(3);
    const atV1 = await allPages(t, '/v1/enrolments?institution=V-1', 10);
    expect(atV1.items.every((e) => e.institution_code === 'V-1')).toBe(true);
    const both = ok(await t.call('GET', `/v1/enrolments?institution=${v1.id}&child=${child}`));
    expect(both.items.length).toBe(2);
    expectProblem(await t.call('GET', '/v1/enrolments?institution=NOPE'), 422, 'query.institution');
  });
});

describe('enrolment roles', () => {
  it('integration keys write only with enrolment scope and within their institutions', async () => {
    const noScope = await createKey(t, { role: 'integration', scope: { kinds: null, institutions: null, enrolments: false } });
    const onlyV1 = await createKey(t, { role: 'integration', scope: { kinds: null, institutions: ['V-1'], enrolments: true } });
    const all = await createKey(t, { role: 'integration', scope: { kinds: null, institutions: null, enrolments: true } });
    const kid = ok(await t.call('POST', '/v1/children', { birth_date: '2020-05-05' }), 201).id;
    const before = await count(t, 'enrolments');

    expectProblem(await enrol({ child: kid, institution: 'V-1', start: '2021-01-01' }, noScope), 403);
    expectProblem(await enrol({ child: kid, institution: 'V-2', start: '2021-01-01' }, onlyV1), 403, 'body.institution');
    expect(await count(t, 'enrolments')).toBe(before);

    const e = ok(await enrol({ child: kid, institution: 'V-1', start: '2021-01-01' }, onlyV1), 201);
    expect(ok(await t.call('GET', `/v1/enrolments/${e.id}`, undefined, onlyV1)).id).toBe(e.id);
    expectProblem(await t.call('PATCH', `/v1/enrolments/${e.id}`, { institution: 'V-2' }, onlyV1), 403, 'body.institution');
    expect(ok(await t.call('POST', `/v1/enrolments/${e.id}/end`, { end: '2022-01-01' }, onlyV1)).end).toBe('2022-01-01');
    expectProblem(await t.call('PATCH', `/v1/enrolments/${e.id}`, { end: null }, noScope), 403);
    expectProblem(await t.call('DELETE', `/v1/enrolments/${e.id}`, undefined, all), 403);
    expectProblem(await t.call('GET', '/v1/enrolments', undefined, all), 403);

    const atV2 = ok(await enrol({ child: kid, institution: 'V-2', start: '2021-01-01' }, all), 201);
    // Outside the key's institutions an enrolment is "not found", as an unknown id.
    expectProblem(await t.call('GET', `/v1/enrolments/${atV2.id}`, undefined, onlyV1), 404, 'params.id');
    expectProblem(await t.call('POST', `/v1/enrolments/${atV2.id}/end`, { end: '2022-01-01' }, onlyV1), 404, 'params.id');
  });

  it('institution keys list only their own enrolments; auditors cannot write', async () => {
    const key = await createKey(t, { role: 'institution', institution: 'V-2' });
    const own = await allPages(t, '/v1/enrolments', 50, key);
    expect(own.items.length).toBeGreaterThan(0);
    expect(own.items.every((e) => e.institution_id === v2.id)).toBe(true);
    expect(ok(await t.call('GET', '/v1/enrolments?institution=V-2', undefined, key)).items.length).toBe(own.items.length);
    expectProblem(await t.call('GET', '/v1/enrolments?institution=V-1', undefined, key), 403, 'query.institution');
    expectProblem(await enrol({ child, institution: 'V-2', start: '2035-01-01' }, key), 403);

    const auditor = await createKey(t, { role: 'auditor' });
    expectProblem(await enrol({ child, institution: 'V-2', start: '2035-01-01' }, auditor), 403);
    expectProblem(await t.call('GET', '/v1/enrolments', undefined, auditor), 403);
    expectProblem(await enrol({ child, institution: 'V-2', start: '2035-01-01' }, null), 401);
  });
});
