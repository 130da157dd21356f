/**
 * The principal cache (src/http/plugins/auth.ts): a verified key is answered from memory, and a
 * revocation still takes effect at once — in the revoking process before the revocation answers,
 * in another API process on the same database through the revocation NOTIFY, and while the
 * LISTEN connection is down every request is checked in the database.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseApiKey } from '../../src/auth/api-key.js';
import { loadConfig } from '../../src/config.js';
import { createContext, type AppContext } from '../../src/context.js';
import { createLogger } from '../../src/logger.js';
import { buildApp, type App } from '../../src/http/app.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { checkResponses } from '../support/contract.js';
import { createKey, expectProblem, ok } from './registry/helpers.js';

let t: TestApp;
/** A second API process on the same database: its own pool, cache and LISTEN connection. */
let other: { ctx: AppContext; app: App };

const get = async (app: App, key: string) => {
  const res = await app.inject({ method: 'GET', url: '/v1/funds', headers: { authorization: `Bearer ${key}` } });
  return { status: res.statusCode, body: res.json(), headers: res.headers as Record<string, unknown> };
};
const listening = (app: App) => vi.waitFor(() => expect(app.authCache.listener?.isReady).toBe(true), { timeout: 10_000 });

beforeAll(async () => {
  t = await createTestApp();
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: t.ctx.config.DATABASE_URL, PG_POOL_MAX: '2' });
  const ctx = await createContext(config, createLogger('silent'), { inMemory: true });
  other = { ctx, app: checkResponses(await buildApp(ctx)) };
  await other.app.ready();
  await Promise.all([listening(t.app), listening(other.app)]);
});
afterAll(async () => {
  await other?.app.close();
  await other?.ctx.close();
  await t?.close();
});

describe('principal cache', () => {
  it('answers a verified key from memory, and the request right after its revocation is 401', async () => {
    const key = await createKey(t, { role: 'auditor' });
    const lookups = vi.spyOn(t.ctx.apiKeys, 'authenticate');
    ok(await t.call('GET', '/v1/funds', undefined, key));
    ok(await t.call('GET', '/v1/funds', undefined, key));
    expect(lookups).toHaveBeenCalledTimes(1); // the second request did not ask the database
    lookups.mockRestore();

    ok(await t.call('POST', `/v1/api-keys/${parseApiKey(key)!.id}/revoke`));
    const res = await t.call('GET', '/v1/funds', undefined, key);
    expectProblem(res, 401);
  });

  it('never serves a cached key for a different secret', async () => {
    const key = await createKey(t, { role: 'auditor' });
    ok(await t.call('GET', '/v1/funds', undefined, key));
    const forged = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
    expectProblem(await t.call('GET', '/v1/funds', undefined, forged), 401);
  });

  it('has another API process drop a key it cached before the revocation answers', async () => {
    const key = await createKey(t, { role: 'auditor' });
    const id = parseApiKey(key)!.id;
    const lookups = vi.spyOn(other.ctx.apiKeys, 'authenticate');
    ok(await get(other.app, key));
    ok(await get(other.app, key));
    expect(lookups).toHaveBeenCalledTimes(1);
    lookups.mockRestore();

    // Through the first process: it answers once the other one has acknowledged the NOTIFY.
    ok(await t.call('POST', `/v1/api-keys/${id}/revoke`));
    expectProblem(await get(other.app, key), 401);
  });

  it('checks every request in the database while the LISTEN connection is down', async () => {
    const key = await createKey(t, { role: 'auditor' });
    ok(await get(other.app, key));
    const listener = other.app.authCache.listener!;
    await sql`SELECT pg_terminate_backend(${listener.backendPid!})`.execute(t.ctx.db);
    await vi.waitFor(() => expect(listener.isReady).toBe(false), { timeout: 10_000 });
    // A revocation this process can never hear of (no NOTIFY): only the database knows.
    await sql`UPDATE api_keys SET revoked_at = now() WHERE id = ${parseApiKey(key)!.id}`.execute(t.ctx.db);
    const lookups = vi.spyOn(other.ctx.apiKeys, 'authenticate');
    expectProblem(await get(other.app, key), 401);
    expect(lookups).toHaveBeenCalledTimes(1);
    lookups.mockRestore();
    // It reconnects by itself, and starts with an empty cache.
    await listening(other.app);
    expect(other.app.authCache.cache.size).toBe(0);
    expectProblem(await get(other.app, key), 401);
  });
});
