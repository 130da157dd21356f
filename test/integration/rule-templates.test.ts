/**
 * Rule templates (issue 12, item 6): the proposal's default rules offered by the API and
 * installed by the seed, as composite rules created through the same checks as POST /v1/rules.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RULE_TEMPLATES } from '../../src/catalogue/rule-templates.js';
import { seed } from '../../src/seed/seed.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createKey, expectProblem, ok } from './registry/helpers.js';
import { expectLedgerInvariants } from './settlement/invariants.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

describe('rule templates', () => {
  it('are listed for admin, auditor and institution keys, not for an integration', async () => {
    const listed = ok(await t.call('GET', '/v1/rule-templates'));
    expect(listed.items.map((x: any) => x.key)).toEqual(RULE_TEMPLATES.map((x) => x.key));
    const auditor = await createKey(t, { role: 'auditor' });
    expect(ok(await t.call('GET', '/v1/rule-templates/no-cash-benefits-18-21', undefined, auditor)).requires).toEqual(RULE_TEMPLATES[3]!.requires);
    const integration = await createKey(t, { role: 'integration', scope: { kinds: ['kontanthjaelp'], institutions: [] } });
    expectProblem(await t.call('GET', '/v1/rule-templates', undefined, integration), 403);
    expectProblem(await t.call('GET', '/v1/rule-templates/no-such-template'), 404, 'params.key');
  });

  it('an admin instantiates every template into a fund as a composite rule with the restgruppe multiplier', async () => {
    const fund = ok(await t.call('POST', '/v1/funds', { name: 'templates' }), 201);
    for (const template of RULE_TEMPLATES) {
      const rule = ok(await t.call('POST', `/v1/rule-templates/${template.key}/rules`, { fund_id: fund.id }), 201);
      expect(rule).toMatchObject({ fund_id: fund.id, name: template.name, kind: null, periods: null });
      expect(rule.requires).toEqual(Object.entries(template.requires).map(([name, r]) => ({ name, ...r })));
      expect(rule.versions[0].spec.multipliers).toEqual([{ attribute: 'restgruppe_origin', equals: true, factor_bp: 15000 }]);
    }
    expectProblem(
      await t.call('POST', '/v1/rule-templates/no-cash-benefits-18-21/rules', { fund_id: '00000000-0000-4000-8000-000000000000' }),
      422,
      'body.fund_id',
    );
  });

  it('npm run seed installs them: the synthetic population settles against them, the ledger balances', async () => {
    const actor = (await t.ctx.apiKeys.authenticate(t.adminKey))!;
    const report = await seed(t.ctx.services, actor, { children: 300, seed: 3, today: '2026-11-22', rules: 'templates' });
    await t.settled();
    const rules = ok(await t.call('GET', `/v1/rules?fund_id=${report.fundId}`)).items;
    expect(rules.map((r: any) => r.name).sort()).toEqual(RULE_TEMPLATES.map((x) => x.name).sort());
    // The population measures kontanthjælp at 18–21: the cash-benefit template's awards appear
    // for the young people measured at all four ages; the rest are pending with what they miss.
    const cash = rules.find((r: any) => r.name === RULE_TEMPLATES[3]!.name);
    const { rows } = await sql<{ n: string }>`select count(*) as n from awards where rule_id = ${cash.id}`.execute(t.ctx.db);
    expect(Number(rows[0]!.n)).toBeGreaterThan(0);
    const pending = ok(await t.call('GET', `/v1/rules/${cash.id}/pending?limit=5`));
    for (const p of pending.items) expect(p.missing.length).toBeGreaterThan(0);
    await expectLedgerInvariants(t.ctx.db, { fundId: report.fundId });
  }, 180_000);
});
