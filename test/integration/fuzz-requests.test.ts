import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import {
  DELETE,
  INVALID_CPRS,
  INVALID_DATES,
  QUIET_ENV,
  brokenConstraint,
  buildWorld,
  deref,
  encode,
  expectRejected,
  expectUnchanged,
  fieldsOf,
  getAt,
  hostileText,
  jsonText,
  operations,
  pathOf,
  send,
  setAt,
  typesOf,
  unstorableText,
  wrongType,
  type Operation,
  type World,
} from './fuzz/support.js';

/**
 * §8: every rejected request answers problem+json naming the offending field and changes
 * nothing. For every operation of the OpenAPI document, a valid request (below) is broken in
 * exactly one place, chosen by fast-check from the operation's JSON schema — a wrong type, a
 * broken length/pattern/format/range, a missing required field, an unknown key, text that
 * cannot be stored (NUL, lone surrogates), an impossible date or CPR — and sent as admin.
 * Every answer must be a 4xx problem whose errors name that field, and the database must be
 * exactly as before (row counts and an md5 of every row of every table).
 */
const RUNS = { body: 40, query: 25, path: 15 };

/** A valid body per operation; never sent as is, only with one part broken. */
const VALID_BODY: Record<string, (w: World) => unknown> = {
  'POST /v1/funds': () => ({ name: 'G', description: 'd' }),
  'PATCH /v1/funds/{id}': () => ({ name: 'G2', description: null }),
  'POST /v1/institutions': () => ({ code: 'X-1', kind: 'vuggestue', name: 'X', municipality: 'Aarhus', closed_on: null, successor: null }),
  'PATCH /v1/institutions/{id}': () => ({ name: 'V1b', municipality: 'Aarhus' }),
  'POST /v1/institutions/{id}/close': () => ({ closed_on: '2030-01-01', successor: 'V-2' }),
  'POST /v1/children': () => ({ cpr: '010203-1234', external_ref: 'ref-9', attributes: { restgruppe_origin: true } }),
  'POST /v1/children/lookup': () => ({ cpr: '150319-4123' }),
  'PATCH /v1/children/{id}': () => ({ external_ref: 'ref-1b', attributes: { a: 1 } }),
  'POST /v1/enrolments': (w) => ({ child: w.cprChild, institution: 'V-1', start: '2019-09-01', end: '2021-01-01' }),
  'PATCH /v1/enrolments/{id}': () => ({ institution: 'V-1', start: '2019-09-02', end: '2022-03-01' }),
  'POST /v1/enrolments/{id}/end': () => ({ end: '2022-01-01' }),
  'POST /v1/measurement-kinds': () => ({ key: 'newkind', type: 'enum', values: ['a', 'b'], description: 'x' }),
  // Never accepted even when whole: the world's sprogvurdering has measurements (409).
  'PUT /v1/measurement-kinds/{key}': () => ({
    type: 'number',
    min: 0,
    max: 10,
    unit: 'u',
    source: 'stil',
    family: 'f',
    valid_from: '2010-01-01',
    valid_to: '2030-01-01',
    periods: [
      {
        period: 'grade-2',
        basis: 'grade',
        grade: 2,
        from_months: 0,
        to_months: 12,
        typical_months: 7,
        early_years: 1,
        late_years: 2,
        valid_from: '2015-08-01',
        valid_to: '2029-08-01',
        description: 'd',
      },
    ],
  }),
  'POST /v1/measurement-kinds/{key}/periods': () => ({
    period: 'grade-3',
    basis: 'grade',
    grade: 3,
    from_months: 0,
    to_months: 12,
    typical_months: 7,
    early_years: 1,
    late_years: 2,
    valid_from: '2015-08-01',
    valid_to: '2029-08-01',
    description: 'd',
  }),
  'POST /v1/institution-kinds': () => ({ key: 'vuggestue2', label: 'V2' }),
  'POST /v1/api-keys': () => ({ name: 'k2', role: 'integration', scope: { kinds: ['sprogvurdering'], institutions: ['V-1'], enrolments: true } }),
  'POST /v1/funds/{id}/deposits': () => ({ amount_ore: 100, funder: 'LBF', reference: 'R', received_on: '2023-01-01' }),
  'POST /v1/measurements': (w) => ({ child_id: w.child, kind: 'sprogvurdering', period: 'age-5', value: 'generel', measured_on: '2023-04-20', source: 's' }),
  'POST /v1/measurements/retract': (w) => ({ child_id: w.child, kind: 'sprogvurdering', period: 'age-4' }),
  'POST /v1/rules': (w) => ({
    fund_id: w.fund,
    name: 'R',
    kind: 'sprogvurdering',
    periods: ['age-4'],
    versions: [
      {
        effective_from: '2016-01-01',
        predicate: { op: 'in', values: ['generel'] },
        amount: { fixed_ore: 100 },
        multipliers: [{ attribute: 'restgruppe_origin', equals: true, factor_bp: 15000 }],
        age_basis: 'seasons',
        season_start: '08-01',
        windows: [{ from: 0, to: 36, share_bp: 5000, kinds: ['vuggestue'] }],
        unattributed: 'retain',
        review_days: 30,
      },
    ],
  }),
  'POST /v1/rules/{id}/versions': () => ({
    effective_from: '2024-01-01',
    predicate: { op: 'eq', value: 'generel' },
    amount: { fixed_ore: 100 },
    windows: [{ from: 0, to: 36, share_bp: 5000, kinds: ['vuggestue'] }],
  }),
  'POST /v1/rule-templates/{key}/rules': (w) => ({ fund_id: w.fund, name: 'from a template' }),
  'POST /v1/awards/finalise': (w) => ({ fund_id: w.fund, award_ids: [w.award], review_until_by: '2030-01-01', reason: 'fuzz' }),
  'POST /v1/awards/{id}/objections': () => ({ reason: 'why' }),
  'POST /v1/objections/{id}/resolve': () => ({ outcome: 'rejected', resolution: 'no' }),
  'POST /v1/funds/{id}/payment-runs': () => ({ cutoff_on: '2024-06-01' }),
  'POST /v1/institutions/{id}/payee-details': () => ({
    cvr: '61126228',
    ean: '4006381333931',
    account: { type: 'iban', iban: 'DK5000400440116243', bic: 'DABADKKK' },
  }),
  'POST /v1/payee-detail-changes/{id}/approve': () => ({ note: 'checked' }),
  'POST /v1/payee-detail-changes/{id}/reject': () => ({ note: 'forged' }),
  'PUT /v1/rules/{id}/assumed-rate': () => ({ rate: '0.45', note: 'fuzz' }),
  'PUT /v1/funds/{id}/account': () => ({ name: 'Fonden', iban: 'DK5000400440116243', bic: 'DABADKKK' }),
  'POST /v1/webhooks': () => ({ url: 'http://127.0.0.1:9/f', events: ['award.finalised', 'payment_run.created'], description: 'd', institution: 'V-1' }),
  'PATCH /v1/webhooks/{id}': () => ({ url: 'http://127.0.0.1:9/g', events: ['award.finalised'], description: 'x', enabled: true }),
  'POST /v1/webhooks/{id}/rotate-secret': () => ({ overlap_hours: 2 }),
};
/** The batch endpoints take arrays of items checked one by one: see fuzz-batch.test.ts. */
const BATCH = new Set(['POST /v1/measurements/batch', 'POST /v1/enrolments/batch', 'POST /v1/children/batch']);
/** Required query parameters need a valid value when another one is broken. */
const VALID_QUERY: Record<string, Record<string, string>> = {
  'GET /v1/institutions/{id}/statement': { from: '2019-01-01', to: '2030-01-01' },
  'GET /v1/institutions/{id}/statement.csv': { from: '2019-01-01', to: '2030-01-01' },
};

let t: TestApp;
let world: World;
beforeAll(async () => {
  t = await createTestApp({ env: QUIET_ENV });
  world = await buildWorld(t);
}, 120_000);
afterAll(async () => t?.close());

const unchanged = (run: () => Promise<void>) => expectUnchanged(t, run);

interface Mutation {
  what: string;
  path: string[];
  value: unknown;
}

/** One broken part of a valid body: an arbitrary over every field of the operation's schema. */
function mutations(op: Operation, base: unknown): fc.Arbitrary<Mutation> {
  const options: Array<fc.Arbitrary<Mutation>> = [];
  const root = deref(op.body!);
  const rootWrong = wrongType(root);
  if (rootWrong) options.push(rootWrong.map((value) => ({ what: 'wrong type', path: [], value })));
  const fields = fieldsOf(root).filter((f) => getAt(base, f.path.slice(0, -1)) !== undefined);
  for (const f of fields) {
    const present = getAt(base, f.path) !== undefined;
    const name = f.path[f.path.length - 1]!;
    const wrong = wrongType(f.schema);
    if (wrong) options.push(wrong.map((value) => ({ what: 'wrong type', path: f.path, value })));
    const broken = brokenConstraint(f.schema, name);
    if (broken) options.push(broken.map((value) => ({ what: 'broken constraint', path: f.path, value })));
    if (f.required && present) options.push(fc.constant({ what: 'missing', path: f.path, value: DELETE }));
    if (typesOf(f.schema).has('string')) options.push(unstorableText.map((value) => ({ what: 'unstorable text', path: f.path, value })));
    if (name === 'cpr') options.push(fc.constantFrom(...INVALID_CPRS).map((value) => ({ what: 'invalid CPR', path: f.path, value })));
    const s = deref(f.schema);
    if (s.additionalProperties === false && s.properties && present && getAt(base, f.path) !== null) {
      options.push(extraKey(Object.keys(s.properties)).map(([key, value]) => ({ what: 'unknown key', path: [...f.path, key], value })));
    }
  }
  if (root.additionalProperties === false && root.properties) {
    options.push(extraKey(Object.keys(root.properties)).map(([key, value]) => ({ what: 'unknown key', path: [key], value })));
  }
  return fc.oneof(...options);
}

const extraKey = (known: string[]) =>
  fc.tuple(
    fc
      .oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', '', ' ', 'x'.repeat(5000)), hostileText(1, 6))
      .filter((k) => !known.includes(k)),
    fc.jsonValue({ maxDepth: 2 }),
  );

/** Applies a mutation; an unknown key is defined as an own property (even `__proto__`). */
function apply(base: unknown, m: Mutation): unknown {
  if (m.path.length === 0) return m.value;
  if (m.what === 'unknown key') {
    const copy = structuredClone(base);
    const parent = getAt(copy, m.path.slice(0, -1)) as object;
    Object.defineProperty(parent, m.path[m.path.length - 1]!, { value: m.value, enumerable: true, configurable: true, writable: true });
    return copy;
  }
  let body = setAt(base, m.path, m.value);
  // A CPR names the child on its own: drop the other ways of naming it, so the CPR is what is judged.
  if (m.what === 'invalid CPR') for (const sibling of ['child_id', 'child_ref', 'birth_date']) body = setAt(body, [...m.path.slice(0, -1), sibling], DELETE);
  return body;
}

/** The field a mutation breaks, as problems name it. */
const fieldName = (m: Mutation) => ['body', ...m.path].join('.');

const ops = operations();

describe('hostile bodies: every operation with a JSON body', () => {
  it('every operation with a body has a valid base body here (a new route must add one)', () => {
    const missing = ops.filter((op) => op.body && !BATCH.has(op.op) && !VALID_BODY[op.op]).map((op) => op.op);
    expect(missing).toEqual([]);
  });

  for (const op of ops.filter((o) => o.body && VALID_BODY[o.op])) {
    it(`${op.op}: one broken part → 4xx problem naming it, nothing stored`, async () => {
      const base = VALID_BODY[op.op]!(world);
      const url = pathOf(op, world);
      await unchanged(() =>
        fc.assert(
          fc.asyncProperty(mutations(op, base), async (m) => {
            const body = apply(base, m);
            const a = await send(t, op.method, url, { payload: jsonText(body) });
            // `__proto__` and friends are refused by the JSON parser itself, before any field exists.
            const field = m.what === 'unknown key' && ['__proto__', 'constructor', 'prototype'].includes(m.path.at(-1)!) ? undefined : fieldName(m);
            expectRejected(
              a,
              `${op.op} ${m.what} at ${m.path.join('.') || '(root)'} = ${jsonText(m.value)?.slice(0, 200)}`,
              a.status === 400 || a.status === 422 ? field : undefined,
            );
          }),
          { numRuns: RUNS.body },
        ),
      );
    });
  }
});

function brokenQueryValues(schema: Operation['query'][number]['schema'], name: string): fc.Arbitrary<string> | undefined {
  const s = deref(schema);
  if (s.type === 'integer' || s.type === 'number') {
    const candidates = ['abc', '-1', '0', '1.5', '1e308', '18446744073709551616', 'NaN', 'Infinity', '', '١٢', '1_000', 'true', '[]', '%00', '9'.repeat(400)];
    if (s.maximum !== undefined) candidates.push(String(s.maximum + 1));
    const bad = candidates.filter((v) => {
      const n = Number(v);
      return (
        !Number.isFinite(n) ||
        (s.type === 'integer' && !Number.isSafeInteger(n)) ||
        (s.minimum !== undefined && n < s.minimum) ||
        (s.maximum !== undefined && n > s.maximum)
      );
    });
    return fc.constantFrom(...bad);
  }
  if (name === 'cursor') {
    // Garbage, and well-formed cursors (base64url that round-trips) of keys this API never issued.
    const foreign = ['\u0000', '99999999999999999999999', '-1', 'zzz', "' or 1=1 --", '\ud800', '2023-02-30', 'x'.repeat(300)].map((k) =>
      Buffer.from(k, 'utf8').toString('base64url'),
    );
    return fc.oneof(hostileText(1, 30), unstorableText, fc.constantFrom('AAAA', ...foreign));
  }
  return brokenConstraint(schema, name)?.filter((v): v is string => typeof v === 'string');
}

describe('hostile query strings', () => {
  for (const op of ops.filter((o) => o.query.length)) {
    it(`${op.op}: a broken query parameter → 4xx problem naming it, nothing stored`, async () => {
      const valid = VALID_QUERY[op.op] ?? {};
      const params = op.query
        .map((p) => ({ p, values: brokenQueryValues(p.schema, p.name) }))
        .filter((x): x is { p: (typeof op.query)[number]; values: fc.Arbitrary<string> } => x.values !== undefined);
      const missing = op.query.filter((p) => p.required).map((p) => fc.constant({ name: p.name, value: undefined as string | undefined, repeat: false }));
      const arb = fc.oneof(
        ...params.map(({ p, values }) => fc.record({ name: fc.constant(p.name), value: values as fc.Arbitrary<string | undefined>, repeat: fc.boolean() })),
        ...missing,
      );
      const url = pathOf(op, world);
      await unchanged(() =>
        fc.assert(
          fc.asyncProperty(arb, async ({ name, value, repeat }) => {
            const q = { ...valid };
            delete q[name];
            const parts = Object.entries(q).map(([k, v]) => `${k}=${encode(v)}`);
            if (value !== undefined) parts.push(`${name}=${encode(value)}`);
            // The same parameter twice: an array where one value is expected.
            if (repeat && value !== undefined) parts.push(`${name}=${encode(value)}`);
            const a = await send(t, op.method, `${url}?${parts.join('&')}`, op.body ? { payload: jsonText(VALID_BODY[op.op]?.(world) ?? {}) } : {});
            // A cursor is an opaque position: on lists ordered by text (codes, kind keys) any storable
            // string is one, so a forged cursor may legitimately page from there. It must never fail.
            if (name === 'cursor' && a.status === 200) return;
            expectRejected(a, `${op.op} ?${parts.join('&').slice(0, 300)}`, a.status === 400 || a.status === 422 ? `query.${name}` : undefined);
          }),
          { numRuns: RUNS.query },
        ),
      );
    });
  }
});

describe('hostile path parameters', () => {
  for (const op of ops.filter((o) => o.pathParams.length)) {
    it(`${op.op}: an id that is malformed or names nothing → 4xx problem, nothing stored`, async () => {
      const values = fc.oneof(
        fc.constant(null).map(() => randomUUID()),
        fc.constantFrom('not-a-uuid', '%00', '%FF', '%C0%80', '%ED%A0%80', '..%2F..%2Fetc', 'x'.repeat(10_000), '00000000-0000-0000-0000-000000000000', '%20'),
        hostileText(1, 20).map(encode),
      );
      await unchanged(() =>
        fc.assert(
          fc.asyncProperty(values, async (value) => {
            const url = pathOf(op, world, { name: op.pathParams[0]!.name, value });
            const q = VALID_QUERY[op.op];
            const full = q
              ? `${url}?${Object.entries(q)
                  .map(([k, v]) => `${k}=${v}`)
                  .join('&')}`
              : url;
            const a = await send(t, op.method, full, op.body && VALID_BODY[op.op] ? { payload: jsonText(VALID_BODY[op.op]!(world)) } : {});
            // A URL that does not decode fails before routing: the problem names the path itself.
            const field = a.body?.type === 'urn:smb:problem:malformed' ? 'path' : `params.${op.pathParams[0]!.name}`;
            expectRejected(a, `${op.op} ${full.slice(0, 200)}`, a.status === 400 ? field : undefined);
          }),
          { numRuns: RUNS.path },
        ),
      );
    });
  }
});

describe('impossible calendar dates in every date field', () => {
  it('are rejected naming the field, wherever they appear', async () => {
    await unchanged(async () => {
      for (const op of ops.filter((o) => o.body && VALID_BODY[o.op])) {
        const base = VALID_BODY[op.op]!(world);
        for (const f of fieldsOf(deref(op.body!))) {
          const name = f.path.at(-1)!;
          if (!(deref(f.schema).format === 'date' || /(^|_)(on|date)$|^effective_from$/.test(name)) || getAt(base, f.path.slice(0, -1)) === undefined) continue;
          for (const date of INVALID_DATES) {
            const a = await send(t, op.method, pathOf(op, world), { payload: jsonText(setAt(base, f.path, date)) });
            expectRejected(a, `${op.op} ${f.path.join('.')}=${date}`, ['body', ...f.path].join('.'));
          }
        }
      }
    });
  });
});
