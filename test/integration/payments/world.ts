/** A fund whose institutions are owed money, for the payment tests (not a test file itself). */
import { businessDate } from '../../../src/services/business-date.js';
import type { TestApp } from '../../support/app.js';
import { createLanguageRule } from '../fuzz/support.js';
import { createKey, ok } from '../registry/helpers.js';

export const FUND_IBAN = 'DK5000400440116243';
export const today = () => businessDate(new Date(), 'Europe/Copenhagen');

export interface PaymentWorld {
  fund: string;
  /** Institution ids by code: V-1, V-2, V-3. */
  inst: Record<string, string>;
  /** A second admin key (the four-eyes approver). */
  admin2: string;
}

/**
 * A fund with money, three vuggestuer each owed 10,000.00 DKK (one child each, there for its whole first three years, measured
 * `generel`, finalised early), and a second admin key. `prefix` keeps codes unique per world.
 */
export async function paymentWorld(t: TestApp, prefix = 'V'): Promise<PaymentWorld> {
  // The catalogue installs `sprogvurdering`; the tests use the two-value form (as main's tests do).
  ok(await t.call('PUT', '/v1/measurement-kinds/sprogvurdering', { type: 'enum', values: ['generel', 'saerlig'] }), 200);
  const fund = ok(await t.call('POST', '/v1/funds', { name: `Fund ${prefix}` }), 201).id as string;
  ok(await t.call('POST', `/v1/funds/${fund}/deposits`, { amount_ore: 100_000_000, funder: 'LBF' }), 201);
  await createLanguageRule(t, fund);
  const inst: Record<string, string> = {};
  const names = ['Børnehuset <Ærø> & "Co"', 'Vuggestuen Solsikken', 'Kommunal vuggestue'];
  for (const [i, name] of names.entries()) {
    const code = `${prefix}-${i + 1}`;
    inst[code] = ok(await t.call('POST', '/v1/institutions', { code, kind: 'vuggestue', name }), 201).id;
    const child = ok(await t.call('POST', '/v1/children', { birth_date: '2019-03-15' }), 201).id;
    ok(await t.call('POST', '/v1/enrolments', { child, institution: code, start: '2019-03-15', end: '2022-03-15' }), 201);
    ok(
      await t.call('POST', '/v1/measurements', { child_id: child, kind: 'sprogvurdering', period: 'age-4', value: 'generel', measured_on: '2023-04-20' }),
      201,
    );
  }
  await t.settled();
  ok(await t.call('POST', '/v1/awards/finalise', { fund_id: fund, reason: 'test: finalise without waiting for the review window' }));
  await t.settled();
  return { fund, inst, admin2: await createKey(t, { role: 'admin' }) };
}

/** Proposes payee details as the bootstrap admin and approves them with the second admin. */
export async function approvedDetails(t: TestApp, w: PaymentWorld, code: string, body: Record<string, unknown>) {
  const change = ok(await t.call('POST', `/v1/institutions/${w.inst[code]}/payee-details`, body), 201);
  return ok(await t.call('POST', `/v1/payee-detail-changes/${change.id}/approve`, {}, w.admin2));
}
