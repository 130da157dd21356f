/**
 * The award read and the passport are answered with JSON built by PostgreSQL in one statement
 * (src/repositories/read-json.ts), not by the presenters the list endpoints use. This holds the
 * two equal on a seeded population with every award state: each award read equals its item in
 * GET /v1/awards plus its stored explanation, and each passport's measurements and awards equal
 * GET /v1/measurements and GET /v1/awards for that child.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed } from '../../src/seed/seed.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { allPages, createKey, expectProblem, ok } from './registry/helpers.js';

let t: TestApp;
let awards: Array<{ id: string; child_id: string; explanation: unknown }>;
let children: string[];

beforeAll(async () => {
  t = await createTestApp();
  const actor = (await t.ctx.apiKeys.authenticate(t.adminKey))!;
  await seed(t.ctx.services, actor, { children: 60, seed: 11, today: '2026-11-22' });
  await t.settled();
  // Every state: some awards final (payable), one held by an objection, the rest as settled.
  const some = (await sql<{ id: string; fund_id: string }>`SELECT id, fund_id FROM awards WHERE earned ORDER BY id LIMIT 6`.execute(t.ctx.db)).rows;
  for (const fund of new Set(some.slice(0, 3).map((a) => a.fund_id))) {
    const ids = some
      .slice(0, 3)
      .filter((a) => a.fund_id === fund)
      .map((a) => a.id);
    ok(await t.call('POST', '/v1/awards/finalise', { fund_id: fund, award_ids: ids, reason: 'test: finalise without waiting for the review window' }));
  }
  ok(await t.call('POST', `/v1/awards/${some[3]!.id}/objections`, { reason: 'check the enrolments' }), 201);
  awards = (await sql<{ id: string; child_id: string; explanation: unknown }>`SELECT id, child_id, explanation FROM awards`.execute(t.ctx.db)).rows;
  children = (await sql<{ id: string }>`SELECT id FROM children`.execute(t.ctx.db)).rows.map((r) => r.id);
}, 120_000);
afterAll(() => t?.close());

describe('hot reads built by the database', () => {
  it('covers awards in every state', async () => {
    const { items } = await allPages(t, '/v1/awards', 500);
    const statuses = new Set(items.map((a) => a.status));
    for (const s of ['final', 'held', 'not_earned']) expect(statuses).toContain(s);
    expect(items.some((a) => a.payouts.some((p: { payable_ore: number }) => p.payable_ore > 0))).toBe(true);
  });

  it('answers GET /v1/awards/:id byte for byte as the list serialises the award, then its explanation', async () => {
    const listed = new Map((await allPages(t, '/v1/awards', 500)).items.map((a) => [a.id, a]));
    expect(listed.size).toBe(awards.length);
    for (const a of awards) {
      const res = await t.app.inject({ method: 'GET', url: `/v1/awards/${a.id}`, headers: { authorization: `Bearer ${t.adminKey}` } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      // The same bytes the serializer of every other endpoint writes: keys in the presenter's
      // order, no whitespace (PostgreSQL's json_build_object wrote `{"id" : "…", …}`).
      expect(res.body).toBe(JSON.stringify({ ...listed.get(a.id), explanation: a.explanation }));
    }
  });

  it('answers the passport as the child, enrolment, measurement and award endpoints do', async () => {
    for (const id of children) {
      const raw = await t.app.inject({ method: 'GET', url: `/v1/children/${id}/passport`, headers: { authorization: `Bearer ${t.adminKey}` } });
      expect(raw.body, 'compact JSON, as every other endpoint').toBe(JSON.stringify(JSON.parse(raw.body)));
      const p = ok(await t.call('GET', `/v1/children/${id}/passport`));
      const child = ok(await t.call('GET', `/v1/children/${id}`));
      expect(p.child).toEqual({ id, external_ref: child.external_ref, birth_date: child.birth_date, attributes: child.attributes });
      // Serialised alike: the same text, keys in the same order.
      expect(JSON.stringify(p.measurements)).toBe(JSON.stringify((await allPages(t, `/v1/measurements?child_id=${id}`, 100)).items));
      expect(JSON.stringify(p.awards)).toBe(JSON.stringify((await allPages(t, `/v1/awards?child_id=${id}`, 100)).items));
      const starts = p.enrolments.map((e: { start: string }) => e.start);
      expect(starts).toEqual([...starts].sort());
      for (const e of p.enrolments) {
        const inst = ok(await t.call('GET', `/v1/institutions/${e.institution_id}`));
        expect(e).toEqual({ id: e.id, institution_id: inst.id, institution_code: inst.code, institution_kind: inst.kind, start: e.start, end: e.end });
      }
    }
  });

  it("keeps 404s, and hides other institutions' awards from an institution key", async () => {
    expectProblem(await t.call('GET', '/v1/awards/00000000-0000-4000-8000-000000000000'), 404, 'params.id');
    expectProblem(await t.call('GET', '/v1/children/00000000-0000-4000-8000-000000000000/passport'), 404, 'params.id');
    const paid = (await allPages(t, '/v1/awards', 500)).items.find((a) => a.payouts.length > 0)!;
    const payee = paid.payouts[0].institution_id as string;
    const other = (
      await sql<{
        id: string;
      }>`SELECT id FROM institutions WHERE id <> ${payee} AND id NOT IN (SELECT institution_id FROM award_payees WHERE award_id = ${paid.id}) LIMIT 1`.execute(
        t.ctx.db,
      )
    ).rows[0]!.id;
    ok(await t.call('GET', `/v1/awards/${paid.id}`, undefined, await createKey(t, { role: 'institution', institution: payee })));
    expectProblem(await t.call('GET', `/v1/awards/${paid.id}`, undefined, await createKey(t, { role: 'institution', institution: other })), 404, 'params.id');
  });
});
