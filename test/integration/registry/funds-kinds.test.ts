import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/app.js';
import { allPages, count, createKey, expectProblem, ok } from './helpers.js';

let t: TestApp;
let auditor: string;

beforeAll(async () => {
  t = await createTestApp();
  auditor = await createKey(t, { role: 'auditor' });
});
afterAll(() => t?.close());

describe('funds', () => {
  it('creates a fund with its four ledger accounts, reads, updates and lists it', async () => {
    const fund = ok(await t.call('POST', '/v1/funds', { name: '  Landsbyggefonden pilot ', description: 'pilot' }), 201);
    expect(fund).toEqual({ id: expect.any(String), name: 'Landsbyggefonden pilot', description: 'pilot', created_at: expect.any(String) });

    const accounts = await t.ctx.db
      .selectFrom('ledger_accounts')
      .select(['code', 'type', 'balance_ore'])
      .where('fund_id', '=', fund.id)
      .orderBy('code')
      .execute();
    expect(accounts).toEqual(['available', 'funders', 'paid_out', 'reserved'].map((type) => ({ code: `fund:${fund.id}:${type}`, type, balance_ore: 0n })));

    expect(ok(await t.call('GET', `/v1/funds/${fund.id}`, undefined, auditor))).toEqual(fund);
    const updated = ok(await t.call('PATCH', `/v1/funds/${fund.id}`, { description: null }));
    expect(updated).toMatchObject({ id: fund.id, name: 'Landsbyggefonden pilot', description: null });
  });

  it('lists with cursor pagination in a stable order', async () => {
    for (const name of ['A', 'B', 'C', 'D']) ok(await t.call('POST', '/v1/funds', { name }), 201);
    const { items, pages } = await allPages(t, '/v1/funds', 2, auditor);
    expect(items.length).toBe(await count(t, 'funds'));
    expect(pages).toBeGreaterThanOrEqual(3);
    const ids = items.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('rejects bad input with problem+json naming the field, changing nothing', async () => {
    const before = await count(t, 'funds');
    expectProblem(await t.call('POST', '/v1/funds', { name: '   ' }), 400, 'body.name');
    expectProblem(await t.call('POST', '/v1/funds', { name: 'x'.repeat(201) }), 400, 'body.name');
    expectProblem(await t.call('POST', '/v1/funds', { name: 'ok', colour: 'red' }), 400, 'body.colour');
    expectProblem(await t.call('GET', '/v1/funds/not-a-uuid'), 400, 'params.id');
    expectProblem(await t.call('GET', '/v1/funds/00000000-0000-4000-8000-000000000000'), 404, 'params.id');
    expectProblem(await t.call('PATCH', '/v1/funds/00000000-0000-4000-8000-000000000000', { name: 'x' }), 404, 'params.id');
    expectProblem(await t.call('GET', '/v1/funds?cursor=%21%21'), 422, 'query.cursor');
    expectProblem(await t.call('GET', '/v1/funds?limit=0'), 400, 'query.limit');
    expect(await count(t, 'funds')).toBe(before);
  });

  it('lets only admin write', async () => {
    expectProblem(await t.call('POST', '/v1/funds', { name: 'nope' }, auditor), 403);
    const institution = ok(await t.call('POST', '/v1/institutions', { code: 'F-I-1', kind: 'vuggestue' }), 201);
    const instKey = await createKey(t, { role: 'institution', institution: institution.id });
    expectProblem(await t.call('GET', '/v1/funds', undefined, instKey), 403);
    expectProblem(await t.call('GET', '/v1/funds', undefined, null), 401);
  });
});

describe('measurement kinds', () => {
  it('creates enum, number and boolean kinds and reads them back', async () => {
    // What a kind created by the API without the catalogue's metadata reads back as.
    const plain = { description: null, unit: null, source: null, family: null, valid_from: null, valid_to: null, origin: 'api', periods: [] };
    const en = { key: 'sprog_local', type: 'enum', values: ['generel', 'fokuseret', 'saerlig'] };
    expect(ok(await t.call('POST', '/v1/measurement-kinds', en), 201)).toEqual({ ...plain, ...en });
    const num = { key: 'reading.local', type: 'number', min: 1, max: 100, description: 'score' };
    expect(ok(await t.call('POST', '/v1/measurement-kinds', num), 201)).toEqual({ ...plain, ...num });
    const big = { key: 'transfer_fee', type: 'number', min: 0, max: 100000000000 };
    expect(ok(await t.call('POST', '/v1/measurement-kinds', big), 201)).toEqual({ ...plain, ...big });
    ok(await t.call('POST', '/v1/measurement-kinds', { key: 'flag', type: 'boolean' }), 201);

    expect(ok(await t.call('GET', '/v1/measurement-kinds/reading.local', undefined, auditor))).toEqual({ ...plain, ...num });
    const { items } = await allPages(t, '/v1/measurement-kinds', 3, auditor);
    const keys = items.map((k) => k.key);
    expect(keys).toEqual(expect.arrayContaining(['flag', 'reading.local', 'sprog_local', 'transfer_fee', 'sprogvurdering', 'kontanthjaelp']));
    expect(keys.length).toBe(await count(t, 'measurement_kinds'));
  });

  it('rejects inconsistent kinds naming the field', async () => {
    const before = await count(t, 'measurement_kinds');
    const post = (body: unknown) => t.call('POST', '/v1/measurement-kinds', body);
    expectProblem(await post({ key: 'e1', type: 'enum' }), 422, 'body.values');
    expectProblem(await post({ key: 'e1', type: 'enum', values: [] }), 422, 'body.values');
    expectProblem(await post({ key: 'e1', type: 'enum', values: ['a', 'a'] }), 422, 'body.values');
    expectProblem(await post({ key: 'e1', type: 'enum', values: ['a'], min: 1 }), 422, 'body.min');
    expectProblem(await post({ key: 'n1', type: 'number', min: 5, max: 1 }), 422, 'body.max');
    expectProblem(await post({ key: 'n1', type: 'number', values: ['a'] }), 422, 'body.values');
    expectProblem(await post({ key: 'b1', type: 'boolean', max: 1 }), 422, 'body.max');
    expectProblem(await post({ key: 'b1', type: 'text' }), 400, 'body.type');
    expectProblem(await post({ key: 'Bad Key', type: 'boolean' }), 400, 'body.key');
    expectProblem(await post({ key: 'sprogvurdering', type: 'boolean' }), 409, 'body.key');
    expect(await count(t, 'measurement_kinds')).toBe(before);
    expectProblem(await t.call('GET', '/v1/measurement-kinds/nope'), 404, 'params.key');
    expectProblem(await t.call('POST', '/v1/measurement-kinds', { key: 'x2', type: 'boolean' }, auditor), 403);
  });
});

describe('institution kinds', () => {
  it('lists the defaults and lets admin add one', async () => {
    const { items } = await allPages(t, '/v1/institution-kinds', 4, auditor);
    expect(items.map((k) => k.key)).toEqual(expect.arrayContaining(['dagpleje', 'vuggestue', 'boernehave', 'skole', 'sfo', 'ungdomsuddannelse']));
    expect(ok(await t.call('POST', '/v1/institution-kinds', { key: 'club', label: 'Football club' }), 201)).toEqual({ key: 'club', label: 'Football club' });
    expectProblem(await t.call('POST', '/v1/institution-kinds', { key: 'club', label: 'again' }), 409, 'body.key');
    expectProblem(await t.call('POST', '/v1/institution-kinds', { key: 'Club!', label: 'x' }), 400, 'body.key');
    expectProblem(await t.call('POST', '/v1/institution-kinds', { key: 'club2', label: 'x' }, auditor), 403);
  });
});
