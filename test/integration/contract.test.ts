/**
 * The contract tells the truth. Three parts:
 *  1. the committed document declares, for every operation, the problem answers its route can
 *     give (derived from auth, roles, body, parameters, cursor, Idempotency-Key), with examples
 *     that are themselves valid problems, an operationId, servers and no unused components;
 *  2. the response check every integration test runs through (test/support/contract.ts) refuses
 *     what the document does not declare;
 *  3. every shared cause is provoked once against the running service, and the answer is the
 *     documented one (the check in 2 runs on each).
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { DOC, contractViolations, deref } from '../support/contract.js';
import { freshDatabaseUrl } from '../support/db.js';
import { GENERIC, causesOf, operationIdFor, type GenericCause, type RouteContract } from '../../src/http/contract/index.js';
import { z } from 'zod';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createContext } from '../../src/context.js';
import { buildApp } from '../../src/http/app.js';
import { generateApiKey } from '../../src/auth/api-key.js';

const operations = Object.entries(DOC.paths as Record<string, Record<string, any>>).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, op]) => ({ path, method, op })),
);

const route = (over: Partial<RouteContract>): RouteContract => ({
  method: 'GET',
  path: '/v1/things',
  public: false,
  roles: ['admin'],
  body: false,
  params: false,
  query: false,
  cursor: false,
  ndjson: false,
  produces: [],
  successes: [200],
  schemaProblems: [],
  declared: {},
  ...over,
});
const statuses = (r: RouteContract) => [...causesOf(r).keys()];

describe('problem answers are derived from the route', () => {
  it('a public route without inputs can give none', () => {
    expect(statuses(route({ public: true }))).toEqual([]);
  });

  it('an authenticated read: 401, 403 (not every role), 429, 503', () => {
    expect(statuses(route({ roles: ['admin', 'auditor'] }))).toEqual([401, 403, 429, 503]);
    expect(statuses(route({ roles: ['admin', 'integration', 'institution', 'auditor'] }))).toEqual([401, 429, 503]);
  });

  it('path parameters add 400, 404 and 414; a query 400; a cursor 422', () => {
    expect(statuses(route({ params: true, query: true, cursor: true, roles: ['admin', 'integration', 'institution', 'auditor'] }))).toEqual([
      400, 401, 404, 414, 422, 429, 503,
    ]);
  });

  it('a POST with a body adds 400, 413, 415 and Idempotency-Key’s 400, 409 and 422; declared causes are added', () => {
    const r = route({ method: 'POST', body: true, declared: { 409: [{ field: 'body.code', message: 'exists' }] } });
    expect(statuses(r)).toEqual([400, 401, 403, 409, 413, 415, 422, 429, 503]);
    expect(
      causesOf(r)
        .get(409)!
        .map((c) => (c.kind === 'shared' ? c.name : c.cause.field)),
    ).toEqual(['IdempotencyInProgress', 'body.code']);
  });

  it('a problem status the route’s response schema lists is declared too', () => {
    const r = route({ public: true, schemaProblems: [409] });
    expect(statuses(r)).toEqual([409]);
    expect(statuses(route({ params: true, public: true, schemaProblems: [404] }))).toEqual([400, 404, 414]);
  });

  it('operationIds follow the path: unique, URL-safe, predictable', () => {
    expect(operationIdFor('get', '/v1/funds/{id}/deposits')).toBe('getFundsByIdDeposits');
    expect(operationIdFor('post', '/v1/payment-runs/{id}/confirm')).toBe('postPaymentRunsByIdConfirm');
    expect(operationIdFor('get', '/v1/ledger/export.ndjson')).toBe('getLedgerExportNdjson');
  });
});

describe('at run time', () => {
  it('an answer the document does not declare is logged as a warning (declared ones are not)', async () => {
    const lines: string[] = [];
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'warn', DATABASE_URL: await freshDatabaseUrl(), ADMIN_BOOTSTRAP_KEY: generateApiKey().key });
    const ctx = await createContext(config, createLogger('warn', { write: (line: string) => void lines.push(line) }), { inMemory: true });
    const app = await buildApp(ctx);
    app.get('/v1/teapot', { config: { public: true }, schema: { response: { 200: z.object({}) } } }, async (req, reply) => {
      if ((req.query as { brew?: string }).brew) return reply.code(418 as 200).send({});
      return {};
    });
    try {
      await app.ready();
      expect((await app.inject({ method: 'GET', url: '/v1/teapot' })).statusCode).toBe(200);
      expect(lines.filter((l) => l.includes('not declared'))).toEqual([]);
      expect((await app.inject({ method: 'GET', url: '/v1/teapot?brew=1' })).statusCode).toBe(418);
      const warned = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'answer not declared in the OpenAPI document');
      expect(warned).toMatchObject([{ operation: 'GET /v1/teapot', status: 418 }]);
    } finally {
      await app.close();
      await ctx.close();
    }
  });
});

describe('the committed document', () => {
  const ajv = new Ajv2020({ strict: false, validateSchema: false });
  ajv.addSchema({ ...DOC, $id: 'openapi' });
  const isProblem = ajv.compile({ $ref: 'openapi#/components/schemas/Problem' });

  it('has servers, and a description for every tag', () => {
    expect(DOC.servers.length).toBeGreaterThan(0);
    for (const tag of DOC.tags) expect(tag.description, tag.name).toBeTruthy();
  });

  it('gives every operation a unique operationId (the webhooks’ too)', () => {
    const webhookOps = Object.values((DOC.webhooks ?? {}) as Record<string, Record<string, any>>).flatMap((methods) => Object.values(methods));
    expect(webhookOps.length).toBeGreaterThan(0);
    const ids = [...operations.map(({ op }) => op.operationId), ...webhookOps.map((op) => op.operationId)];
    expect(ids.every((id) => typeof id === 'string' && /^[A-Za-z0-9]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('declares 401, 429 and 503 on every authenticated operation, 400/413/415 with a body, 404/414 with a path parameter', () => {
    for (const { path, method, op } of operations) {
      const has = (s: number) => expect(op.responses[String(s)], `${method} ${path} ${s}`).toBeDefined();
      if (!(op.security && op.security.length === 0)) [401, 429, 503].forEach(has);
      if (['post', 'put', 'patch', 'delete'].includes(method)) [400, 413, 415].forEach(has);
      if (path.includes('{')) [400, 404, 414].forEach(has);
    }
  });

  it('answers every problem as application/problem+json with examples that are problems of that status', () => {
    let examples = 0;
    for (const { path, method, op } of operations) {
      for (const [status, ref] of Object.entries(op.responses as Record<string, any>)) {
        if (Number(status) < 400) continue;
        const content = deref(ref).content;
        expect(Object.keys(content), `${method} ${path} ${status}`).toEqual(['application/problem+json']);
        const named = Object.values(content['application/problem+json'].examples as Record<string, any>).map(deref);
        expect(named.length, `${method} ${path} ${status}`).toBeGreaterThan(0);
        for (const example of named) {
          expect(isProblem(example.value), `${method} ${path} ${status}: ${JSON.stringify(example.value)}`).toBe(true);
          expect(example.value.status).toBe(Number(status));
          examples++;
        }
      }
    }
    expect(examples).toBeGreaterThan(operations.length * 3);
  });

  it('has no unused components (used: reachable from the paths or the webhooks)', () => {
    const text = JSON.stringify([DOC.paths, DOC.webhooks]);
    const used = new Set<string>();
    const visit = (json: string) => {
      for (const m of json.matchAll(/"\$ref":"(#\/components\/[^"]+)"/g)) {
        if (used.has(m[1]!)) continue;
        used.add(m[1]!);
        visit(JSON.stringify(deref({ $ref: m[1] })));
      }
    };
    visit(text);
    for (const [kind, entries] of Object.entries(DOC.components as Record<string, Record<string, unknown>>)) {
      if (kind === 'securitySchemes') continue;
      for (const name of Object.keys(entries)) expect(used, `#/components/${kind}/${name}`).toContain(`#/components/${kind}/${name}`);
    }
  });
});

describe('the response check of the integration suite', () => {
  const problem = (status: number) => JSON.stringify({ type: 'urn:smb:problem:x', title: 'T', status, detail: 'd' });
  const json = { 'content-type': 'application/json; charset=utf-8' };
  const problemType = { 'content-type': 'application/problem+json; charset=utf-8' };

  it('refuses a status the operation does not declare', () => {
    const faults = contractViolations('GET', '/v1/funds', { status: 409, headers: problemType, body: problem(409) });
    expect(faults.join()).toMatch(/answered 409, which the document does not declare/);
  });

  it('refuses a body that does not match the declared schema, and a media type not declared', () => {
    expect(contractViolations('GET', `/v1/funds/${randomUUID()}`, { status: 200, headers: json, body: '{"id":1}' }).join()).toMatch(
      /does not match the schema/,
    );
    expect(contractViolations('GET', '/v1/funds', { status: 200, headers: { 'content-type': 'text/plain' }, body: 'x' }).join()).toMatch(
      /text\/plain; declared/,
    );
  });

  it('refuses a problem without the headers the document requires', () => {
    expect(contractViolations('GET', '/v1/funds', { status: 401, headers: problemType, body: problem(401) }).join()).toMatch(
      /lacks the header WWW-Authenticate/,
    );
  });

  it('matches static segments before parameters, and requires a problem on undocumented paths', () => {
    expect(contractViolations('POST', '/v1/children/lookup', { status: 404, headers: problemType, body: problem(404) })).toEqual([]);
    expect(contractViolations('GET', '/v1/nothing', { status: 404, headers: json, body: '{}' }).join()).toMatch(/not a problem/);
    expect(contractViolations('PUT', '/v1/funds', { status: 404, headers: problemType, body: problem(404) })).toEqual([]);
  });
});

/** A TCP proxy to PostgreSQL that the test can cut, so the database "goes away" for one app only. */
async function cuttableProxy(target: URL): Promise<{ url: string; cut(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => s.destroy());
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as { port: number }).port);
  return {
    url: url.toString(),
    cut: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

describe('every shared cause, provoked against the running service, is answered as documented', () => {
  let t: TestApp;
  let small: TestApp;
  let auditorKey: string;
  beforeAll(async () => {
    t = await createTestApp();
    small = await createTestApp({
      env: { BODY_LIMIT_BYTES: '1024', NDJSON_MAX_BODY_BYTES: '1024', RATE_LIMIT_PER_SECOND: '0.001', RATE_LIMIT_BURST: '2' },
    });
    auditorKey = (await t.call('POST', '/v1/api-keys', { name: 'auditor', role: 'auditor' })).body.key;
  });
  afterAll(async () => {
    await t?.close();
    await small?.close();
  });

  const send = (
    app: TestApp,
    method: 'GET' | 'POST',
    url: string,
    opts: { body?: string; type?: string; key?: string | null; headers?: Record<string, string> } = {},
  ) =>
    app.app.inject({
      method,
      url,
      headers: {
        ...(opts.key === null ? {} : { authorization: `Bearer ${opts.key ?? app.adminKey}` }),
        ...(opts.body !== undefined ? { 'content-type': opts.type ?? 'application/json' } : {}),
        ...opts.headers,
      },
      ...(opts.body !== undefined ? { payload: opts.body } : {}),
    });

  const inProgress = async () => {
    const body = { name: 'in progress' };
    const { keyId } = (await t.ctx.apiKeys.authenticate(t.adminKey))!;
    const hash = createHash('sha256')
      .update(`POST /v1/funds\n${JSON.stringify(body)}`)
      .digest('hex');
    await t.ctx.db
      .insertInto('idempotency_keys')
      .values({ api_key_id: keyId, idempotency_key: 'busy', request_hash: hash, state: 'in_progress', expires_at: new Date(Date.now() + 3600_000) })
      .execute();
    return send(t, 'POST', '/v1/funds', { body: JSON.stringify(body), headers: { 'idempotency-key': 'busy' } });
  };

  const unavailable = async () => {
    const proxy = await cuttableProxy(new URL(await freshDatabaseUrl()));
    const cut = await createTestApp({ env: { DATABASE_URL: proxy.url } });
    try {
      expect((await send(cut, 'GET', '/v1/funds')).statusCode).toBe(200);
      await proxy.cut();
      return await send(cut, 'GET', '/v1/funds');
    } finally {
      await cut.close().catch(() => undefined);
    }
  };

  // Typed by the catalogue: a new shared cause does not compile until it is provoked here.
  const PROVOKE: Record<GenericCause, () => Promise<{ statusCode: number; body: string }>> = {
    MalformedBody: () => send(t, 'POST', '/v1/funds', { body: '{"name":' }),
    InvalidBodyField: () => send(t, 'POST', '/v1/funds', { body: '{"name":1}' }),
    InvalidQueryParameter: () => send(t, 'GET', '/v1/funds?limit=5000'),
    InvalidPathParameter: () => send(t, 'GET', '/v1/funds/not-a-uuid'),
    InvalidIdempotencyKey: () => send(t, 'POST', '/v1/funds', { body: '{"name":"k"}', headers: { 'idempotency-key': 'has spaces' } }),
    Unauthorized: () => send(t, 'GET', '/v1/funds', { key: null }),
    ForbiddenRole: () => send(t, 'POST', '/v1/funds', { body: '{"name":"a"}', key: auditorKey }),
    NotFound: () => send(t, 'GET', `/v1/funds/${randomUUID()}`),
    IdempotencyInProgress: inProgress,
    BodyTooLarge: () => send(small, 'POST', '/v1/funds', { body: JSON.stringify({ name: 'x'.repeat(2000) }) }),
    NdjsonBatchTooLarge: () => send(small, 'POST', '/v1/children/batch', { body: '{"external_ref":"x"}\n'.repeat(100), type: 'application/x-ndjson' }),
    PathParameterTooLong: () => send(t, 'GET', `/v1/funds/${'a'.repeat(150)}`),
    UnsupportedMediaType: () => send(t, 'POST', '/v1/funds', { body: 'name=a', type: 'text/plain' }),
    IdempotencyMismatch: async () => {
      await send(t, 'POST', '/v1/funds', { body: '{"name":"first"}', headers: { 'idempotency-key': 'again' } });
      return send(t, 'POST', '/v1/funds', { body: '{"name":"second"}', headers: { 'idempotency-key': 'again' } });
    },
    InvalidCursor: () => send(t, 'GET', '/v1/funds?cursor=not-ours'),
    RateLimited: async () => {
      for (;;) {
        const res = await send(small, 'GET', '/v1/funds');
        if (res.statusCode !== 200) return res;
      }
    },
    Unavailable: unavailable,
  };

  for (const [name, provoke] of Object.entries(PROVOKE) as Array<[GenericCause, () => Promise<{ statusCode: number; body: string }>]>) {
    it(`${name}: ${GENERIC[name].status} ${GENERIC[name].example.toBody().type}`, async () => {
      const res = await provoke(); // the wrapped inject has checked it against the document
      expect(res.statusCode).toBe(GENERIC[name].status);
      expect(JSON.parse(res.body).type).toBe(GENERIC[name].example.toBody().type);
    });
  }
});
