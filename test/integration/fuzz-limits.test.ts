import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { createKey } from './registry/helpers.js';
import { QUIET_ENV, deepJsonText, expectRejected, jsonText, operations, pathOf, send, snapshot, type World } from './fuzz/support.js';
import { parseApiKey } from '../../src/auth/api-key.js';

/**
 * Limits and envelopes, for every operation with a body: bodies over BODY_LIMIT_BYTES (413),
 * content types other than JSON (415), malformed JSON and nesting 10,000 deep (400) — each a
 * problem+json, the database unchanged and the server still answering. Then the rate limit:
 * a token bucket per API key (per address without one) answering 429 with Retry-After.
 */
const LIMIT = 64 * 1024;
const bodyOps = operations().filter((o) => o.body);
// Path ids need not exist: every request here fails before a handler runs.
const anyIds = new Proxy({}, { get: () => '6f1c7e2a-8f4b-4c1d-9a1e-2b3c4d5e6f70' }) as World;

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { ...QUIET_ENV, BODY_LIMIT_BYTES: String(LIMIT), RATE_LIMIT_PER_SECOND: '0' } });
}, 120_000);
afterAll(async () => t?.close());

describe('request envelopes on every operation with a body', () => {
  it('a body over BODY_LIMIT_BYTES → 413, wrong content types → 415, malformed or 10,000-deep JSON → 400; nothing stored', async () => {
    const before = await snapshot(t);
    for (const op of bodyOps) {
      const url = pathOf({ ...op, path: op.path.replace('{key}', 'k') }, anyIds);
      const big = jsonText({ name: 'x'.repeat(LIMIT) });
      expectRejected(await send(t, op.method, url, { payload: big }), `${op.op} oversized`, 'body');
      if (op.path.endsWith('/batch')) {
        expectRejected(await send(t, op.method, url, { payload: `[${'1,'.repeat(LIMIT / 2)}1]` }), `${op.op} oversized array`, 'body');
      }
      for (const contentType of ['text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'image/png']) {
        const a = await send(t, op.method, url, { payload: '{}', contentType });
        expectRejected(a, `${op.op} as ${contentType}`, 'headers.content-type');
        expect(a.status).toBe(415);
      }
      for (const text of [
        '{',
        '{"a":1,}',
        'nul',
        "{'a':1}",
        '{"a":1}{"b":2}',
        '\ufeff{"a":1}x',
        '{"a":NaN}',
        '{"__proto__":{"x":1}}',
        '{"constructor":{"prototype":{"x":1}}}',
      ]) {
        const a = await send(t, op.method, url, { payload: text });
        expectRejected(a, `${op.op} malformed ${text}`, 'body');
        expect(a.status).toBe(400);
      }
      for (const kind of ['array', 'object'] as const) {
        const a = await send(t, op.method, url, { payload: deepJsonText(10_000, kind) });
        // A batch takes any array: its one (nested) item is rejected — see fuzz-batch.test.ts.
        if (kind === 'array' && op.path.endsWith('/batch')) expect(a.body.results[0].outcome).toBe('rejected');
        else expectRejected(a, `${op.op} ${kind} 10,000 deep`);
      }
    }
    expect((await send(t, 'GET', '/healthz')).status).toBe(200);
    expect(await snapshot(t)).toEqual(before);
  }, 60_000);

  it('random bytes as a JSON body → 4xx problem, never a 5xx', async () => {
    const before = await snapshot(t);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...bodyOps), fc.uint8Array({ minLength: 1, maxLength: 300 }), async (op, bytes) => {
        const a = await send(t, op.method, pathOf({ ...op, path: op.path.replace('{key}', 'k') }, anyIds), { payload: Buffer.from(bytes) });
        expectRejected(a, `${op.op} ${Buffer.from(bytes).toString('hex').slice(0, 80)}`);
      }),
      { numRuns: 150 },
    );
    expect(await snapshot(t)).toEqual(before);
  });
});

describe('rate limit', () => {
  let limited: TestApp;
  beforeAll(async () => {
    // One token per 1,000 s: the bucket does not refill while the test runs.
    limited = await createTestApp({ env: { ...QUIET_ENV, RATE_LIMIT_PER_SECOND: '0.001', RATE_LIMIT_BURST: '3' } });
  }, 120_000);
  afterAll(async () => limited?.close());

  it('a key over its burst gets 429 problem+json with Retry-After; other keys, anonymous callers and health checks are not affected', async () => {
    const key = await createKey(limited, { role: 'auditor' }); // spends one of the admin key's tokens
    for (let i = 0; i < 3; i++) {
      const a = await send(limited, 'GET', '/v1/funds', { key });
      expect(a.status).toBe(200);
      expect(a.headers['ratelimit-limit']).toBe('3');
      expect(a.headers['ratelimit-remaining']).toBe(String(2 - i));
    }
    const refused = await send(limited, 'GET', '/v1/funds', { key });
    expectRejected(refused, 'fourth request');
    expect(refused.status).toBe(429);
    expect(refused.body.title).toBe('Too many requests');
    expect(refused.body.detail).toMatch(/API key/);
    expect(Number(refused.headers['retry-after'])).toBe(1000);
    expect(refused.headers['ratelimit-remaining']).toBe('0');
    // Counted before authentication: a refused request costs no key lookup, writes nothing.
    expect((await send(limited, 'POST', '/v1/funds', { key, payload: jsonText({ name: 'x' }) })).status).toBe(429);

    expect((await send(limited, 'GET', '/v1/funds')).status).toBe(200); // the admin key has its own bucket
    for (const path of ['/healthz', '/readyz', '/metrics']) expect((await send(limited, 'GET', path, { key })).status).toBe(200);

    // Without a key: counted per client address, and still answered 401 until that bucket is empty.
    const anonymous = [];
    for (let i = 0; i < 4; i++) anonymous.push((await send(limited, 'GET', '/v1/funds', { key: null })).status);
    expect(anonymous).toEqual([401, 401, 401, 429]);
    // A well-formed but unknown key is counted against its own id.
    const unknown = `smb_${'0'.repeat(32)}_${'A'.repeat(43)}`;
    expect(parseApiKey(unknown)).not.toBeNull();
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await send(limited, 'GET', '/v1/funds', { key: unknown })).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});
