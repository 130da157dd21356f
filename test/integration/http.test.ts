import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { BODY_LIMIT_BYTES: '4096' } });
});
afterAll(async () => t?.close());

describe('operational endpoints', () => {
  it('answers liveness and readiness without a key', async () => {
    expect((await t.call('GET', '/healthz', undefined, null)).body).toEqual({ status: 'ok' });
    const ready = await t.call('GET', '/readyz', undefined, null);
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', database: 'postgres', queue: 'in-process' });
  });

  it('serves the OpenAPI document and Swagger UI publicly', async () => {
    const doc = await t.call('GET', '/openapi.json', undefined, null);
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    const ui = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(ui.statusCode).toBeLessThan(400);
  });

  it('exposes Prometheus metrics', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/http_request_duration_seconds/);
    expect(res.body).toMatch(/outbox_pending/);
    expect(res.body).toMatch(/webhook_deliveries_pending 0/);
    expect(res.body).toMatch(/webhook_queue_jobs\{state="waiting"\} 0/);
  });
});

describe('bad requests are problem+json naming the field', () => {
  const expectProblem = (res: { status: number; headers: Record<string, unknown>; body: any }, status: number, field?: string) => {
    expect(res.status).toBe(status);
    expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
    expect(res.body.status).toBe(status);
    if (field) expect(res.body.errors?.[0]?.field ?? res.body.field).toBe(field);
  };

  it('unknown route → 404', async () => {
    expectProblem(await t.call('GET', '/v1/nothing-here'), 404);
  });

  it('no key → 401 with WWW-Authenticate; malformed key → 401', async () => {
    const res = await t.call('GET', '/v1/funds', undefined, null);
    expectProblem(res, 401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expectProblem(await t.call('GET', '/v1/funds', undefined, 'smb_not-a-key'), 401);
  });

  it('malformed JSON → 400 naming the body', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/funds',
      headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expectProblem({ status: res.statusCode, headers: res.headers, body: JSON.parse(res.body) }, 400, 'body');
  });

  it('an oversized body → 413', async () => {
    const res = await t.call('POST', '/v1/funds', { name: 'x'.repeat(10_000) });
    expectProblem(res, 413, 'body');
  });

  it('a schema violation → 400 naming the nested field, and nothing is stored', async () => {
    const before = await t.call('GET', '/v1/funds');
    const res = await t.call('POST', '/v1/rules', { fund_id: 'nope', kind: 'x', versions: [] });
    expectProblem(res, 400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('body.fund_id');
    expect((await t.call('GET', '/v1/funds')).body).toEqual(before.body);
  });

  it('a deposit ≤ 0 is rejected naming amount_ore', async () => {
    const fund = await t.call('POST', '/v1/funds', { name: 'F' });
    expectProblem(await t.call('POST', `/v1/funds/${fund.body.id}/deposits`, { amount_ore: 0, funder: 'x' }), 400, 'body.amount_ore');
    expectProblem(await t.call('POST', `/v1/funds/${fund.body.id}/deposits`, { amount_ore: -5, funder: 'x' }), 400, 'body.amount_ore');
    const balances = await t.call('GET', `/v1/funds/${fund.body.id}/balances`);
    expect(balances.body.available_ore).toBe(0);
  });
});
