/**
 * Consistency a client author relies on (issue 10, item 7): one way to serialise, one list shape,
 * integer øre everywhere, the documented ways to name a child, fields named in every refusal,
 * numbers that JSON carries exactly, and HTTP's own answers for encodings and methods.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { buildWorld, QUIET_ENV, type World } from './fuzz/support.js';
import { expectProblem, ok } from './registry/helpers.js';
import { businessDate } from '../../src/services/business-date.js';

let t: TestApp;
let w: World;
beforeAll(async () => {
  t = await createTestApp({ env: QUIET_ENV });
  w = await buildWorld(t);
}, 120_000);
afterAll(async () => t?.close());

describe('award revisions and objections', () => {
  it('GET /v1/awards/{id}/revisions is a page of items with integer øre and payouts like the award’s', async () => {
    // A second result: the enrolment moves from V-1 to V-2, so the payout changes hands.
    ok(await t.call('PATCH', `/v1/enrolments/${w.enrolment}`, { institution: 'V-2' }));
    await t.settled();
    const page = ok(await t.call('GET', `/v1/awards/${w.award}/revisions`));
    expect(Object.keys(page)).toEqual(['items', 'next_cursor']);
    expect(page.next_cursor).toBeNull();
    expect(page.items.map((r: { revision: number }) => r.revision)).toEqual([1, 2]);
    for (const r of page.items) {
      expect(Number.isSafeInteger(r.amount_ore) && Number.isSafeInteger(r.retained_ore)).toBe(true);
      for (const p of r.payouts) expect(p).toEqual({ institution_id: expect.any(String), code: expect.any(String), amount_ore: expect.any(Number) });
      expect(r.explanation).toMatchObject({ amount_ore: r.amount_ore });
    }
    expect(page.items[0].payouts).toEqual([{ institution_id: w.instA, code: 'V-1', amount_ore: 832117 }]);
    expect(page.items[1].payouts.map((p: { code: string }) => p.code)).toEqual(['V-2']);
    // The current revision is the award as it reads now.
    const award = ok(await t.call('GET', `/v1/awards/${w.award}`));
    expect(page.items[1]).toMatchObject({ revision: award.revision, amount_ore: award.amount_ore, retained_ore: award.retained_ore });
  });

  it('GET /v1/awards/{id}/objections is a page of items too', async () => {
    const page = ok(await t.call('GET', `/v1/awards/${w.award}/objections`));
    expect(Object.keys(page)).toEqual(['items', 'next_cursor']);
    expect(page).toMatchObject({ items: [{ id: w.objection, award_id: w.award, status: 'open' }], next_cursor: null });
  });
});

describe('dates PostgreSQL cannot store', () => {
  it('0000-01-01 is refused naming the field (it used to reach the database and come back as `body`)', async () => {
    expectProblem(await t.call('POST', '/v1/children', { birth_date: '0000-01-01' }), 400, 'body.birth_date');
    expectProblem(await t.call('POST', '/v1/enrolments', { child: w.child, institution: 'V-1', start: '0000-01-01' }), 400, 'body.start');
    const m = { child_id: w.child, kind: 'sprogvurdering', period: 'age-9', value: 'generel', measured_on: '0000-12-31' };
    expectProblem(await t.call('POST', '/v1/measurements', m), 400, 'body.measured_on');
    expectProblem(await t.call('GET', `/v1/institutions/${w.instA}/statement?from=0000-01-01&to=2030-01-01`), 400, 'query.from');
    // The first year PostgreSQL has is fine.
    ok(await t.call('POST', '/v1/children', { birth_date: '0001-01-01', external_ref: 'year-one' }), 201);
  });
});

describe('POST /v1/measurements/retract', () => {
  const submit = async (child: Record<string, string>, period: string) =>
    ok(await t.call('POST', '/v1/measurements', { ...child, kind: 'score', period, value: 50, measured_on: '2024-01-10' }), 201).measurement.id as string;
  const retract = (child: Record<string, string>, period: string) => t.call('POST', '/v1/measurements/retract', { ...child, kind: 'score', period });

  it('names the child by child_id, child_ref or cpr, as a submission does', async () => {
    for (const [child, period] of [
      [{ child_id: w.child }, 'by-id'],
      [{ child_ref: 'ref-1' }, 'by-ref'],
      [{ cpr: '150319-4123' }, 'by-cpr'],
      [{ cpr: '1503194123' }, 'by-cpr-no-dash'],
    ] as const) {
      const id = await submit(child, period);
      const res = ok(await retract(child, period));
      expect(res).toMatchObject({ outcome: 'retracted', measurement: { id, status: 'retracted' } });
      expect(ok(await retract(child, period)).outcome).toBe('unchanged');
    }
  });

  it('refuses none or two ways of naming the child, an unknown child and an invalid CPR, naming the field', async () => {
    expectProblem(await retract({}, 'by-id'), 400, 'body.child_id');
    expectProblem(await retract({ child_id: w.child, cpr: '150319-4123' }, 'by-id'), 400, 'body.child_id');
    expectProblem(await retract({ child_ref: 'nobody' }, 'by-id'), 422, 'body.child_ref');
    expectProblem(await retract({ cpr: '010190-1234' }, 'by-id'), 422, 'body.cpr');
    expectProblem(await retract({ cpr: '320190-1234' }, 'by-id'), 422, 'body.cpr');
    expectProblem(await retract({ child_ref: 'ref-1' }, 'never-measured'), 404, 'body.period');
  });
});

describe('GET /v1/institutions/{id}/statement', () => {
  const today = () => businessDate(new Date(), 'Europe/Copenhagen');

  it('takes the institution code as well as the id', async () => {
    const byId = ok(await t.call('GET', `/v1/institutions/${w.instA}/statement?from=2020-01-01&to=2030-12-31`));
    const byCode = ok(await t.call('GET', '/v1/institutions/V-1/statement?from=2020-01-01&to=2030-12-31'));
    expect(byCode).toEqual(byId);
    expect(byCode.institution).toMatchObject({ id: w.instA, code: 'V-1' });
    expect(byCode.movements.length).toBeGreaterThan(0);
  });

  it('defaults the period to the year to date: to = today, from = 1 January of to’s year', async () => {
    const s = ok(await t.call('GET', '/v1/institutions/V-1/statement'));
    expect([s.from, s.to]).toEqual([`${today().slice(0, 4)}-01-01`, today()]);
    const onlyTo = ok(await t.call('GET', '/v1/institutions/V-1/statement?to=2024-06-30'));
    expect([onlyTo.from, onlyTo.to]).toEqual(['2024-01-01', '2024-06-30']);
    const onlyFrom = ok(await t.call('GET', '/v1/institutions/V-1/statement?from=2020-01-01'));
    expect([onlyFrom.from, onlyFrom.to]).toEqual(['2020-01-01', today()]);
    expectProblem(await t.call('GET', '/v1/institutions/V-1/statement?from=2999-01-01'), 422, 'query.from');
    expectProblem(await t.call('GET', '/v1/institutions/V-1/statement?from=2024-02-01&to=2024-01-31'), 422, 'query.to');
  });

  it('an unknown institution is 404; an institution key reads only its own, by id or code (another or an unknown one: 403)', async () => {
    expectProblem(await t.call('GET', '/v1/institutions/NO-SUCH/statement'), 404, 'params.id');
    const own = ok(await t.call('POST', '/v1/api-keys', { name: 'v1', role: 'institution', institution: 'V-1' }), 201).key;
    ok(await t.call('GET', '/v1/institutions/V-1/statement', undefined, own));
    ok(await t.call('GET', `/v1/institutions/${w.instA}/statement`, undefined, own));
    expectProblem(await t.call('GET', '/v1/institutions/V-2/statement', undefined, own), 403);
    expectProblem(await t.call('GET', '/v1/institutions/NO-SUCH/statement', undefined, own), 403);
  });
});

describe('numbers JSON cannot carry exactly', () => {
  const post = (url: string, text: string) =>
    t.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/json' }, payload: text });

  it('a kind bound of 2^63 is refused naming the field, not stored as 9223372036854776000', async () => {
    const res = await post('/v1/measurement-kinds', '{"key":"big_bound","type":"number","min":0,"max":9223372036854775808}');
    expect(res.statusCode, res.body).toBe(400);
    expect(JSON.parse(res.body).errors).toEqual([{ field: 'body.max', message: expect.stringContaining('cannot carry exactly') }]);
    expect((await t.call('GET', '/v1/measurement-kinds/big_bound')).status).toBe(404);
    for (const [text, field] of [
      ['{"key":"big_bound","type":"number","min":-9007199254740993,"max":1}', 'body.min'],
      ['{"key":"big_bound","type":"number","min":0,"max":1e300}', 'body.max'],
    ] as const) {
      const r = await post('/v1/measurement-kinds', text);
      expect(r.statusCode, r.body).toBe(400);
      expect(JSON.parse(r.body).field).toBe(field);
    }
    // The largest safe integers are carried exactly, and stored as sent.
    const ok1 = await post('/v1/measurement-kinds', '{"key":"safe_bound","type":"number","min":-9007199254740991,"max":9007199254740991}');
    expect(ok1.statusCode, ok1.body).toBe(201);
    expect(JSON.parse(ok1.body)).toMatchObject({ min: -9007199254740991, max: 9007199254740991 });
  });

  it('in a JSON-array batch only the item holding such a number is rejected, naming its field', async () => {
    const res = await post(
      '/v1/measurements/batch',
      `[{"child_id":"${w.child}","kind":"score","period":"big-1","value":1e300,"measured_on":"2024-01-10"},` +
        `{"child_id":"${w.child}","kind":"score","period":"big-2","value":42,"measured_on":"2024-01-10"}]`,
    );
    expect(res.statusCode, res.body).toBe(200);
    const body = JSON.parse(res.body);
    expect(body.results[0]).toMatchObject({ outcome: 'rejected', problem: { status: 400, errors: [{ field: 'value' }] } });
    expect(body.results[1]).toMatchObject({ outcome: 'accepted' });
  });
});

describe('Content-Encoding', () => {
  const send = (url: string, body: Buffer | string, headers: Record<string, string>, key: string | null = t.adminKey) =>
    t.app.inject({ method: 'POST', url, headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers }, payload: body });

  it('a gzip body is 415 naming headers.content-encoding, with Accept-Encoding: identity — not "not valid JSON" — and nothing is stored', async () => {
    const before = (await t.call('GET', '/v1/funds?limit=100')).body.items.length;
    for (const [url, type, text] of [
      ['/v1/funds', 'application/json', '{"name":"gzipped"}'],
      ['/v1/children/batch', 'application/x-ndjson', '{"external_ref":"gz","birth_date":"2018-01-01"}\n'],
    ] as const) {
      for (const encoding of ['gzip', 'GZIP', 'deflate', 'br', 'identity, gzip']) {
        const res = await send(url, gzipSync(text), { 'content-type': type, 'content-encoding': encoding });
        expect(res.statusCode, `${url} ${encoding}: ${res.body}`).toBe(415);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.headers['accept-encoding']).toBe('identity');
        expect(JSON.parse(res.body).errors).toEqual([{ field: 'headers.content-encoding', message: expect.stringContaining('uncompressed') }]);
      }
    }
    expect((await t.call('GET', '/v1/funds?limit=100')).body.items.length).toBe(before);
    expect((await t.call('GET', '/v1/children?external_ref=gz')).body.items).toEqual([]);
  });

  it('identity is the body as sent; without a key it is 401 first', async () => {
    const res = await send('/v1/funds', '{"name":"identity"}', { 'content-type': 'application/json', 'content-encoding': 'identity' });
    expect(res.statusCode, res.body).toBe(201);
    const anon = await send('/v1/funds', gzipSync('{}'), { 'content-type': 'application/json', 'content-encoding': 'gzip' }, null);
    expect(anon.statusCode).toBe(401);
  });
});

describe('a wrong method on an existing path', () => {
  it('is 405 with Allow listing the methods the path has; an unknown path stays 404', async () => {
    for (const [method, url, allow] of [
      ['DELETE', '/v1/funds', 'GET, HEAD, POST'],
      ['PUT', `/v1/funds/${w.fund}`, 'GET, HEAD, PATCH'],
      ['GET', '/v1/awards/finalise', null], // a GET here is GET /v1/awards/{id} with a bad id
      ['POST', '/v1/ledger/verify', 'GET, HEAD'],
      ['GET', '/v1/measurements/retract', null],
      ['POST', '/healthz', 'GET, HEAD'],
    ] as const) {
      const res = await t.call(method, url, method === 'GET' ? undefined : {});
      if (allow === null) {
        expect(res.status).toBe(400);
        continue;
      }
      expectProblem(res, 405);
      expect(res.headers.allow, `${method} ${url}`).toBe(allow);
      expect(res.body).toMatchObject({ title: 'Method not allowed', detail: `${method} is not allowed on ${url}; allowed: ${allow}.` });
    }
    const missing = await t.call('GET', '/v1/no-such-thing');
    expectProblem(missing, 404);
    expect(missing.headers.allow).toBeUndefined();
  });

  // A static route outranks a parametric one (find-my-way): /v1/measurements/batch is POST's
  // path, not a measurement id, so GET /v1/measurements/{id} does not serve it.
  it('lists only the methods of the path’s most specific route, not of a parametric one that also matches', async () => {
    for (const [method, url, allow] of [
      ['PATCH', '/v1/measurements/batch', 'POST'],
      ['DELETE', '/v1/measurements/retract', 'POST'],
      ['PUT', '/v1/children/batch', 'POST'],
      ['DELETE', '/v1/children/lookup', 'POST'],
      ['PUT', '/v1/enrolments/batch', 'POST'],
      ['DELETE', '/v1/awards/finalise', 'POST'],
      ['PUT', '/v1/ledger/export.ndjson', 'GET, HEAD'],
      ['DELETE', '/v1/webhooks/00000000-0000-4000-8000-000000000000/log', 'GET, HEAD'],
      ['PUT', '/v1/measurements/00000000-0000-4000-8000-000000000000', 'GET, HEAD'],
      ['DELETE', '/v1/measurement-kinds/anything', 'GET, HEAD, PUT'],
    ] as const) {
      const res = await t.call(method, url, {});
      expectProblem(res, 405);
      expect(res.headers.allow, `${method} ${url}`).toBe(allow);
    }
  });

  it('is 404 where the only routes that match would refuse the path’s parameters', async () => {
    // /v1/measurements/{id} and /v1/funds/{id} take a uuid: no method serves these paths.
    for (const [method, url] of [
      ['PUT', '/v1/measurements/not-a-uuid'],
      ['DELETE', '/v1/funds/not-a-uuid'],
      ['POST', '/v1/webhooks/not-a-uuid/log'],
    ] as const) {
      const res = await t.call(method, url, {});
      expectProblem(res, 404);
      expect(res.headers.allow, `${method} ${url}`).toBeUndefined();
    }
  });
});
