import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseApiKey } from '../../../src/auth/api-key.js';
import { createTestApp, type TestApp } from '../../support/app.js';
import { allPages, count, createKey, expectProblem, ok, tableText } from './helpers.js';

let t: TestApp;
let inst: { id: string; code: string };
const post = (body: Record<string, unknown>, key?: string) => t.call('POST', '/v1/api-keys', { name: 'k', ...body }, key);

beforeAll(async () => {
  t = await createTestApp();
  inst = ok(await t.call('POST', '/v1/institutions', { code: 'K-1', kind: 'skole' }), 201);
  ok(await t.call('PUT', '/v1/measurement-kinds/kontanthjaelp', { type: 'boolean' }), 200);
});
afterAll(() => t?.close());

describe('API keys', () => {
  it('shows the key once, stores only its hash, and lists keys without secrets', async () => {
    const created = ok(await post({ name: ' ops ', role: 'integration', scope: { kinds: ['kontanthjaelp'], institutions: ['K-1'], enrolments: true } }), 201);
    expect(created).toEqual({
      id: expect.any(String),
      name: 'ops',
      role: 'integration',
      institution_id: null,
      scope: { kinds: ['kontanthjaelp'], institutions: [inst.id], enrolments: true },
      created_at: expect.any(String),
      revoked_at: null,
      key: expect.stringMatching(/^smb_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/),
    });
    const { key, ...rest } = created;
    expect(ok(await t.call('GET', `/v1/api-keys/${created.id}`))).toEqual(rest);
    const secret = key.split('_').pop();
    expect(await tableText(t, 'api_keys')).not.toContain(secret);
    expect(await tableText(t, 'audit_log')).not.toContain(secret);

    const institutionKey = ok(await post({ role: 'institution', institution: 'K-1' }), 201);
    expect(institutionKey).toMatchObject({ role: 'institution', institution_id: inst.id, scope: null });
    ok(await post({ role: 'auditor' }), 201);
    ok(await post({ role: 'admin' }), 201);

    const { items } = await allPages(t, '/v1/api-keys', 2);
    expect(items.length).toBe(await count(t, 'api_keys'));
    for (const item of items) expect(item).not.toHaveProperty('key');
    expect(JSON.stringify(items)).not.toContain(secret);
  });

  it('validates role-specific fields naming them, creating nothing', async () => {
    const before = await count(t, 'api_keys');
    expectProblem(await post({ role: 'institution' }), 422, 'body.institution');
    expectProblem(await post({ role: 'auditor', institution: 'K-1' }), 422, 'body.institution');
    expectProblem(await post({ role: 'integration' }), 422, 'body.scope');
    expectProblem(await post({ role: 'admin', scope: { kinds: null, institutions: null } }), 422, 'body.scope');
    expectProblem(await post({ role: 'institution', institution: 'NOPE' }), 422, 'body.institution');
    expectProblem(await post({ role: 'integration', scope: { kinds: ['kontanthjaelp', 'nope'], institutions: null } }), 422, 'body.scope.kinds.1');
    expectProblem(await post({ role: 'integration', scope: { kinds: null, institutions: ['K-1', 'NOPE'] } }), 422, 'body.scope.institutions.1');
    expectProblem(await post({ role: 'integration', scope: { kinds: null, institutions: null, extra: 1 } }), 400, 'body.scope.extra');
    expectProblem(await post({ role: 'root' }), 400, 'body.role');
    expect(await count(t, 'api_keys')).toBe(before);
  });

  it('rejects missing, malformed and revoked keys with 401 — revocation takes effect immediately', async () => {
    expectProblem(await t.call('GET', '/v1/funds', undefined, null), 401);
    expectProblem(await t.call('GET', '/v1/funds', undefined, 'smb_nonsense'), 401);
    const auditor = await createKey(t, { role: 'auditor' });
    ok(await t.call('GET', '/v1/funds', undefined, auditor));
    const id = parseApiKey(auditor)!.id;
    const revoked = ok(await t.call('POST', `/v1/api-keys/${id}/revoke`));
    expect(revoked.revoked_at).toEqual(expect.any(String));
    const res = await t.call('GET', '/v1/funds', undefined, auditor);
    expectProblem(res, 401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    // Idempotent: revoking again answers the same revoked key.
    expect(ok(await t.call('POST', `/v1/api-keys/${id}/revoke`)).revoked_at).toBe(revoked.revoked_at);
    expectProblem(await t.call('POST', '/v1/api-keys/00000000-0000-4000-8000-000000000000/revoke'), 404, 'params.id');
  });

  it('lets nobody but admin manage keys', async () => {
    const keys = {
      auditor: await createKey(t, { role: 'auditor' }),
      institution: await createKey(t, { role: 'institution', institution: 'K-1' }),
      integration: await createKey(t, { role: 'integration', scope: { kinds: null, institutions: null, enrolments: true } }),
    };
    for (const key of Object.values(keys)) {
      expectProblem(await post({ role: 'admin' }, key), 403);
      expectProblem(await t.call('GET', '/v1/api-keys', undefined, key), 403);
    }
  });

  it('auditors cannot POST or PATCH anything in the registry', async () => {
    const auditor = await createKey(t, { role: 'auditor' });
    const child = ok(await t.call('POST', '/v1/children', { birth_date: '2020-01-01' }), 201);
    const fund = ok(await t.call('POST', '/v1/funds', { name: 'F' }), 201);
    const e = ok(await t.call('POST', '/v1/enrolments', { child: child.id, institution: 'K-1', start: '2026-01-01' }), 201);
    const writes: Array<[string, string, unknown]> = [
      ['POST', '/v1/funds', { name: 'x' }],
      ['PATCH', `/v1/funds/${fund.id}`, { name: 'x' }],
      ['POST', '/v1/institutions', { code: 'x', kind: 'skole' }],
      ['PATCH', `/v1/institutions/${inst.id}`, { name: 'x' }],
      ['POST', `/v1/institutions/${inst.id}/close`, { closed_on: '2024-01-01' }],
      ['POST', '/v1/children', { birth_date: '2020-01-01' }],
      ['PATCH', `/v1/children/${child.id}`, { attributes: {} }],
      ['POST', '/v1/children/lookup', { cpr: '010190-1234' }],
      ['POST', '/v1/enrolments', { child: child.id, institution: 'K-1', start: '2020-01-01' }],
      ['PATCH', `/v1/enrolments/${e.id}`, { end: null }],
      ['POST', `/v1/enrolments/${e.id}/end`, { end: '2027-01-01' }],
      ['DELETE', `/v1/enrolments/${e.id}`, undefined],
      ['POST', '/v1/measurement-kinds', { key: 'x', type: 'boolean' }],
      ['POST', '/v1/institution-kinds', { key: 'x', label: 'x' }],
      ['POST', '/v1/api-keys', { name: 'x', role: 'admin' }],
    ];
    const audits = await count(t, 'audit_log');
    for (const [method, url, body] of writes) expectProblem(await t.call(method as 'POST', url, body, auditor), 403);
    expect(await count(t, 'audit_log')).toBe(audits);
  });
});
