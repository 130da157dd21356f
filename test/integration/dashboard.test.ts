import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { createKey, ok } from './registry/helpers.js';
import { parseApiKey } from '../../src/auth/api-key.js';

/**
 * The dashboard's sessions and access rules without a browser (test/browser has the browser):
 * sign-in gives an HttpOnly SameSite=Strict cookie holding a random token (only its hash is
 * stored), a cross-site sign-in is refused, revoking the key ends the session, an institution's
 * session reaches only its own pages, and the pages carry a strict CSP with every asset local.
 */
let t: TestApp;
let instA: any;
let instB: any;

async function signIn(key: string, headers: Record<string, string> = {}) {
  return t.app.inject({
    method: 'POST',
    url: '/app/login',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: `key=${encodeURIComponent(key)}`,
  });
}
const cookieOf = (res: { headers: Record<string, unknown> }) => String(res.headers['set-cookie']).split(';')[0]!;
const get = (url: string, cookie: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });

beforeAll(async () => {
  t = await createTestApp();
  instA = ok(await t.call('POST', '/v1/institutions', { code: 'V-1', kind: 'vuggestue', name: 'V1' }), 201);
  instB = ok(await t.call('POST', '/v1/institutions', { code: 'V-2', kind: 'vuggestue', name: 'V2' }), 201);
}, 60_000);
afterAll(async () => t?.close());

describe('dashboard sessions', () => {
  it('signs in with a key: a session cookie (HttpOnly, SameSite=Strict, /app), only the token’s hash stored', async () => {
    const res = await signIn(t.adminKey, { origin: 'http://localhost:80', host: 'localhost:80' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/app/');
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^smb_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\/app/);
    expect(setCookie).not.toContain(parseApiKey(t.adminKey)!.id);
    const token = cookieOf(res).split('=')[1]!;
    const { rows } = await sql<{ token_hash: string }>`select token_hash from dashboard_sessions`.execute(t.ctx.db);
    expect(rows.map((r) => r.token_hash)).not.toContain(token);
    expect(rows.length).toBe(1);
    const page = await get('/app/', cookieOf(res));
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'; script-src 'self'; style-src 'self'/);
    // Every script and stylesheet is served from /app/assets/ by this process.
    const srcs = [...page.body.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
    expect(srcs.length).toBeGreaterThanOrEqual(4);
    for (const src of srcs) {
      expect(src).toMatch(/^\/app\/assets\//);
      expect((await get(src, '')).statusCode, src).toBe(200);
    }
  });

  it('refuses a wrong key, an integration key and a cross-site sign-in, setting no cookie', async () => {
    const integ = await createKey(t, { role: 'integration', scope: { kinds: null, institutions: null, enrolments: false } });
    for (const res of [
      await signIn('smb_00000000000000000000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'),
      await signIn(integ),
      await signIn(t.adminKey, { origin: 'https://evil.example' }),
      await signIn(t.adminKey, { 'sec-fetch-site': 'cross-site' }),
    ]) {
      expect([401, 403]).toContain(res.statusCode);
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(res.body).not.toContain('smb_0000');
    }
  });

  it('sends a page without a session to the sign-in, and ends a session when its key is revoked', async () => {
    expect((await get('/app/', '')).headers.location).toBe('/app/login');
    const key = await createKey(t, { role: 'auditor' });
    const cookie = cookieOf(await signIn(key));
    expect((await get('/app/payment-runs', cookie)).statusCode).toBe(200);
    ok(await t.call('POST', `/v1/api-keys/${parseApiKey(key)!.id}/revoke`, {}));
    expect((await get('/app/payment-runs', cookie)).headers.location).toBe('/app/login');
  });

  it('an institution reaches its own page only; money pages and other institutions read as not found', async () => {
    const cookie = cookieOf(await signIn(await createKey(t, { role: 'institution', institution: 'V-1' })));
    expect((await get('/app/', cookie)).headers.location).toBe(`/app/institutions/${instA.id}`);
    expect((await get(`/app/institutions/${instA.id}`, cookie)).statusCode).toBe(200);
    for (const url of [
      `/app/institutions/${instB.id}`,
      `/app/institutions/${instB.id}/statement.csv`,
      '/app/ledger',
      '/app/ledger/verify',
      '/app/payment-runs',
      '/app/awards/00000000-0000-4000-8000-000000000000',
    ]) {
      const res = await get(url, cookie);
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
    }
  });

  it('is not part of the API: the API ignores the cookie and the OpenAPI document has no /app route', async () => {
    const cookie = cookieOf(await signIn(t.adminKey));
    const res = await t.app.inject({ method: 'GET', url: '/v1/funds', headers: { cookie } });
    expect(res.statusCode).toBe(401);
    const doc = ok(await t.call('GET', '/openapi.json', undefined, null));
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/app'))).toEqual([]);
  });
});
