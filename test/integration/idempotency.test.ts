import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { count, expectProblem } from './registry/helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const post = (url: string, body: unknown, key?: string) =>
  t.app.inject({
    method: 'POST',
    url,
    headers: { authorization: `Bearer ${t.adminKey}`, ...(key ? { 'idempotency-key': key } : {}) },
    payload: body as object,
  });

describe('Idempotency-Key on POST', () => {
  it('replays the stored response for the same key and body, without doing it twice', async () => {
    const first = await post('/v1/funds', { name: 'Vollsmose fund' }, 'k-1');
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await post('/v1/funds', { name: 'Vollsmose fund' }, 'k-1');
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(JSON.parse(again.body)).toEqual(JSON.parse(first.body));
    expect(await count(t, 'funds')).toBe(1);
  });

  it('answers 422 when the key is reused with a different body', async () => {
    await post('/v1/funds', { name: 'A' }, 'k-2');
    const res = await post('/v1/funds', { name: 'B' }, 'k-2');
    expectProblem({ status: res.statusCode, headers: res.headers, body: JSON.parse(res.body) }, 422, 'headers.idempotency-key');
  });

  it('answers 409 while the first request is still in progress', async () => {
    // Simulate a first request that has claimed the key but not finished.
    const fundBody = { name: 'C' };
    const { keyId } = (await t.ctx.apiKeys.authenticate(t.adminKey))!;
    const { createHash } = await import('node:crypto');
    await t.ctx.db
      .insertInto('idempotency_keys')
      .values({
        api_key_id: keyId,
        idempotency_key: 'k-3',
        request_hash: createHash('sha256')
          .update(`POST /v1/funds\n${JSON.stringify(fundBody)}`)
          .digest('hex'),
        state: 'in_progress',
        expires_at: new Date(Date.now() + 3600_000),
      })
      .execute();
    const res = await post('/v1/funds', fundBody, 'k-3');
    expect(res.statusCode).toBe(409);
    expect(res.headers['retry-after']).toBe('1');
  });

  it('stores nothing for a request rejected by validation, and keys are per API key', async () => {
    const bad = await post('/v1/funds', { name: '' }, 'k-4');
    expect(bad.statusCode).toBe(400);
    const good = await post('/v1/funds', { name: 'D' }, 'k-4');
    expect(good.statusCode).toBe(201);
    expect(good.headers['idempotent-replayed']).toBeUndefined();
  });

  it('rejects a malformed key', async () => {
    const res = await post('/v1/funds', { name: 'E' }, 'ä'.repeat(3));
    expect(res.statusCode).toBe(400);
  });
});
