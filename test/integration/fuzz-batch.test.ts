import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import {
  HUGE_NUMBERS,
  INVALID_CPRS,
  INVALID_DATES,
  QUIET_ENV,
  buildWorld,
  deepArray,
  deepJsonText,
  deepObject,
  expectRejected,
  expectUnchanged,
  hostileText,
  jsonText,
  operations,
  send,
  unstorableText,
  type World,
} from './fuzz/support.js';

/**
 * The batch endpoints (a JSON array, or an NDJSON stream) answer 200 with a result per item.
 * Bad items — each broken in one field — must each be rejected with a problem naming that
 * field, and nothing may be stored for them; a broken envelope is a 4xx problem. The database
 * is compared (every row of every table) before and after each property.
 */
const RUNS = 25;

interface BatchSpec {
  valid: (w: World) => Record<string, unknown>;
  /** Fields holding calendar dates, and the field holding a CPR. */
  dates: string[];
  cpr?: string;
  /** Fields for which null is a valid value (an enrolment's `end`: ongoing), so not a wrong one. */
  nullable?: string[];
}
const BATCHES: Record<string, BatchSpec> = {
  'POST /v1/measurements/batch': {
    valid: (w) => ({ child_id: w.child, kind: 'sprogvurdering', period: 'age-6', value: 'generel', measured_on: '2023-04-20' }),
    dates: ['measured_on'],
    cpr: 'cpr',
  },
  'POST /v1/enrolments/batch': {
    valid: (w) => ({ child_id: w.cprChild, institution: 'V-2', start: '2019-09-01', end: '2021-01-01' }),
    dates: ['start', 'end'],
    cpr: 'cpr',
    nullable: ['end'],
  },
  'POST /v1/children/batch': {
    valid: () => ({ external_ref: 'batch-new', birth_date: '2018-01-01', attributes: { a: 1 } }),
    dates: ['birth_date'],
    cpr: 'cpr',
  },
};
/** Every way a child may be named in an item: a CPR item names it by CPR alone. */
const CHILD_NAMES = ['child_id', 'child_ref', 'birth_date'];

let t: TestApp;
let world: World;
beforeAll(async () => {
  t = await createTestApp({ env: QUIET_ENV });
  world = await buildWorld(t);
}, 120_000);
afterAll(async () => t?.close());

const unchanged = (run: () => Promise<void>) => expectUnchanged(t, run);

interface BadItem {
  item: unknown;
  /** The field a problem must name ('item' when the item as a whole is wrong). */
  field: string;
  unknownKey?: true;
}

/** One item broken in one field (wrong type, impossible date or CPR, unknown key, missing), or not an object at all. */
const isEmptyObject = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0;

function badItem(spec: BatchSpec, valid: Record<string, unknown>, opts: { storable: boolean }): fc.Arbitrary<BadItem> {
  const keys = Object.keys(valid);
  const wrong = fc.oneof(
    fc.constantFrom(null, true, [], {}, ...HUGE_NUMBERS.filter((n) => !Number.isSafeInteger(n))),
    fc.constant(deepObject(500)),
    fc.constant(deepArray(500)),
  );
  const with_ = (field: string, value: unknown, drop: string[] = []) => {
    const item: Record<string, unknown> = { ...valid, [field]: value };
    for (const d of drop) delete item[d];
    return { item, field };
  };
  const options: Array<fc.Arbitrary<BadItem>> = [
    // `{}` is a valid value for an object field (a child's attributes): wrong only elsewhere.
    fc
      .tuple(fc.constantFrom(...keys), wrong)
      .filter(([k, v]) => !(isEmptyObject(v) && valid[k] !== null && typeof valid[k] === 'object' && !Array.isArray(valid[k])))
      .filter(([k, v]) => !(v === null && spec.nullable?.includes(k)))
      .map(([k, v]) => with_(k, v)),
    fc.tuple(fc.constantFrom(...spec.dates), fc.constantFrom(...INVALID_DATES)).map(([k, v]) => with_(k, v)),
    fc
      .tuple(fc.constantFrom('zzz', 'Child_Id', ' kind', '\u202ekind'), fc.jsonValue({ maxDepth: 1 }))
      .map(([k, v]) => ({ item: { ...valid, [k]: v }, field: k, unknownKey: true as const })),
    fc.constantFrom(null, 1, 'x', [], true).map((item) => ({ item, field: 'item' })),
    // Deeper still (10,000) is sent as text below: the test's own JSON.stringify cannot go that deep.
    fc.constant({ item: deepArray(1_000), field: 'item' }),
  ];
  if (spec.cpr) options.push(fc.constantFrom(...INVALID_CPRS.filter((c) => !c.includes('\u0000'))).map((c) => with_(spec.cpr!, c, CHILD_NAMES)));
  if (!opts.storable) options.push(fc.tuple(fc.constantFrom(...keys), unstorableText).map(([k, v]) => with_(k, v)));
  return fc.oneof(...options);
}

/** A problem on an item names the field (or a parent/child of it); a malformed line is named `line`. */
function expectItemRejected(result: any, bad: BadItem | 'line', context: string) {
  const where = `${context}: ${JSON.stringify(result).slice(0, 400)}`;
  expect(result.outcome, where).toBe('rejected');
  expect(result.problem.status, where).toBeGreaterThanOrEqual(400);
  expect(result.problem.status, where).toBeLessThan(500);
  expect(result.problem.title, where).toEqual(expect.any(String));
  const fields: string[] = result.problem.errors.map((e: { field: string }) => e.field);
  const want = bad === 'line' ? 'line' : bad.field;
  const related = (f: string) => f === want || f.startsWith(`${want}.`) || want.startsWith(`${f}.`) || (want === 'item' && f !== undefined);
  // KNOWN GAP (src/services/batch-items.ts parseItems): an unknown key is reported on `item`, its
  // name only in the message; single requests name `body.<key>` (src/http/errors.ts).
  const namedInMessage =
    bad !== 'line' &&
    bad.unknownKey &&
    result.problem.errors.some((e: { field: string; message: string }) => e.field === 'item' && e.message.includes(JSON.stringify(want)));
  // Naming the child: an item that names its child twice (or not at all) is reported on the first way.
  const childNaming = bad !== 'line' && CHILD_NAMES.includes(want) && fields.some((f) => CHILD_NAMES.includes(f));
  expect(fields.some(related) || childNaming || namedInMessage, `${where}: should name ${want}`).toBe(true);
}

const batchOps = operations().filter((o) => o.path.endsWith('/batch'));

describe('batch endpoints', () => {
  it('every batch endpoint of the document has an item template here', () => {
    expect(batchOps.length).toBeGreaterThan(0);
    expect(batchOps.map((o) => o.op).filter((op) => !BATCHES[op])).toEqual([]);
  });

  for (const op of batchOps.filter((o) => BATCHES[o.op])) {
    const spec = BATCHES[op.op]!;

    it(`${op.op}: a JSON array of bad items → 200, every item rejected naming its field, nothing stored`, async () => {
      await unchanged(() =>
        fc.assert(
          fc.asyncProperty(fc.array(badItem(spec, spec.valid(world), { storable: true }), { minLength: 1, maxLength: 5 }), async (bad) => {
            const a = await send(t, 'POST', op.path, { payload: jsonText(bad.map((b) => b.item)) });
            expect(a.status, a.text.slice(0, 300)).toBe(200);
            expect(a.body.summary).toMatchObject({ total: bad.length, rejected: bad.length });
            bad.forEach((b, i) => expectItemRejected(a.body.results[i], b, `${op.op} item ${i}`));
          }),
          { numRuns: RUNS },
        ),
      );
    });

    it(`${op.op}: an NDJSON stream of bad and malformed lines → every line rejected, nothing stored`, async () => {
      const malformed = fc.constantFrom(
        '{',
        '{"a":1,}',
        'nul',
        '[1,',
        "{'a':1}",
        'NaN',
        '{"a":1}{"b":2}',
        '\u0000',
        '"\\ud800"',
        'x'.repeat(100_000),
        '\ufeff{}x',
      );
      const line = fc.oneof(
        badItem(spec, spec.valid(world), { storable: false }).map((b) => ({ text: jsonText(b.item), bad: b as BadItem | 'line' })),
        malformed.map((text) => ({ text, bad: 'line' as const })),
        fc.constant({ text: deepJsonText(10_000, 'array'), bad: { item: null, field: 'item' } as BadItem | 'line' }),
      );
      await unchanged(() =>
        fc.assert(
          fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 6 }), fc.constantFrom('\n', '\r\n'), async (lines, eol) => {
            const payload = lines.map((l) => l.text).join(eol) + eol + eol; // a blank line is skipped
            const a = await send(t, 'POST', op.path, { payload, contentType: 'application/x-ndjson' });
            expect(a.status).toBe(200);
            const out = a.text
              .trim()
              .split('\n')
              .map((l) => JSON.parse(l));
            const summary = out.pop();
            expect(summary.error, JSON.stringify(summary)).toBeUndefined();
            expect(summary.summary).toMatchObject({ total: lines.length, rejected: lines.length });
            // An item with unstorable text is refused before its schema, naming the field that holds it.
            lines.forEach((l, i) => expectItemRejected(out[i], l.bad, `${op.op} line ${i}: ${l.text.slice(0, 100)}`));
          }),
          { numRuns: RUNS },
        ),
      );
    });

    it(`${op.op}: broken envelopes → 4xx problem, nothing stored`, async () => {
      await unchanged(async () => {
        const item = spec.valid(world);
        const cases: Array<[string, string | Buffer, string?]> = [
          ['an object instead of an array', jsonText(item)],
          ['null', 'null'],
          ['a number', '1e308'],
          ['a string', '"[]"'],
          ['truncated JSON', '[{"a":1}'],
          ['invalid UTF-8', Buffer.from([0x5b, 0xff, 0xfe, 0x5d])],
          ['a JSON array nested 10,000 deep', deepJsonText(10_000, 'array')],
          ['an object nested 10,000 deep', deepJsonText(10_000, 'object')],
          ['more than 10,000 items', jsonText(Array.from({ length: 10_001 }, () => 1))],
          ['unstorable text in an item', jsonText([{ ...item, [Object.keys(item)[0]!]: 'a\u0000b' }])],
          ['text/plain', jsonText([item]), 'text/plain'],
          ['form data', 'a=1', 'application/x-www-form-urlencoded'],
        ];
        for (const [what, payload, contentType] of cases) {
          const a = await send(t, 'POST', op.path, { payload, ...(contentType ? { contentType } : {}) });
          // A nested array is still an array: its one item is rejected, the envelope is fine.
          if (what === 'a JSON array nested 10,000 deep') {
            expect(a.status, what).toBe(200);
            expectItemRejected(a.body.results[0], { item: null, field: 'item' }, what);
            continue;
          }
          expectRejected(a, `${op.op} ${what}`, what === 'unstorable text in an item' ? `body.0.${Object.keys(item)[0]}` : undefined);
        }
        expect((await send(t, 'GET', '/healthz')).status).toBe(200);
      });
    });
  }

  it('a valid item next to bad ones is stored, and only it (the bad ones leave no trace)', async () => {
    const spec = BATCHES['POST /v1/children/batch']!;
    const good = { external_ref: 'batch-good', birth_date: '2018-02-02' };
    const a = await send(t, 'POST', '/v1/children/batch', {
      payload: jsonText([{ ...good, birth_date: '2023-02-30' }, good, { ...spec.valid(world), cpr: '290223-4123', birth_date: undefined }]),
    });
    expect(a.status).toBe(200);
    expect(a.body.results.map((r: { outcome: string }) => r.outcome)).toEqual(['rejected', 'accepted', 'rejected']);
    const stored = await send(t, 'GET', '/v1/children?external_ref=batch-good');
    expect(stored.body.items).toHaveLength(1);
    expect((await send(t, 'GET', '/v1/children?external_ref=batch-new')).body.items).toHaveLength(0);
  });

  it('text that cannot be stored, and numbers JSON cannot carry exactly, are refused in NDJSON lines naming the field (the rest of the chunk is stored)', async () => {
    const payload = [
      jsonText({ external_ref: 'nul\u0000ref', birth_date: '2018-01-01' }),
      jsonText({ external_ref: 'batch-after-nul', birth_date: '2018-01-01' }),
    ].join('\n');
    const a = await send(t, 'POST', '/v1/children/batch', { payload, contentType: 'application/x-ndjson' });
    const out = a.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out[0]).toMatchObject({ outcome: 'rejected', problem: { status: 400, errors: [{ field: 'external_ref' }] } });
    expect(out[1]).toMatchObject({ outcome: 'accepted' });
    expect(out[2].error).toBeUndefined();
    const numbers = [
      '{"external_ref":"big-1","birth_date":"2018-01-01","attributes":{"n":9223372036854775808}}',
      '{"external_ref":"big-2","birth_date":"2018-01-01","attributes":{"n":1e300}}',
      '{"external_ref":"big-3","birth_date":"2018-01-01","attributes":{"n":9007199254740991,"m":-9007199254740991,"e":1e3}}',
    ].join('\n');
    const b = await send(t, 'POST', '/v1/children/batch', { payload: numbers, contentType: 'application/x-ndjson' });
    const outB = b.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(outB[0]).toMatchObject({
      outcome: 'rejected',
      problem: { status: 400, errors: [{ field: 'attributes.n', message: expect.stringContaining('cannot carry exactly') }] },
    });
    expect(outB[1]).toMatchObject({ outcome: 'rejected', problem: { errors: [{ field: 'attributes.n' }] } });
    expect(outB[2]).toMatchObject({ outcome: 'accepted' });
  });

  it('hostile but storable text (RTL, emoji, combining marks) in a free-text field round-trips unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(
        hostileText(1, 20).filter((s) => !s.includes('\u0000') && !/[\ud800-\udfff]/u.test(s) && s.trim().length > 0 && s.trim().length <= 200),
        async (ref) => {
          const a = await send(t, 'POST', '/v1/children/batch', { payload: jsonText([{ external_ref: ref, birth_date: '2018-01-01' }]) });
          expect(a.status).toBe(200);
          const r = a.body.results[0];
          if (r.outcome === 'rejected') return; // e.g. a duplicate reference from an earlier run
          const child = await send(t, 'GET', `/v1/children/${r.child_id}`);
          expect(child.body.external_ref).toBe(ref.trim());
        },
      ),
      { numRuns: 15 },
    );
  });
});
