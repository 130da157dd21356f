/**
 * Rule templates (issue 12, item 6): the proposal's default rules offered by the API and
 * installed by the seed, as composite rules created through the same checks as POST /v1/rules.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RULE_TEMPLATES } from '../../src/catalogue/rule-templates.js';
import { seed } from '../../src/seed/seed.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { requirementDue } from '../support/seed-oracle.js';
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

  it('npm run seed installs them and generates what they read: each template that can pay today has earned awards, pending children miss only what cannot have happened yet', async () => {
    const today = '2026-12-05';
    const actor = (await t.ctx.apiKeys.authenticate(t.adminKey))!;
    const report = await seed(t.ctx.services, actor, { children: 300, seed: 3, today, rules: 'templates' });
    expect(report.rejected).toBe(0);
    await t.settled();
    const rules = ok(await t.call('GET', `/v1/rules?fund_id=${report.fundId}`)).items;
    expect(rules.map((r: any) => r.name).sort()).toEqual(RULE_TEMPLATES.map((x) => x.name).sort());
    const { rows: children } = await sql<{ id: string; birth_date: string }>`select id, birth_date::text from children`.execute(t.ctx.db);
    expect(children).toHaveLength(300);
    const progress = await t.ctx.services.pending.progress(report.fundId);

    let paying = 0;
    for (const template of RULE_TEMPLATES) {
      const rule = rules.find((r: any) => r.name === template.name);
      const requires = Object.entries(template.requires);
      // From the catalogue alone: the children for whom every requirement must have happened by today.
      const complete = children.filter((c) => requires.every(([, r]) => requirementDue(r, c.birth_date, today) === 'due'));
      const { rows: awards } = await sql<{ child_id: string; earned: boolean }>`select child_id, earned from awards where rule_id = ${rule.id}`.execute(
        t.ctx.db,
      );
      const awarded = new Set(awards.map((a) => a.child_id));
      for (const c of complete) expect(awarded.has(c.id), `${template.key}: child born ${c.birth_date} has every requirement due`).toBe(true);
      const earned = awards.filter((a) => a.earned).length;
      if (complete.length > 0) {
        paying++;
        expect(earned, `${template.key} can pay ${complete.length} children today`).toBeGreaterThan(0);
      } else {
        expect(awards, `${template.key} can pay nobody today`).toEqual([]);
      }
      expect(progress.find((p) => p.id === rule.id)).toMatchObject({ earned, not_earned: awards.length - earned });

      // Every pending child misses only requirements that cannot have happened yet (or ever).
      const born = new Map(children.map((c) => [c.id, c.birth_date]));
      let pending = 0;
      for (let cursor: string | null = null, first = true; first || cursor; first = false) {
        const page: any = ok(await t.call('GET', `/v1/rules/${rule.id}/pending?limit=200${cursor ? `&cursor=${cursor}` : ''}`));
        for (const p of page.items) {
          expect(p.missing.length).toBeGreaterThan(0);
          for (const m of p.missing) {
            const due = requirementDue(m, born.get(p.child_id)!, today);
            expect(['not_yet', 'never'], `${template.key}: ${m.kind} ${m.period} of a child born ${born.get(p.child_id)} is ${due}`).toContain(due);
          }
        }
        pending += page.items.length;
        cursor = page.next_cursor;
      }
      expect(progress.find((p) => p.id === rule.id)?.pending).toBe(pending);
      // The population generates each template's requirements at all: something settled or waits.
      expect(awards.length + pending, template.key).toBeGreaterThan(0);
    }
    expect(paying).toBeGreaterThan(0);
    await expectLedgerInvariants(t.ctx.db, { fundId: report.fundId });
  }, 300_000);
});
