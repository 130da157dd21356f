import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/app.js';
import { parseCsv } from '../../support/csv.js';
import { createKey, expectProblem, ok } from '../registry/helpers.js';
import { businessDate } from '../../../src/services/business-date.js';

/**
 * The institution's view (issue 13, item 3): the rules that pay an institution, and its
 * statement as CSV with the same figures as the JSON statement.
 */
let t: TestApp;
let instA: any;
let school: any;
let languageRule: any;
let keyA: string;
let keyB: string;
/** The service's business date (Copenhagen): from 23:00 UTC the UTC date is a day behind it. */
let today: string;

beforeAll(async () => {
  t = await createTestApp();
  today = businessDate(new Date(), t.ctx.config.BUSINESS_TIME_ZONE);
  ok(await t.call('PUT', '/v1/measurement-kinds/sprogvurdering', { type: 'enum', values: ['generel', 'saerlig'] }));
  const fund = ok(await t.call('POST', '/v1/funds', { name: 'F' }), 201);
  ok(await t.call('POST', `/v1/funds/${fund.id}/deposits`, { amount_ore: 100_000_000, funder: 'LBF' }), 201);
  // A name a spreadsheet would run as a formula.
  instA = ok(await t.call('POST', '/v1/institutions', { code: 'V-1', kind: 'vuggestue', name: '=HYPERLINK("http://x","V1")' }), 201);
  ok(await t.call('POST', '/v1/institutions', { code: 'V-2', kind: 'vuggestue', name: 'V2' }), 201);
  school = ok(await t.call('POST', '/v1/institutions', { code: 'S-1', kind: 'skole', name: 'School' }), 201);
  const version = (kinds: string[]) => ({
    effective_from: '2015-01-01',
    predicate: { op: 'eq', value: 'generel' },
    amount: { fixed_ore: 1_000_000 },
    windows: [{ from: 0, to: 36, share_bp: 10000, kinds }],
  });
  languageRule = ok(
    await t.call('POST', '/v1/rules', { fund_id: fund.id, name: 'Language', kind: 'sprogvurdering', versions: [version(['vuggestue', 'dagpleje'])] }),
    201,
  );
  ok(await t.call('POST', '/v1/rules', { fund_id: fund.id, name: 'Only dagpleje', kind: 'sprogvurdering', versions: [version(['dagpleje'])] }), 201);
  const child = ok(await t.call('POST', '/v1/children', { birth_date: '2019-03-15' }), 201);
  ok(await t.call('POST', '/v1/enrolments', { child: child.id, institution: 'V-1', start: '2019-09-01', end: '2022-03-01' }), 201);
  ok(
    await t.call('POST', '/v1/measurements', { child_id: child.id, kind: 'sprogvurdering', period: 'age-4', value: 'generel', measured_on: '2023-04-20' }),
    201,
  );
  await t.settled();
  ok(await t.call('POST', '/v1/awards/finalise', { fund_id: fund.id, reason: 'test: the statement needs a final award' }));
  await t.settled();
  ok(await t.call('POST', `/v1/funds/${fund.id}/payment-runs`, { cutoff_on: today }), 201);
  keyA = await createKey(t, { role: 'institution', institution: 'V-1' });
  keyB = await createKey(t, { role: 'institution', institution: 'V-2' });
}, 120_000);
afterAll(async () => t?.close());

describe('GET /v1/institutions/{id}/rules', () => {
  it('lists the rules with a window naming the institution’s kind, with their versions', async () => {
    const own = ok(await t.call('GET', `/v1/institutions/${instA.id}/rules`, undefined, keyA));
    expect(own.items.map((r: any) => r.name)).toEqual(['Language']);
    expect(own.items[0]).toMatchObject({ id: languageRule.id, versions: [{ version: 1, spec: { windows: [{ kinds: ['vuggestue', 'dagpleje'] }] } }] });
    expect(ok(await t.call('GET', `/v1/institutions/${school.id}/rules`)).items).toEqual([]);
  });

  it('refuses another institution’s key', async () => {
    expectProblem(await t.call('GET', `/v1/institutions/${instA.id}/rules`, undefined, keyB), 403);
  });
});

describe('GET /v1/institutions/{id}/statement.csv', () => {
  it('has the JSON statement’s figures, a running balance, and neutralised formulas', async () => {
    const q = `from=2020-01-01&to=${today}`;
    const json = ok(await t.call('GET', `/v1/institutions/${instA.id}/statement?${q}`, undefined, keyA));
    const res = await t.app.inject({ method: 'GET', url: `/v1/institutions/${instA.id}/statement.csv?${q}`, headers: { authorization: `Bearer ${keyA}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="statement-V-1-2020-01-01-/);
    const rows = parseCsv(res.body);
    expect(rows[0]).toEqual([
      'institution_code',
      'institution_name',
      'row',
      'seq',
      'posted_on',
      'kind',
      'fund_id',
      'award_id',
      'memo',
      'amount_ore',
      'amount_dkk',
      'balance_ore',
    ]);
    expect(rows[1]![1]).toBe('\'=HYPERLINK("http://x","V1")');
    const movements = rows.filter((r) => r[2] === 'movement');
    expect(movements.map((r) => Number(r[9]))).toEqual(json.movements.map((m: any) => m.amount_ore));
    expect(movements.length).toBeGreaterThanOrEqual(2); // the finalised award and the payment
    expect(rows.at(-1)!.slice(2, 3)).toEqual(['closing_balance']);
    expect(Number(rows.at(-1)![11])).toBe(json.closing_balance_ore);
    expect(Number(movements.at(-1)![11])).toBe(json.closing_balance_ore);
  });

  it('refuses another institution’s key and a reversed period, naming the field', async () => {
    expectProblem(await t.call('GET', `/v1/institutions/${instA.id}/statement.csv?from=2020-01-01&to=${today}`, undefined, keyB), 403);
    expectProblem(await t.call('GET', `/v1/institutions/${instA.id}/statement.csv?from=2021-01-01&to=2020-01-01`), 422, 'query.to');
  });
});
