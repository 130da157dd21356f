/**
 * Composite rules (SETTLEMENT.md §11) through the HTTP API on PostgreSQL:
 *
 * - a property: a composite rule with ONE requirement pays exactly what the equivalent
 *   single-kind rule pays (same versions, windows, multipliers), over random children,
 *   enrolments, measurements, corrections and retractions — award by award and fund by fund;
 * - a worked case with two requirements: no award until both are measured, its date the later
 *   one, earned only when both hold, corrections and retractions of either posting the difference;
 * - bad input refused with problem+json naming the field, changing nothing.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/app.js';
import { allPages, count, createKey, expectProblem, ok } from '../registry/helpers.js';
import { expectLedgerInvariants } from './invariants.js';

let t: TestApp;
let runs = 0;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const BIRTHS = ['2017-02-28', '2018-07-31', '2019-12-31'];
const ATTRIBUTES = [{ restgruppe_origin: true }, {}, {}];
const INSTITUTIONS = [
  ['V', 'vuggestue'],
  ['D', 'dagpleje'],
  ['B', 'boernehave'],
] as const;
const PERIOD = 'age-6';
const OTHER_PERIOD = 'age-7';

const versions = (predicate: (p: object) => object) => [
  {
    effective_from: '2015-01-01',
    ...predicate({ op: 'gte', value: 50 }),
    amount: { fixed_ore: 1_000_003 },
    multipliers: [{ attribute: 'restgruppe_origin', equals: true, factor_bp: 15000 }],
    windows: [
      { from: 0, to: 36, share_bp: 6000, kinds: ['vuggestue', 'dagpleje'] },
      { from: 36, to: 72, share_bp: 3000, kinds: ['boernehave'] },
    ],
  },
  {
    effective_from: '2024-06-01',
    ...predicate({ op: 'between', min: 40, max: 90 }),
    amount: { fixed_ore: 777_777 },
    windows: [{ from: 0, to: 72, share_bp: 9000, kinds: ['vuggestue', 'dagpleje', 'boernehave'] }],
    unattributed: 'redistribute',
  },
];

type Action =
  | { type: 'enrol'; child: number; inst: number; start: string; end: string | null }
  | { type: 'measure'; child: number; period: string; value: number; measuredOn: string }
  | { type: 'retract'; child: number; period: string };

const date = fc
  .integer({ min: Date.parse('2017-03-01'), max: Date.parse('2026-06-30') })
  .map((ms) => new Date(ms - (ms % 86_400_000)).toISOString().slice(0, 10));
const action: fc.Arbitrary<Action> = fc.oneof(
  fc
    .record({
      type: fc.constant('enrol' as const),
      child: fc.nat(2),
      inst: fc.nat(2),
      start: date,
      end: fc.option(fc.integer({ min: 30, max: 1500 }), { nil: null }),
    })
    .map((e) => ({ ...e, end: e.end === null ? null : new Date(Date.parse(e.start) + e.end * 86_400_000).toISOString().slice(0, 10) })),
  fc.record({
    type: fc.constant('measure' as const),
    child: fc.nat(2),
    period: fc.constantFrom(PERIOD, PERIOD, OTHER_PERIOD),
    value: fc.integer({ min: 0, max: 100 }),
    measuredOn: fc
      .integer({ min: Date.parse('2023-01-01'), max: Date.parse('2025-12-31') })
      .map((ms) => new Date(ms - (ms % 86_400_000)).toISOString().slice(0, 10)),
  }),
  fc.record({ type: fc.constant('retract' as const), child: fc.nat(2), period: fc.constantFrom(PERIOD, OTHER_PERIOD) }),
);

async function setUpRun(n: number) {
  const kind = `comp-score-${n}`;
  ok(await t.call('POST', '/v1/measurement-kinds', { key: kind, type: 'number', min: 0, max: 100 }), 201);
  const funds = [];
  for (const name of ['single', 'composite']) {
    const id = ok(await t.call('POST', '/v1/funds', { name: `${name} ${n}` }), 201).id as string;
    ok(await t.call('POST', `/v1/funds/${id}/deposits`, { amount_ore: 50_000_000, funder: 'test' }), 201);
    funds.push(id);
  }
  const single = ok(await t.call('POST', '/v1/rules', { fund_id: funds[0], kind, periods: [PERIOD], versions: versions((p) => ({ predicate: p })) }), 201);
  const composite = ok(
    await t.call('POST', '/v1/rules', {
      fund_id: funds[1],
      requires: { score: { kind, period: PERIOD } },
      versions: versions((p) => ({ predicates: { score: p } })),
    }),
    201,
  );
  expect(composite.requires).toEqual([{ name: 'score', kind, period: PERIOD }]);
  expect(single.requires).toEqual([{ name: kind, kind, period: PERIOD }]);
  const inst = [];
  for (const [label, instKind] of INSTITUTIONS)
    inst.push(ok(await t.call('POST', '/v1/institutions', { code: `c${n}-${label}`, kind: instKind }), 201).code as string);
  const children = [];
  for (const [i, birth] of BIRTHS.entries())
    children.push(ok(await t.call('POST', '/v1/children', { birth_date: birth, attributes: ATTRIBUTES[i] }), 201).id as string);
  return { kind, funds, rules: [single.id as string, composite.id as string], inst, children };
}

type RunWorld = Awaited<ReturnType<typeof setUpRun>>;

async function apply(w: RunWorld, a: Action) {
  if (a.type === 'enrol') {
    const res = await t.call('POST', '/v1/enrolments', { child: w.children[a.child], institution: w.inst[a.inst], start: a.start, end: a.end });
    expect([201, 409], JSON.stringify(res.body)).toContain(res.status);
  } else if (a.type === 'measure') {
    const res = await t.call('POST', '/v1/measurements', {
      child_id: w.children[a.child],
      kind: w.kind,
      period: a.period,
      value: a.value,
      measured_on: a.measuredOn,
    });
    expect([200, 201], JSON.stringify(res.body)).toContain(res.status);
  } else {
    const res = await t.call('POST', '/v1/measurements/retract', { child_id: w.children[a.child], kind: w.kind, period: a.period });
    expect([200, 404], JSON.stringify(res.body)).toContain(res.status);
  }
}

const money = (a: any) => ({
  earned: a.earned,
  amount_ore: a.amount_ore,
  retained_ore: a.retained_ore,
  status: a.status,
  awaiting_funds: a.awaiting_funds,
  payouts: Object.fromEntries(a.payouts.map((p: any) => [p.code.replace(/^c\d+-/, ''), p.amount_ore])),
});

async function awardsByChild(ruleId: string) {
  const page = ok(await t.call('GET', `/v1/awards?rule_id=${ruleId}&limit=100`));
  return new Map<string, unknown>(page.items.map((a: any) => [a.child_id, money(a)]));
}

async function balances(fundId: string) {
  const b = ok(await t.call('GET', `/v1/funds/${fundId}/balances`));
  return { available: b.available_ore, reserved: b.reserved_ore, payable: b.payable_ore };
}

describe('a composite rule with one requirement', () => {
  it('pays exactly what the equivalent single-kind rule pays (property)', async () => {
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 14 }), fc.boolean(), async (actions, finalise) => {
        if (Date.now() - started > 90_000) return; // time budget on a loaded machine; a failure found is reported
        const w = await setUpRun(++runs);
        for (const a of actions) await apply(w, a);
        await t.settled();
        if (finalise) {
          for (const fund_id of w.funds) ok(await t.call('POST', '/v1/awards/finalise', { fund_id, reason: 'property' }));
          await t.settled();
        }
        const [single, composite] = await Promise.all(w.rules.map(awardsByChild));
        expect(composite).toEqual(single);
        expect(await balances(w.funds[1]!)).toEqual(await balances(w.funds[0]!));
        for (const fundId of w.funds) await expectLedgerInvariants(t.ctx.db, { fundId });
      }),
      { numRuns: 20 },
    );
  }, 240_000);
});

describe('a composite rule with two requirements', () => {
  async function world() {
    const n = ++runs;
    const kinds = [`c-sprog-${n}`, `c-parents-${n}`];
    ok(await t.call('POST', '/v1/measurement-kinds', { key: kinds[0], type: 'enum', values: ['generel', 'fokuseret', 'saerlig'] }), 201);
    ok(await t.call('POST', '/v1/measurement-kinds', { key: kinds[1], type: 'number', min: 0, max: 100 }), 201);
    const fundId = ok(await t.call('POST', '/v1/funds', { name: `two ${n}` }), 201).id as string;
    ok(await t.call('POST', `/v1/funds/${fundId}/deposits`, { amount_ore: 10_000_000, funder: 'test' }), 201);
    const code = ok(await t.call('POST', '/v1/institutions', { code: `two${n}-V`, kind: 'vuggestue' }), 201).code as string;
    const child = ok(await t.call('POST', '/v1/children', { birth_date: '2019-03-15' }), 201).id as string;
    ok(await t.call('POST', '/v1/enrolments', { child, institution: code, start: '2019-09-01', end: '2022-03-15' }), 201);
    const rule = ok(
      await t.call('POST', '/v1/rules', {
        fund_id: fundId,
        requires: { sprog: { kind: kinds[0], period: 'age-4' }, parents: { kind: kinds[1], period: 'boernehave-1' } },
        versions: [
          {
            effective_from: '2015-01-01',
            predicates: { sprog: { op: 'in', values: ['generel'] }, parents: { op: 'gte', value: 70 } },
            amount: { fixed_ore: 1_000_000 },
            windows: [{ from: 0, to: 36, share_bp: 10000, kinds: ['vuggestue'] }],
          },
          {
            effective_from: '2023-06-01',
            predicates: { sprog: { op: 'in', values: ['generel'] }, parents: { op: 'gte', value: 60 } },
            amount: { fixed_ore: 2_000_000 },
            windows: [{ from: 0, to: 36, share_bp: 10000, kinds: ['vuggestue'] }],
          },
        ],
      }),
      201,
    );
    const measure = async (k: 0 | 1, period: string, value: unknown, measured_on: string) => {
      const res = await t.call('POST', '/v1/measurements', { child_id: child, kind: kinds[k], period, value, measured_on });
      expect([200, 201], JSON.stringify(res.body)).toContain(res.status);
      await t.settled();
    };
    const awards = async () => ok(await t.call('GET', `/v1/awards?rule_id=${rule.id}`)).items as any[];
    return { fundId, child, rule, kinds, measure, awards };
  }

  it('has no award until both are measured; dates it by the later; follows corrections and retractions of either', async () => {
    const w = await world();
    await w.measure(0, 'age-4', 'generel', '2023-04-20');
    expect(await w.awards()).toEqual([]);
    const pending = ok(await t.call('GET', `/v1/rules/${w.rule.id}/pending`));
    expect(pending.items).toEqual([{ child_id: w.child, missing: [{ name: 'parents', kind: w.kinds[1], period: 'boernehave-1' }] }]);

    // 65 meets version 2 (in force on 2023-06-15, the later date), not version 1's 70.
    await w.measure(1, 'boernehave-1', 65, '2023-06-15');
    let [award] = await w.awards();
    expect(award).toMatchObject({ earned: true, amount_ore: 2_000_000, child_id: w.child });
    expect(ok(await t.call('GET', `/v1/rules/${w.rule.id}/pending`)).items).toEqual([]);
    const explanation = ok(await t.call('GET', `/v1/awards/${award.id}`)).explanation;
    const requirements = explanation.requirements;
    expect(requirements.map((r: any) => [r.name, r.value, r.measured_on, r.held])).toEqual([
      ['sprog', 'generel', '2023-04-20', true],
      ['parents', 65, '2023-06-15', true],
    ]);

    // A correction of the earlier one moves the date back to version 1: 65 < 70, not earned.
    await w.measure(1, 'boernehave-1', 65, '2023-05-01');
    [award] = await w.awards();
    expect(award).toMatchObject({ earned: false, amount_ore: 0 });
    expect(ok(await t.call('GET', `/v1/funds/${w.fundId}/balances`))).toMatchObject({ available_ore: 10_000_000, reserved_ore: 0 });

    await w.measure(1, 'boernehave-1', 80, '2023-05-01');
    [award] = await w.awards();
    expect(award).toMatchObject({ earned: true, amount_ore: 1_000_000 });

    // A retraction of either: the award stays, not earned, and its money goes back.
    ok(await t.call('POST', '/v1/measurements/retract', { child_id: w.child, kind: w.kinds[0], period: 'age-4' }));
    await t.settled();
    const awards = await w.awards();
    expect(awards).toHaveLength(1);
    expect(awards[0]).toMatchObject({ id: award.id, earned: false, amount_ore: 0, payouts: [] });
    expect(ok(await t.call('GET', `/v1/funds/${w.fundId}/balances`))).toMatchObject({ available_ore: 10_000_000, reserved_ore: 0, payable_ore: 0 });
    await expectLedgerInvariants(t.ctx.db, { fundId: w.fundId });
  });
});

describe("an institution's view of a composite rule's pending children", () => {
  it('shows only the children it had in one of the rule’s windows, at a kind the window pays; admins see every one', async () => {
    const n = ++runs;
    const kinds = [`p-sprog-${n}`, `p-parents-${n}`];
    ok(await t.call('POST', '/v1/measurement-kinds', { key: kinds[0], type: 'number', min: 0, max: 100 }), 201);
    ok(await t.call('POST', '/v1/measurement-kinds', { key: kinds[1], type: 'number', min: 0, max: 100 }), 201);
    const fundId = ok(await t.call('POST', '/v1/funds', { name: `pending ${n}` }), 201).id as string;
    const inst = async (suffix: string, kind: string) => ok(await t.call('POST', '/v1/institutions', { code: `pv${n}-${suffix}`, kind }), 201).code as string;
    const [v1, v2, b] = [await inst('V1', 'vuggestue'), await inst('V2', 'vuggestue'), await inst('B', 'boernehave')];
    const rule = ok(
      await t.call('POST', '/v1/rules', {
        fund_id: fundId,
        requires: { sprog: { kind: kinds[0], period: 'age-4' }, parents: { kind: kinds[1], period: 'boernehave-1' } },
        versions: [
          {
            effective_from: '2015-01-01',
            predicates: { sprog: { op: 'gte', value: 50 }, parents: { op: 'gte', value: 50 } },
            amount: { fixed_ore: 1_000_000 },
            windows: [{ from: 0, to: 36, share_bp: 10000, kinds: ['vuggestue'] }],
          },
        ],
      }),
      201,
    ).id as string;
    // Born 2019-03-15: the window (months 0–36) ends 2022-03-15.
    const enrolled = async (institution: string, start: string, end: string) => {
      const child = ok(await t.call('POST', '/v1/children', { birth_date: '2019-03-15' }), 201).id as string;
      ok(await t.call('POST', '/v1/enrolments', { child, institution, start, end }), 201);
      ok(await t.call('POST', '/v1/measurements', { child_id: child, kind: kinds[0], period: 'age-4', value: 80, measured_on: '2023-04-20' }), 201);
      return child;
    };
    const inWindowAtV1 = await enrolled(v1, '2019-09-01', '2022-03-14');
    const inWindowAtV2 = await enrolled(v2, '2020-01-01', '2021-01-01');
    const atV1AfterTheWindow = await enrolled(v1, '2022-03-15', '2023-01-01');
    const atTheBoernehaveInTheWindow = await enrolled(b, '2021-01-01', '2022-01-01');
    await t.settled();

    const url = `/v1/rules/${rule}/pending`;
    const ids = (items: any[]) => items.map((i) => i.child_id).sort();
    const all = await allPages(t, url, 1);
    expect(ids(all.items)).toEqual([inWindowAtV1, inWindowAtV2, atV1AfterTheWindow, atTheBoernehaveInTheWindow].sort());
    expect(all.items.every((i) => i.missing.length === 1 && i.missing[0].name === 'parents')).toBe(true);
    const seenBy = async (code: string) => ids((await allPages(t, url, 1, await createKey(t, { role: 'institution', institution: code }))).items);
    expect(await seenBy(v1)).toEqual([inWindowAtV1]);
    expect(await seenBy(v2)).toEqual([inWindowAtV2]);
    expect(await seenBy(b)).toEqual([]);
  });
});

describe('bad composite rules', () => {
  async function setUp() {
    const n = ++runs;
    const kind = `bad-${n}`;
    ok(await t.call('POST', '/v1/measurement-kinds', { key: kind, type: 'number', min: 0, max: 100 }), 201);
    const fundId = ok(await t.call('POST', '/v1/funds', { name: `bad ${n}` }), 201).id as string;
    const version = (over: object = {}) => ({
      effective_from: '2020-01-01',
      predicates: { a: { op: 'gte', value: 1 }, b: { op: 'gte', value: 1 } },
      amount: { fixed_ore: 100 },
      windows: [{ from: 0, to: 36, share_bp: 10000, kinds: ['vuggestue'] }],
      ...over,
    });
    const requires = { a: { kind, period: 'age-3' }, b: { kind, period: 'age-4' } };
    return { kind, fundId, version, requires };
  }

  it.each([
    ['duplicate requirements', (s: any) => ({ requires: { a: { kind: s.kind, period: 'age-3' }, b: { kind: s.kind, period: 'age-3' } } }), 'body.requires.b'],
    [
      'a predicate for no requirement',
      (s: any) => ({ versions: [s.version({ predicates: { a: { op: 'gte', value: 1 }, b: { op: 'gte', value: 1 }, c: { op: 'gte', value: 1 } } })] }),
      'body.versions.0.predicates.c',
    ],
    [
      'a requirement without predicate',
      (s: any) => ({ versions: [s.version({ predicates: { a: { op: 'gte', value: 1 } } })] }),
      'body.versions.0.predicates.b',
    ],
    ['a value-based amount', (s: any) => ({ versions: [s.version({ amount: { value_bp: 500 } })] }), 'body.versions.0.amount'],
    [
      'an unknown kind',
      (s: any) => ({ requires: { a: { kind: 'no-such-kind', period: 'age-3' }, b: { kind: s.kind, period: 'age-4' } } }),
      'body.requires.a.kind',
    ],
    [
      'a predicate, not predicates',
      (s: any) => ({ versions: [{ ...s.version(), predicates: undefined, predicate: { op: 'gte', value: 1 } }] }),
      'body.versions.0.predicate',
    ],
    ['both kind and requires', (s: any) => ({ kind: s.kind }), 'body.requires'],
    ['a bad requirement name', (s: any) => ({ requires: { 'A-1': { kind: s.kind, period: 'age-3' } } }), 'body.requires.A-1', 400],
    ['no requirement', () => ({ requires: {} }), 'body.requires', 400],
  ])('%s is refused naming the field, and nothing is stored', async (_name, change, field, status = 422) => {
    const s = await setUp();
    const before = await count(t, 'rules');
    const body = { fund_id: s.fundId, requires: s.requires, versions: [s.version()], ...change(s) };
    expectProblem(await t.call('POST', '/v1/rules', body), status as number, field as string);
    expect(await count(t, 'rules')).toBe(before);
  });

  it('a new version of a composite rule needs predicates for exactly its requirements', async () => {
    const s = await setUp();
    const rule = ok(await t.call('POST', '/v1/rules', { fund_id: s.fundId, requires: s.requires, versions: [s.version()] }), 201);
    expectProblem(
      await t.call('POST', `/v1/rules/${rule.id}/versions`, s.version({ effective_from: '2021-01-01', predicates: { a: { op: 'gte', value: 1 } } })),
      422,
      'body.predicates.b',
    );
    ok(await t.call('POST', `/v1/rules/${rule.id}/versions`, s.version({ effective_from: '2021-01-01' })), 201);
  });
});
