import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseApiKey } from '../../../src/auth/api-key.js';
import type { Principal } from '../../../src/auth/principal.js';
import { CprKeyring } from '../../../src/domain/cpr.js';
import { ProblemError } from '../../../src/domain/problem.js';
import { ChildService } from '../../../src/services/children.js';
import { createTestApp, type TestApp } from '../../support/app.js';
import { allPages, count, createKey, expectProblem, ok, tableText } from './helpers.js';

let t: TestApp;
let integration: string;
const register = (body: unknown, key?: string) => t.call('POST', '/v1/children', body, key);
const lookup = (cpr: string, key?: string) => t.call('POST', '/v1/children/lookup', { cpr }, key);

beforeAll(async () => {
  t = await createTestApp();
  integration = await createKey(t, { role: 'integration', scope: { kinds: null, institutions: null, enrolments: false } });
});
afterAll(() => t?.close());

// §9: the 7th digit and YY pick the century.
const CENTURY_CASES: Array<[cpr: string, birthDate: string]> = [
  ['010190-1234', '1990-01-01'], // 0–3 → 1900s
  ['0101054321', '2005-01-01'], // 4, YY ≤ 36 → 2000s (no dash)
  ['150150-4321', '1950-01-15'], // 4, YY > 36 → 1900s
  ['150315-5678', '2015-03-15'], // 5–8, YY ≤ 57 → 2000s
  ['150360-6789', '1860-03-15'], // 5–8, YY > 57 → 1800s
  ['290220-9876', '2020-02-29'], // 9, YY ≤ 36 → 2000s (leap day)
  ['010180-9876', '1980-01-01'], // 9, YY > 36 → 1900s
];

/** Both spellings of a CPR, to search stored and returned text for. */
const spellings = (cpr: string) => {
  const digits = cpr.replace('-', '');
  return [digits, `${digits.slice(0, 6)}-${digits.slice(6)}`];
};

describe('children with CPR', () => {
  it('derives the birth date by the century rule and stores no CPR anywhere', async () => {
    const texts: string[] = [];
    for (const [cpr, birthDate] of CENTURY_CASES) {
      const res = await register({ cpr, attributes: { restgruppe_origin: true } });
      const child = ok(res, 201);
      expect(child).toEqual({
        id: expect.any(String),
        external_ref: null,
        birth_date: birthDate,
        attributes: { restgruppe_origin: true },
        has_cpr: true,
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      texts.push(JSON.stringify(res.body), JSON.stringify(ok(await t.call('GET', `/v1/children/${child.id}`))));
    }
    expect(texts.join('\n')).not.toMatch(/cpr_hmac|cpr_key_id|"cpr"/);
    texts.push(await tableText(t, 'children'), await tableText(t, 'audit_log'));
    const haystack = texts.join('\n');
    for (const [cpr] of CENTURY_CASES) for (const s of spellings(cpr)) expect(haystack).not.toContain(s);
    const stored = await t.ctx.db.selectFrom('children').select(['cpr_hmac', 'cpr_key_id']).where('cpr_hmac', 'is not', null).execute();
    expect(stored.length).toBe(CENTURY_CASES.length);
    for (const row of stored) expect(row).toEqual({ cpr_hmac: expect.stringMatching(/^[0-9a-f]{64}$/), cpr_key_id: t.ctx.cpr.activeKeyId });
  });

  it('accepts a matching birth_date and rejects a different one', async () => {
    expect(ok(await register({ cpr: '020304-1111', birth_date: '1904-03-02' }), 201).birth_date).toBe('1904-03-02');
    const before = await count(t, 'children');
    expectProblem(await register({ cpr: '020304-2222', birth_date: '2004-03-02' }), 422, 'body.birth_date');
    expect(await count(t, 'children')).toBe(before);
  });

  it('rejects invalid, future and duplicate CPRs naming body.cpr, without echoing the number', async () => {
    const before = await count(t, 'children');
    for (const bad of ['300223-1234', '311390-1234', '12345', '01019O-1234', '010190--1234', '٠١٠١٩٠١٢٣٤']) {
      const res = await register({ cpr: bad });
      expectProblem(res, 422, 'body.cpr');
      expect(JSON.stringify(res.body)).not.toContain(bad.replace('-', ''));
    }
    expectProblem(await register({ cpr: '010150-5000' }), 422, 'body.cpr'); // 2050: not yet born
    expectProblem(await register({ cpr: '0101901234' }), 409, 'body.cpr'); // registered above with a dash
    expectProblem(await register({ cpr: 12345 }), 400, 'body.cpr');
    expect(await count(t, 'children')).toBe(before);
  });

  it('looks a child up by CPR (POST body, any spelling) for admin and integration keys', async () => {
    const child = ok(await register({ cpr: '050607-1234', external_ref: 'ext-lookup' }), 201);
    expect(ok(await lookup('0506071234'))).toEqual(child);
    expect(ok(await lookup(' 050607-1234 ', integration)).id).toBe(child.id);
    expect(ok(await t.call('GET', `/v1/children/${child.id}`, undefined, integration)).id).toBe(child.id);
    expectProblem(await lookup('050607-9999'), 404, 'body.cpr');
    expectProblem(await lookup('not a cpr'), 422, 'body.cpr');
    const auditor = await createKey(t, { role: 'auditor' });
    expectProblem(await lookup('050607-1234', auditor), 403);
    expectProblem(await t.call('GET', `/v1/children/${child.id}`, undefined, auditor), 403);
    expectProblem(await register({ birth_date: '2020-01-01' }, integration), 403);
    expectProblem(await t.call('GET', '/v1/children', undefined, integration), 403);
  });
});

describe('children without CPR', () => {
  it('registers by birth date, updates and lists', async () => {
    const child = ok(await register({ birth_date: '2019-03-15', external_ref: 'C1', attributes: { area: 'vollsmose', n: 2, x: null } }), 201);
    expect(child).toMatchObject({ birth_date: '2019-03-15', external_ref: 'C1', has_cpr: false, attributes: { area: 'vollsmose', n: 2, x: null } });
    const updated = ok(await t.call('PATCH', `/v1/children/${child.id}`, { attributes: { restgruppe_origin: false }, birth_date: '2019-03-16' }));
    expect(updated).toMatchObject({ birth_date: '2019-03-16', attributes: { restgruppe_origin: false } });
    expect(ok(await t.call('GET', '/v1/children?external_ref=C1')).items.map((c: any) => c.id)).toEqual([child.id]);

    const { items } = await allPages(t, '/v1/children', 3);
    expect(items.length).toBe(await count(t, 'children'));
    expect(new Set(items.map((c) => c.id)).size).toBe(items.length);
  });

  it('rejects bad input naming the field', async () => {
    const before = await count(t, 'children');
    expectProblem(await register({}), 422, 'body.birth_date');
    expectProblem(await register({ birth_date: '2023-02-30' }), 400, 'body.birth_date');
    expectProblem(await register({ birth_date: '2999-01-01' }), 422, 'body.birth_date');
    expectProblem(await register({ birth_date: '2020-01-01', attributes: { nested: { a: 1 } } }), 400, 'body.attributes.nested');
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`a${i}`, i]));
    expectProblem(await register({ birth_date: '2020-01-01', attributes: many }), 400, 'body.attributes');
    expectProblem(await register({ birth_date: '2020-01-01', external_ref: 'C1' }), 409, 'body.external_ref');
    expectProblem(await register({ birth_date: '2020-01-01', name: 'Ole' }), 400, 'body.name');
    expect(await count(t, 'children')).toBe(before);

    const withCpr = ok(await register({ cpr: '101010-1010' }), 201);
    expectProblem(await t.call('PATCH', `/v1/children/${withCpr.id}`, { birth_date: '1910-10-11' }), 422, 'body.birth_date');
    expectProblem(await t.call('PATCH', '/v1/children/00000000-0000-4000-8000-000000000000', { attributes: {} }), 404, 'params.id');
  });
});

describe('CPR key rotation', () => {
  const actorOf = (t: TestApp): Principal => ({ keyId: parseApiKey(t.adminKey)!.id, role: 'admin', institutionId: null, scope: null });
  const service = (ring: CprKeyring) =>
    new ChildService({ db: t.ctx.db, log: t.ctx.log, cpr: ring, clock: () => new Date(), timeZone: 'Europe/Copenhagen', afterCommit: () => undefined });

  it('finds children hashed with an older key, detects duplicates across keys and re-hashes lazily', async () => {
    const k1 = { id: 'k1', secret: randomBytes(32) };
    const k2 = { id: 'k2', secret: randomBytes(32) };
    const before = service(new CprKeyring([k1], 'k1'));
    const after = service(new CprKeyring([k1, k2], 'k2'));
    const actor = actorOf(t);

    const child = await before.register(actor, { cpr: '121212-1212' });
    const row = () => t.ctx.db.selectFrom('children').select(['cpr_key_id', 'cpr_hmac']).where('id', '=', child.id).executeTakeFirstOrThrow();
    expect((await row()).cpr_key_id).toBe('k1');

    const duplicate = await after.register(actor, { cpr: '1212121212' }).catch((e: unknown) => e);
    expect(duplicate).toBeInstanceOf(ProblemError);
    expect((duplicate as ProblemError).status).toBe(409);
    expect((duplicate as ProblemError).errors[0]?.field).toBe('body.cpr');

    expect((await after.lookup(actor, '121212-1212')).id).toBe(child.id);
    expect(await row()).toEqual({ cpr_key_id: 'k2', cpr_hmac: new CprKeyring([k2], 'k2').hash('1212121212').hmac });
    // Once re-hashed, the old key is no longer needed for this child.
    expect((await service(new CprKeyring([k2], 'k2')).lookup(actor, '121212-1212')).id).toBe(child.id);
  });
});
