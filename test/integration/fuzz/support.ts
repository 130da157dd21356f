/** Shared machinery of the hostile-input tests (not a test file itself). */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { sql } from 'kysely';
import { expect } from 'vitest';
import type { TestApp } from '../../support/app.js';
import { ok } from '../registry/helpers.js';
import { businessDate } from '../../../src/services/business-date.js';
import { camtXml } from '../../support/iso20022.js';

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
};
type Doc = { paths: Record<string, Record<string, any>>; components?: { schemas?: Record<string, JsonSchema> } };

export const DOC = JSON.parse(readFileSync(new URL('../../../openapi/openapi.json', import.meta.url), 'utf8')) as Doc;

export interface Param {
  name: string;
  required: boolean;
  schema: JsonSchema;
}
export interface Operation {
  op: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
  path: string;
  body?: JsonSchema;
  query: Param[];
  pathParams: Param[];
}

export function deref(s: JsonSchema): JsonSchema {
  if (!s.$ref) return s;
  const name = s.$ref.replace('#/components/schemas/', '');
  return DOC.components!.schemas![name]!;
}

/** Every operation of the committed OpenAPI document (tests are declared from it). */
export function operations(): Operation[] {
  return Object.entries(DOC.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([m]) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map(([m, o]) => {
        const params = (o.parameters ?? []) as Array<Param & { in: string }>;
        const body = o.requestBody?.content?.['application/json']?.schema as JsonSchema | undefined;
        return {
          op: `${m.toUpperCase()} ${path}`,
          method: m.toUpperCase() as Operation['method'],
          path,
          ...(body ? { body } : {}),
          query: params.filter((p) => p.in === 'query'),
          pathParams: params.filter((p) => p.in === 'path'),
        };
      }),
  );
}

/** A field of a body schema: its path (array items as index 0) and schema. */
export interface Field {
  path: string[];
  schema: JsonSchema;
  required: boolean;
}

/** Fields of a body schema down to `depth` levels, following $refs, anyOf branches that are objects, and array items. */
export function fieldsOf(schema: JsonSchema, depth = 4, prefix: string[] = []): Field[] {
  const s = deref(schema);
  if (depth === 0) return [];
  const out: Field[] = [];
  const objects = [s, ...(s.anyOf ?? []).map(deref)].filter((x) => x.properties);
  for (const o of objects) {
    for (const [name, child] of Object.entries(o.properties!)) {
      const path = [...prefix, name];
      if (out.some((f) => f.path.join('.') === path.join('.'))) continue;
      out.push({ path, schema: deref(child), required: (o.required ?? []).includes(name) });
      out.push(...fieldsOf(child, depth - 1, path));
    }
  }
  const arrays = [s, ...(s.anyOf ?? []).map(deref)].filter((x) => x.items);
  for (const a of arrays) out.push(...fieldsOf(a.items!, depth - 1, [...prefix, '0']));
  return out;
}

type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'null' | 'object' | 'array';
/** JSON types a schema accepts (empty set: any). */
export function typesOf(schema: JsonSchema): Set<JsonType> {
  const s = deref(schema);
  const branches = s.anyOf ?? s.oneOf;
  if (branches) return new Set(branches.flatMap((b) => [...typesOf(b)]));
  if (s.const !== undefined || s.enum) {
    return new Set((s.enum ?? [s.const]).map((v) => (v === null ? 'null' : typeof v) as JsonType));
  }
  const t = s.type;
  if (!t) return new Set(s.properties ? ['object'] : []);
  return new Set((Array.isArray(t) ? t : [t]) as JsonType[]);
}

/** Strings that are no calendar date (SETTLEMENT.md: dates are YYYY-MM-DD calendar dates). */
export const INVALID_DATES = [
  '2023-02-30',
  '2023-02-29',
  '2100-02-29',
  '2023-13-01',
  '2023-00-10',
  '2023-04-31',
  '0000-00-00',
  '0000-01-01',
  '0000-12-31',
  '2023-1-01',
  '20230101',
  '2023-01-01T00:00:00Z',
  ' 2023-01-01',
  '2023-01-01\n',
  '２０２３-０１-０１',
  '+02023-01-01',
  '-2023-01-01',
  '9999-99-99',
];

/**
 * CPR numbers that §9 cannot turn into a birth date: impossible days and months, 29 February
 * in a century the 7th digit makes non-leap (1900, 1800), a birth date in the future, wrong
 * shapes and digits that are not ASCII.
 */
export const INVALID_CPRS = [
  '320119-4123',
  '001019-4123',
  '150019-4123',
  '151319-4123',
  '310419-4123',
  '290223-4123',
  '290200-0123', // 7th digit 0: 1900, not a leap year
  '290201-5123', // 7th digit 5, YY ≤ 57: 2001, no leap year
  '290297-5123', // 7th digit 5, YY > 57: 1897, no leap year
  '010150-5123', // 2050: born in the future
  '010199-4000', // 4, YY > 36: 1999 — valid date; paired below with a bad shape
  '15031-94123',
  '1503194123x',
  '150319+4123',
  '150319--4123',
  '15-03-19-4123',
  '',
  ' ',
  '１５０３１９-４１２３',
  '١٥٠٣١٩-٤١٢٣',
  '150319-412',
  '1503194',
  'abcdef-ghij',
  '150319-4123\u0000',
  '\u202e150319-4123',
].filter((c) => c !== '010199-4000');

/** Numbers that break naive code: beyond 2^53, beyond int8, the double extremes, fractions. */
export const HUGE_NUMBERS = [1e308, -1e308, 2 ** 64, -(2 ** 64), 2 ** 63, Number.MAX_SAFE_INTEGER + 2, 0.5, -0.000001, 5e-324];
/** Things that are not numbers but look like them. */
export const NUMBERISH_STRINGS = ['NaN', 'Infinity', '-Infinity', '1e308', '0x10', '1_000', '١٢', '', ' 1', '18446744073709551616'];

const nastyChars = fc.constantFrom(
  '\u0000',
  '\ud800',
  '\udfff',
  '\u202e',
  '\u200f',
  '\u0645\u0631\u062d\u0628\u0627',
  '😀',
  '👨‍👩‍👧',
  '\ufeff',
  'é',
  '\u0301',
  '"',
  '\\',
  '\n',
  '%00',
  "'; --",
  '${x}',
  '<script>',
);
/** Arbitrary unicode text including RTL marks, emoji, combining marks and control characters. */
export const hostileText = (minLength = 0, maxLength = 40) =>
  fc.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 3 }), nastyChars), { minLength, maxLength }).map((parts) => parts.join(''));

/** A string that can never be stored as text: NUL, or a lone UTF-16 surrogate (escaped in JSON). */
export const unstorableText = fc
  .tuple(fc.string({ maxLength: 10 }), fc.constantFrom('\u0000', '\ud800', '\udc00', 'a\ud83d'), fc.string({ maxLength: 10 }))
  .map(([a, b, c]) => `${a}${b}${c}`);

export function deepArray(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}
export function deepObject(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}
export function deepJsonText(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** Values of every JSON type, each hostile in its own way, for "wrong type" mutations. */
const valuesByType: Record<JsonType, fc.Arbitrary<unknown>> = {
  string: fc.oneof(hostileText(0, 20), fc.constantFrom(...NUMBERISH_STRINGS), fc.constantFrom('true', 'null', '[]', '{}')),
  number: fc.oneof(fc.constantFrom(...HUGE_NUMBERS), fc.double({ noNaN: true, noDefaultInfinity: true })),
  integer: fc.oneof(fc.constantFrom(0, -1, 2 ** 64), fc.integer()),
  boolean: fc.boolean(),
  null: fc.constant(null),
  object: fc.oneof(fc.constant({}), fc.dictionary(hostileText(1, 5), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }), fc.constant(deepObject(200))),
  array: fc.oneof(fc.constant([]), fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }), fc.constant(deepArray(200))),
};

const NUMERIC: JsonType[] = ['number', 'integer'];
/** Values whose JSON type the schema does not accept (undefined when it accepts every type). */
export function wrongType(schema: JsonSchema): fc.Arbitrary<unknown> | undefined {
  const allowed = typesOf(schema);
  if (allowed.size === 0) return undefined;
  const numberOk = allowed.has('number') || allowed.has('integer');
  const wrong = (Object.keys(valuesByType) as JsonType[]).filter((t) => !allowed.has(t) && !(numberOk && NUMERIC.includes(t)));
  if (!wrong.length) return undefined;
  return fc.oneof(...wrong.map((t) => valuesByType[t]));
}

const UUIDISH = [
  'not-a-uuid',
  '00000000-0000-0000-0000-00000000000g',
  '{6f1c7e2a-8f4b-4c1d-9a1e-2b3c4d5e6f70}',
  '6f1c7e2a8f4b4c1d9a1e2b3c4d5e6f70',
  '6f1c7e2a-8f4b-4c1d-9a1e-2b3c4d5e6f70 ',
  "' or 1=1 --",
];

/**
 * Values of the right JSON type that break the schema's constraints (length, pattern, format,
 * enum, range, item counts). Undefined when the schema constrains nothing that can be broken.
 */
export function brokenConstraint(schema: JsonSchema, name: string): fc.Arbitrary<unknown> | undefined {
  const s = deref(schema);
  const options: Array<fc.Arbitrary<unknown>> = [];
  const branches = s.anyOf ? s.anyOf.map(deref) : [s];
  // Only constraints that every branch of the same type shares can be broken for sure: use single-branch schemas.
  const str = branches.filter((b) => b.type === 'string');
  if (str.length === 1 && branches.filter((b) => typesOf(b).has('string')).length === 1) {
    const b = str[0]!;
    if (b.maxLength !== undefined && b.maxLength < 100_000) {
      options.push(hostileText(1, 8).map((x) => x + 'x'.repeat(b.maxLength! + 1)));
    }
    if (b.minLength !== undefined && b.minLength >= 1) options.push(fc.constant('')); // whitespace may be valid (no trim)
    if (b.enum) options.push(hostileText(0, 10).filter((x) => !b.enum!.includes(x) && !b.enum!.includes(x.trim())));
    if (b.format === 'uuid')
      options.push(
        fc.constantFrom(...UUIDISH),
        hostileText(1, 40).filter((x) => !/^[0-9a-f-]{36}$/i.test(x)),
      );
    if (b.format === 'date' || /(^|_)(on|date)$|^effective_from$/.test(name)) options.push(fc.constantFrom(...INVALID_DATES));
    if (b.pattern && b.format !== 'uuid' && b.format !== 'date') {
      const re = new RegExp(b.pattern, 'u');
      options.push(hostileText(0, 20).filter((x) => !re.test(x)));
    }
  }
  const num = branches.filter((b) => b.type === 'number' || b.type === 'integer');
  if (num.length === 1) {
    const b = num[0]!;
    const bad = HUGE_NUMBERS.filter(
      (n) => (b.maximum !== undefined && n > b.maximum) || (b.minimum !== undefined && n < b.minimum) || (b.type === 'integer' && !Number.isSafeInteger(n)),
    );
    if (b.type === 'integer') bad.push(1.5);
    if (bad.length) options.push(fc.constantFrom(...bad));
  }
  const arr = branches.filter((b) => b.type === 'array');
  if (arr.length === 1) {
    const b = arr[0]!;
    if (b.minItems !== undefined && b.minItems >= 1) options.push(fc.constant([]));
    if (b.maxItems !== undefined && b.maxItems <= 1000) options.push(fc.constant(Array.from({ length: b.maxItems + 1 }, () => 'x')));
  }
  return options.length ? fc.oneof(...options) : undefined;
}

/** A copy of `body` with the value at `path` replaced (or deleted when `value` is DELETE). */
export const DELETE = Symbol('delete');
export function setAt(body: unknown, path: string[], value: unknown): unknown {
  const copy = structuredClone(body) as Record<string, unknown>;
  let node: any = copy;
  for (const key of path.slice(0, -1)) {
    if (node[key] === undefined || node[key] === null || typeof node[key] !== 'object') return undefined;
    node = node[key];
  }
  const last = path[path.length - 1]!;
  if (value === DELETE) delete node[last];
  else node[last] = value;
  return copy;
}
export function getAt(body: unknown, path: string[]): unknown {
  return path.reduce<any>((node, key) => (node == null ? undefined : node[key]), body);
}

export interface Answer {
  status: number;
  headers: Record<string, unknown>;
  text: string;
  body: any;
}

/** A raw request (own headers and payload bytes), as admin unless `key` is null. */
export async function send(
  t: TestApp,
  method: string,
  url: string,
  opts: { payload?: string | Buffer; contentType?: string; key?: string | null; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const key = opts.key === undefined ? t.adminKey : opts.key;
  const res = await t.app.inject({
    method: method as 'GET',
    url,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(opts.payload !== undefined ? { 'content-type': opts.contentType ?? 'application/json' } : {}),
      ...opts.headers,
    },
    ...(opts.payload !== undefined ? { payload: opts.payload } : {}),
  });
  let body: unknown;
  try {
    body = res.body ? JSON.parse(res.body) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.statusCode, headers: res.headers as Record<string, unknown>, text: res.body, body };
}

/** JSON text of a value: lone surrogates stay escaped (\udXXX), as a client would send them. */
export const jsonText = (v: unknown) => JSON.stringify(v);

/**
 * Percent-encodes every UTF-8 byte that is not unreserved, so any string (even one with a lone
 * surrogate, sent as U+FFFD) can go in a path segment or a query value.
 */
export function encode(s: string): string {
  return [...Buffer.from(s, 'utf8')]
    .map((b) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
}

/** The answer is a 4xx problem+json; when `field` is given, some error names it (or a part of it). */
export function expectRejected(a: Answer, context: string, field?: string): void {
  const where = `${context} → ${a.status} ${a.text.slice(0, 500)}`;
  expect(a.status, where).toBeGreaterThanOrEqual(400);
  expect(a.status, where).toBeLessThan(500);
  expect(String(a.headers['content-type']), where).toMatch(/^application\/problem\+json/);
  expect(a.body, where).toMatchObject({ status: a.status, title: expect.any(String), type: expect.any(String) });
  if (field !== undefined) {
    const fields: string[] = (a.body.errors ?? []).map((e: { field: string }) => e.field);
    const related = (f: string) => f === field || field.startsWith(`${f}.`) || f.startsWith(`${field}.`);
    expect(fields.some(related), `${where}: errors should name ${field}`).toBe(true);
  }
}

/** Row count and an md5 over every row (in a stable order) of every table. */
export async function snapshot(t: TestApp): Promise<Record<string, string>> {
  const { rows: tables } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(t.ctx.db);
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    // Checkpoints are the sealer's timed signatures of the head sealed so far (at most every
    // CHECKPOINT_INTERVAL_MS): one may publish work settled before the snapshot. A request that
    // wrote to the ledger changes journal_entries, which is compared.
    if (name === 'ledger_checkpoints') continue;
    const { rows } = await sql<{ n: number; h: string | null }>`
      select count(*)::int as n, md5(string_agg(x::text, '|' order by x::text)) as h from ${sql.table(name)} x`.execute(t.ctx.db);
    out[name] = `${rows[0]!.n}:${rows[0]!.h ?? ''}`;
  }
  return out;
}

/** Settings for fuzzing apps: no background timer that could change the database between snapshots. */
export const QUIET_ENV = {
  FINALISE_INTERVAL_MS: '86400000',
  RECONCILE_AFTER_MS: '86400000',
  // The world's webhook subscription points at a closed loopback port; after its first failed
  // attempt (awaited in buildWorld) nothing is retried while the suite runs.
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  WEBHOOK_RETRY_BASE_MS: '86400000',
  WEBHOOK_RETRY_MAX_DELAY_MS: '86400000',
  WEBHOOK_SWEEP_MS: '3600000',
  // The sealer signs a checkpoint of the head on its own schedule (the first at once, then at
  // most this often): not during a test.
  CHECKPOINT_INTERVAL_MS: '3600000',
  // The summaries' background pass (outcome and forecast change marks, D198/D200) takes what
  // settlement marked on its own timer: not during a test.
  FORECAST_REFRESH_MS: '86400000',
};

export interface World {
  fund: string;
  instA: string;
  child: string;
  cprChild: string;
  enrolment: string;
  rule: string;
  award: string;
  objection: string;
  run: string;
  apiKey: string;
  measurement: string;
  payeeChange: string;
  statement: string;
  webhook: string;
  delivery: string;
}

/** 10,000.00 DKK for a `generel` language assessment, all to the vuggestue days of the first 36 months. */
export async function createLanguageRule(t: TestApp, fundId: string): Promise<{ id: string }> {
  const version = {
    effective_from: '2015-01-01',
    predicate: { op: 'eq', value: 'generel' },
    amount: { fixed_ore: 1_000_000 },
    windows: [{ from: 0, to: 36, share_bp: 10000, kinds: ['vuggestue'] }],
  };
  return ok(await t.call('POST', '/v1/rules', { fund_id: fundId, kind: 'sprogvurdering', versions: [version] }), 201);
}

/** Runs `run` and asserts that no row of any table changed (once queued work has run before and after). */
export async function expectUnchanged(t: TestApp, run: () => Promise<void>): Promise<void> {
  await t.settled();
  const before = await snapshot(t);
  await run();
  await t.settled();
  const after = await snapshot(t);
  expect(
    Object.keys(before).filter((k) => before[k] !== after[k]),
    'tables changed by rejected requests',
  ).toEqual([]);
}

/** A small settled world: a fund with money, two institutions, children, a rule, an award, a payment run. */
export async function buildWorld(t: TestApp): Promise<World> {
  ok(await t.call('PUT', '/v1/measurement-kinds/sprogvurdering', { type: 'enum', values: ['generel', 'saerlig'] }), 200);
  ok(await t.call('POST', '/v1/measurement-kinds', { key: 'score', type: 'number', min: 0, max: 100 }), 201);
  const fund = ok(await t.call('POST', '/v1/funds', { name: 'F' }), 201);
  ok(await t.call('POST', `/v1/funds/${fund.id}/deposits`, { amount_ore: 50_000_000, funder: 'LBF' }), 201);
  const instA = ok(await t.call('POST', '/v1/institutions', { code: 'V-1', kind: 'vuggestue', name: 'V1' }), 201);
  ok(await t.call('POST', '/v1/institutions', { code: 'V-2', kind: 'vuggestue', name: 'V2' }), 201);
  const child = ok(await t.call('POST', '/v1/children', { birth_date: '2019-03-15', external_ref: 'ref-1' }), 201);
  const cprChild = ok(await t.call('POST', '/v1/children', { cpr: '150319-4123' }), 201);
  const enrolment = ok(await t.call('POST', '/v1/enrolments', { child: child.id, institution: 'V-1', start: '2019-09-01', end: '2022-03-01' }), 201);
  const rule = await createLanguageRule(t, fund.id);
  const m = ok(
    await t.call('POST', '/v1/measurements', { child_id: child.id, kind: 'sprogvurdering', period: 'age-4', value: 'generel', measured_on: '2023-04-20' }),
    201,
  );
  await t.settled();
  ok(await t.call('POST', '/v1/awards/finalise', { fund_id: fund.id, reason: 'test: finalise without waiting for the review window' }));
  await t.settled();
  const award = ok(await t.call('GET', '/v1/awards')).items[0].id as string;
  const run = ok(await t.call('POST', `/v1/funds/${fund.id}/payment-runs`, { cutoff_on: businessDate(new Date(), 'Europe/Copenhagen') }), 201);
  const webhook = ok(await t.call('POST', '/v1/webhooks', { url: 'http://127.0.0.1:9/fuzz', events: ['objection.opened'] }), 201).id as string;
  const objection = ok(await t.call('POST', `/v1/awards/${award}/objections`, { reason: 'r' }), 201);
  const apiKey = ok(await t.call('POST', '/v1/api-keys', { name: 'k', role: 'auditor' }), 201);
  const payeeChange = ok(await t.call('POST', `/v1/institutions/${instA.id}/payee-details`, { cvr: '61126228', account: { type: 'nemkonto' } }), 201)
    .id as string;
  const camt = camtXml('camt.054', { messageId: 'WORLD', iban: 'DK5000400440116243', entries: [{ amountOre: 1n, creditDebit: 'DBIT' }] });
  const statement = ok(await send(t, 'POST', '/v1/bank-statements', { payload: camt, contentType: 'application/xml' }), 201).statement_id as string;
  await t.settled();
  const delivery = await firstAttempted(t, webhook);
  // The sealer's first checkpoint of this head, so no later one falls between two snapshots (QUIET_ENV).
  for (let i = 0; (await sql`select 1 from ledger_checkpoints limit 1`.execute(t.ctx.db)).rows.length === 0; i++) {
    if (i === 400) throw new Error('no ledger checkpoint within 10 s');
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    fund: fund.id,
    instA: instA.id,
    child: child.id,
    cprChild: cprChild.id,
    enrolment: enrolment.id,
    rule: rule.id,
    award,
    objection: objection.id,
    run: run.id,
    apiKey: apiKey.id,
    measurement: m.measurement.id,
    payeeChange,
    statement,
    webhook,
    delivery,
  };
}

/** The subscription's delivery, once its first attempt is over (so nothing moves while fuzzing). */
async function firstAttempted(t: TestApp, subscriptionId: string): Promise<string> {
  for (let i = 0; i < 400; i++) {
    const { rows } = await sql<{ id: string; attempts: number }>`select id, attempts from webhook_deliveries where subscription_id = ${subscriptionId}`.execute(
      t.ctx.db,
    );
    if (rows[0] && rows[0].attempts > 0) return rows[0].id;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the world’s webhook delivery was never attempted');
}

/** Which world object a path parameter names, from the collection segment before it. */
const RESOURCE: Record<string, keyof World | 'kind' | 'template'> = {
  'rule-templates': 'template',
  funds: 'fund',
  institutions: 'instA',
  children: 'child',
  enrolments: 'enrolment',
  'measurement-kinds': 'kind',
  'api-keys': 'apiKey',
  measurements: 'measurement',
  rules: 'rule',
  awards: 'award',
  objections: 'objection',
  'payment-runs': 'run',
  'payee-detail-changes': 'payeeChange',
  'bank-statements': 'statement',
  webhooks: 'webhook',
  deliveries: 'delivery',
};

/** The operation's path with real ids, or with `override` for one parameter. */
export function pathOf(op: Operation, world: World, override?: { name: string; value: string }): string {
  const segments = op.path.split('/');
  return segments
    .map((seg, i) => {
      const m = /^\{(\w+)\}$/.exec(seg);
      if (!m) return seg;
      if (override && override.name === m[1]) return override.value;
      const resource = RESOURCE[segments[i - 1]!];
      if (!resource) throw new Error(`${op.op}: no world object for a ${segments[i - 1]} id — add one to RESOURCE`);
      if (resource === 'template') return 'no-cash-benefits-18-21';
      return resource === 'kind' ? 'sprogvurdering' : world[resource];
    })
    .join('/');
}
