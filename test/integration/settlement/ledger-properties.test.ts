/**
 * Model-based property tests of settlement through the HTTP API (fast-check commands).
 *
 * Each run drives random actions — measurements and their corrections and retractions,
 * enrolments added or moved, deposits (often too small, so awards wait for funds), early
 * finalisation, payment runs confirmed, cancelled or left open — against a fresh fund, kind,
 * institutions and children in one long-lived app ("incremental"). The model records only the
 * inputs. Afterwards every ledger invariant must hold, and the outcome must equal settling the
 * model's FINAL inputs from scratch in a second app ("scratch"):
 *
 * - Award figures (earned, amount, payouts, retained) depend only on the final inputs: equal at
 *   once, before any closing.
 * - Money depends on history (what was paid, what is still waiting for funds). So both sides
 *   close out — the incremental side deposits a sum that covers everything and finalises early;
 *   the scratch side deposits the same total up front and finalises — after which every award is
 *   final (or not earned), nothing is reserved or waiting, and these must match: each award's
 *   payable per payee; the fund's available balance; its payable + paid out; and per institution
 *   payable + paid (the incremental side may have paid some of it already, or clawed it back).
 *
 * After every action, awards must have been funded in acceptance order. Invariants are checked
 * per run on the run's fund (so a failure shrinks to the run that caused it), and over the whole
 * database once at the end. Each property stops early, passing, if it runs out of its time budget
 * on a loaded machine (25 runs take about 25 s on an idle one); a failure found is always reported.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessDate } from '../../../src/services/business-date.js';
import { createTestApp, type TestApp } from '../../support/app.js';
import { ok } from '../registry/helpers.js';
import { expectLedgerInvariants, fundingOrderSinceViolations, journalCount, lastSeq } from './invariants.js';

const BIRTHS = ['2017-02-28', '2018-07-31', '2019-12-31'];
/** Child 0 is of restgruppe origin: its awards get the 1.5× multiplier. */
const ATTRIBUTES = [{ restgruppe_origin: true }, {}, {}];
const INSTITUTIONS = [
  ['V', 'vuggestue'],
  ['D', 'dagpleje'],
  ['B1', 'boernehave'],
  ['B2', 'boernehave'],
] as const;
/** The rule covers the first three; a measurement for 'age-9' must get no award. */
const PERIODS = ['age-5', 'age-6', 'age-7', 'age-9'];
const RULE_PERIODS = PERIODS.slice(0, 3);
const CLOSING_DEPOSIT = 100_000_000;
const TIME_ZONE = 'Europe/Copenhagen';

const DAY_MS = 86_400_000;
const addDays = (iso: string, days: number) => new Date(Date.parse(iso) + days * DAY_MS).toISOString().slice(0, 10);
const today = () => businessDate(new Date(), TIME_ZONE);

let incremental: TestApp;
let scratch: TestApp;
let runs = 0;

beforeAll(async () => {
  [incremental, scratch] = await Promise.all([createTestApp(), createTestApp()]);
});
afterAll(async () => {
  await Promise.all([incremental?.close(), scratch?.close()]);
});

// ---------------------------------------------------------------------------------------------
// One run's world, set up identically in either app.

interface Run {
  t: TestApp;
  fundId: string;
  kind: string;
  children: string[];
  inst: Array<{ id: string; code: string }>;
  /** Enrolment ids, in the model's order. */
  enrolmentIds: string[];
}

interface RuleOptions {
  unattributed: 'retain' | 'redistribute';
  amount: number;
}

/** `rule` null: no rule yet (the caller publishes its own). */
async function setUpRun(t: TestApp, n: number, rule: RuleOptions | null): Promise<Run> {
  const kind = `score-r${n}`;
  ok(await t.call('POST', '/v1/measurement-kinds', { key: kind, type: 'number', min: 0, max: 100 }), 201);
  const fundId = ok(await t.call('POST', '/v1/funds', { name: `run ${n}` }), 201).id;
  const inst = [];
  for (const [label, instKind] of INSTITUTIONS) {
    const created = ok(await t.call('POST', '/v1/institutions', { code: `r${n}-${label}`, kind: instKind }), 201);
    inst.push({ id: created.id as string, code: created.code as string });
  }
  const children = [];
  for (const [i, birth] of BIRTHS.entries()) {
    children.push(ok(await t.call('POST', '/v1/children', { birth_date: birth, attributes: ATTRIBUTES[i] }), 201).id as string);
  }
  if (rule) await publishRule(t, fundId, kind, rule);
  return { t, fundId, kind, children, inst, enrolmentIds: [] };
}

/** Child 0's awards get 1.5×; 60% to the vuggestue/dagpleje days of the first 36 months, 30% to the børnehave days of the next 36. */
async function publishRule(t: TestApp, fundId: string, kind: string, rule: RuleOptions) {
  ok(
    await t.call('POST', '/v1/rules', {
      fund_id: fundId,
      kind,
      periods: RULE_PERIODS,
      versions: [
        {
          effective_from: '2015-01-01',
          predicate: { op: 'gte', value: 50 },
          amount: { fixed_ore: rule.amount },
          multipliers: [{ attribute: 'restgruppe_origin', equals: true, factor_bp: 15000 }],
          windows: [
            { from: 0, to: 36, share_bp: 6000, kinds: ['vuggestue', 'dagpleje'] },
            { from: 36, to: 72, share_bp: 3000, kinds: ['boernehave'] },
          ],
          unattributed: rule.unattributed,
        },
      ],
    }),
    201,
  );
}

// ---------------------------------------------------------------------------------------------
// The model: the inputs only.

interface Enrolment {
  child: number;
  inst: number;
  start: string;
  end: string | null;
}

interface Measurement {
  child: number;
  period: string;
  value: number;
  measuredOn: string;
  retracted: boolean;
}

interface Model {
  enrolments: Enrolment[];
  /** In acceptance order (a correction keeps its place). */
  measurements: Measurement[];
  deposited: number;
}

const overlaps = (a: Enrolment, b: Enrolment) =>
  a.child === b.child && a.inst === b.inst && a.start < (b.end ?? '9999-12-31') && b.start < (a.end ?? '9999-12-31');

const enrolmentBody = (r: Run, e: Enrolment) => ({ child: r.children[e.child], institution: r.inst[e.inst]!.code, start: e.start, end: e.end });
const measurementBody = (r: Run, m: Omit<Measurement, 'retracted'>) => ({
  child_id: r.children[m.child],
  kind: r.kind,
  period: m.period,
  value: m.value,
  measured_on: m.measuredOn,
});

/** Submits (or corrects) a measurement and checks the outcome the model predicts. */
async function submit(m: Model, r: Run, next: Omit<Measurement, 'retracted'>) {
  const prev = m.measurements.find((x) => x.child === next.child && x.period === next.period);
  const expected = !prev ? 'accepted' : !prev.retracted && prev.value === next.value && prev.measuredOn === next.measuredOn ? 'unchanged' : 'corrected';
  const entriesBefore = await journalCount(r.t.ctx.db);
  const res = await r.t.call('POST', '/v1/measurements', measurementBody(r, next));
  expect(res.status, JSON.stringify(res.body)).toBe(expected === 'accepted' ? 201 : 200);
  expect(res.body.outcome).toBe(expected);
  if (prev) Object.assign(prev, next, { retracted: false });
  else m.measurements.push({ ...next, retracted: false });
  await r.t.settled();
  if (expected === 'unchanged') expect(await journalCount(r.t.ctx.db)).toBe(entriesBefore);
}

/** Adds or moves an enrolment; one overlapping another at the same institution must be refused. */
async function putEnrolment(m: Model, r: Run, e: Enrolment, index: number | null) {
  const refused = m.enrolments.some((other, i) => i !== index && overlaps(other, e));
  const res =
    index === null
      ? await r.t.call('POST', '/v1/enrolments', enrolmentBody(r, e))
      : await r.t.call('PATCH', `/v1/enrolments/${r.enrolmentIds[index]}`, { start: e.start, end: e.end });
  expect(res.status, JSON.stringify(res.body)).toBe(refused ? 409 : index === null ? 201 : 200);
  if (!refused && index === null) {
    m.enrolments.push(e);
    r.enrolmentIds.push(res.body.id);
  } else if (!refused) {
    m.enrolments[index!] = e;
  }
  await r.t.settled();
}

async function payables(r: Run): Promise<Map<string, bigint>> {
  const rows = await r.t.ctx.db
    .selectFrom('ledger_accounts')
    .select(['institution_id', 'balance_ore'])
    .where('fund_id', '=', r.fundId)
    .where('type', '=', 'payable')
    .execute();
  return new Map(rows.map((a) => [a.institution_id!, a.balance_ore]));
}

// ---------------------------------------------------------------------------------------------
// Commands.

type Cmd = fc.AsyncCommand<Model, Run>;
const always = () => true;
const someMeasurement = (m: Readonly<Model>) => m.measurements.length > 0;

class Submit implements Cmd {
  constructor(
    readonly child: number,
    readonly period: string,
    readonly value: number,
    readonly day: number,
  ) {}
  check = always;
  run = (m: Model, r: Run) => submit(m, r, { child: this.child, period: this.period, value: this.value, measuredOn: addDays(BIRTHS[this.child]!, this.day) });
  toString = () => `submit(C${this.child} ${this.period} = ${this.value}, day ${this.day})`;
}

class Correct implements Cmd {
  constructor(
    readonly slot: number,
    readonly value: number,
    readonly day: number | null,
  ) {}
  check = someMeasurement;
  run = (m: Model, r: Run) => {
    const { child, period, measuredOn } = m.measurements[this.slot % m.measurements.length]!;
    return submit(m, r, { child, period, value: this.value, measuredOn: this.day === null ? measuredOn : addDays(BIRTHS[child]!, this.day) });
  };
  toString = () => `correct(#${this.slot} = ${this.value}, day ${this.day ?? 'same'})`;
}

class Retract implements Cmd {
  constructor(readonly slot: number) {}
  check = someMeasurement;
  async run(m: Model, r: Run) {
    const target = m.measurements[this.slot % m.measurements.length]!;
    const res = await r.t.call('POST', '/v1/measurements/retract', { child_id: r.children[target.child], kind: r.kind, period: target.period });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.outcome).toBe(target.retracted ? 'unchanged' : 'retracted');
    target.retracted = true;
    await r.t.settled();
  }
  toString = () => `retract(#${this.slot})`;
}

class Enrol implements Cmd {
  constructor(readonly e: Enrolment) {}
  check = always;
  run = (m: Model, r: Run) => putEnrolment(m, r, this.e, null);
  toString = () => `enrol(C${this.e.child} at ${INSTITUTIONS[this.e.inst]![0]} ${this.e.start}…${this.e.end ?? ''})`;
}

/** Moves an enrolment to another span (days after its child's birth); an overlap must be refused. */
class MoveEnrolment implements Cmd {
  constructor(
    readonly slot: number,
    readonly to: Span,
  ) {}
  check = (m: Readonly<Model>) => m.enrolments.length > 0;
  run = (m: Model, r: Run) => {
    const index = this.slot % m.enrolments.length;
    const e = m.enrolments[index]!;
    return putEnrolment(m, r, { ...e, ...span(e.child, this.to) }, index);
  };
  toString = () => `move-enrolment(#${this.slot} to day ${this.to.startDay} for ${this.to.length ?? 'ever'})`;
}

/**
 * A deposit of a fixed amount, or of a share (in bp) of what the waiting awards lack — which
 * lands between their needs often enough to test that they are funded strictly in order.
 */
class Deposit implements Cmd {
  constructor(readonly amount: { ore: number } | { shortfallBp: number }) {}
  check = always;
  async run(m: Model, r: Run) {
    let ore: number;
    if ('ore' in this.amount) ore = this.amount.ore;
    else {
      const { awaiting_shortfall_ore } = ok(await r.t.call('GET', `/v1/funds/${r.fundId}/balances`));
      ore = Math.max(1, Math.floor((awaiting_shortfall_ore * this.amount.shortfallBp) / 10000));
    }
    ok(await r.t.call('POST', `/v1/funds/${r.fundId}/deposits`, { amount_ore: ore, funder: 'property' }), 201);
    m.deposited += ore;
    await r.t.settled();
  }
  toString = () => ('ore' in this.amount ? `deposit(${this.amount.ore})` : `deposit(${this.amount.shortfallBp / 100}% of the shortfall)`);
}

class FinaliseEarly implements Cmd {
  check = always;
  async run(_m: Model, r: Run) {
    ok(await r.t.call('POST', '/v1/awards/finalise', { fund_id: r.fundId, reason: 'model step: finalise early' }));
    await r.t.settled();
  }
  toString = () => 'finalise-early';
}

class PaymentRun implements Cmd {
  constructor(readonly then: 'confirm' | 'cancel' | 'leave') {}
  check = always;
  async run(_m: Model, r: Run) {
    const owed = [...(await payables(r))].filter(([, balance]) => balance > 0n);
    const res = await r.t.call('POST', `/v1/funds/${r.fundId}/payment-runs`, { cutoff_on: today() });
    if (!owed.length) {
      expect(res.status, JSON.stringify(res.body)).toBe(409);
      return;
    }
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const paid = res.body.lines.map((l: { institution_id: string; amount_ore: number }) => [l.institution_id, l.amount_ore]);
    expect(new Map(paid)).toEqual(new Map(owed.map(([id, balance]) => [id, Number(balance)])));
    if (this.then !== 'leave') ok(await r.t.call('POST', `/v1/payment-runs/${res.body.id}/${this.then}`));
  }
  toString = () => `payment-run(then ${this.then})`;
}

const child = fc.integer({ min: 0, max: BIRTHS.length - 1 });
/** Earned from 50: mostly earned, so that there is money to move. */
const value = fc.oneof({ arbitrary: fc.integer({ min: 50, max: 100 }), weight: 3 }, { arbitrary: fc.integer({ min: 0, max: 49 }), weight: 1 });
const measuredDay = fc.integer({ min: 2 * 365, max: 2400 }); // days after birth; up to mid 2026
/** Days after birth; the rule's windows cover days 0–2190. */
const enrolmentSpan = fc.record({
  startDay: fc.integer({ min: 0, max: 2000 }),
  length: fc.option(fc.integer({ min: 30, max: 1500 }), { nil: null, freq: 3 }),
});
type Span = { startDay: number; length: number | null };
const span = (c: number, s: Span) => {
  const start = addDays(BIRTHS[c]!, s.startDay);
  return { start, end: s.length === null ? null : addDays(start, s.length) };
};

/** A typical start for every child: a vuggestue or dagpleje, then a børnehave (codes V, D, B1, B2). */
const initialEnrolments = fc
  .tuple(
    ...BIRTHS.map((_, c) =>
      fc
        .record({
          nursery: fc.constantFrom(0, 1),
          nurseryStart: fc.integer({ min: 0, max: 400 }),
          move: fc.integer({ min: 500, max: 1300 }),
          kindergarten: fc.constantFrom(2, 3),
          leave: fc.option(fc.integer({ min: 1500, max: 2600 }), { nil: null }),
        })
        .map((x): Enrolment[] => [
          { child: c, inst: x.nursery, ...span(c, { startDay: x.nurseryStart, length: x.move - x.nurseryStart }) },
          { child: c, inst: x.kindergarten, ...span(c, { startDay: x.move, length: x.leave === null ? null : x.leave - x.move }) },
        ]),
    ),
  )
  .map((perChild) => perChild.flat());

const submitCmd = fc.tuple(child, fc.constantFrom(...PERIODS), value, measuredDay).map(([c, p, v, d]) => new Submit(c, p, v, d));
const correctCmd = fc.tuple(fc.nat(), value, fc.option(measuredDay, { nil: null })).map(([s, v, d]) => new Correct(s, v, d));
const retractCmd = fc.nat().map((s) => new Retract(s));
const enrolCmd = fc
  .tuple(child, fc.integer({ min: 0, max: INSTITUTIONS.length - 1 }), enrolmentSpan)
  .map(([c, i, s]) => new Enrol({ child: c, inst: i, ...span(c, s) }));
const moveCmd = fc.tuple(fc.nat(), enrolmentSpan).map(([slot, s]) => new MoveEnrolment(slot, s));
const depositCmd = fc
  .oneof(
    fc.integer({ min: 1, max: 600_000 }).map((ore) => ({ ore })),
    fc.constant({ ore: 2_500_000 }),
    fc.integer({ min: 500, max: 10_000 }).map((shortfallBp) => ({ shortfallBp })),
  )
  .map((amount) => new Deposit(amount));
const finaliseCmd = fc.constant(new FinaliseEarly());
const paymentRunCmd = fc.constantFrom('confirm', 'cancel', 'leave').map((then) => new PaymentRun(then as 'confirm' | 'cancel' | 'leave'));

/** Runs a command, waits for settlement, and checks that it funded awards in acceptance order. */
class InOrder implements Cmd {
  constructor(readonly inner: Cmd) {}
  check = (m: Readonly<Model>) => this.inner.check(m);
  async run(m: Model, r: Run) {
    const before = await lastSeq(r.t.ctx.db);
    await this.inner.run(m, r);
    await r.t.settled();
    expect(await fundingOrderSinceViolations(r.t.ctx.db, r.fundId, before), String(this.inner)).toEqual([]);
  }
  toString = () => String(this.inner);
}

// Listed more than once = drawn more often: the money paths need awards, funds and finalisation.
const commands = fc.commands(
  [
    submitCmd,
    submitCmd,
    submitCmd,
    correctCmd,
    correctCmd,
    retractCmd,
    enrolCmd,
    moveCmd,
    depositCmd,
    finaliseCmd,
    finaliseCmd,
    finaliseCmd,
    paymentRunCmd,
    paymentRunCmd,
  ].map((arb) => arb.map((cmd: Cmd) => new InOrder(cmd))),
  { maxCommands: 24, size: '+1' },
);

// ---------------------------------------------------------------------------------------------
// Settling the final inputs from scratch, and comparing.

async function settleFromScratch(n: number, rule: RuleOptions, model: Model): Promise<Run> {
  const r = await setUpRun(scratch, n, rule);
  for (const e of model.enrolments) r.enrolmentIds.push(ok(await scratch.call('POST', '/v1/enrolments', enrolmentBody(r, e)), 201).id);
  ok(await scratch.call('POST', `/v1/funds/${r.fundId}/deposits`, { amount_ore: model.deposited, funder: 'property' }), 201);
  for (const m of model.measurements) ok(await scratch.call('POST', '/v1/measurements', measurementBody(r, m)), 201);
  await scratch.settled(); // so that a retracted measurement has an award to withdraw, as on the incremental side
  for (const m of model.measurements.filter((x) => x.retracted)) {
    ok(await scratch.call('POST', '/v1/measurements/retract', { child_id: r.children[m.child], kind: r.kind, period: m.period }));
  }
  await scratch.settled();
  await closeOut(r, null);
  return r;
}

/** Funds everything still waiting (optionally depositing first) and finalises early. */
async function closeOut(r: Run, depositing: number | null) {
  if (depositing) ok(await r.t.call('POST', `/v1/funds/${r.fundId}/deposits`, { amount_ore: depositing, funder: 'closing' }), 201);
  await r.t.settled();
  ok(await r.t.call('POST', '/v1/awards/finalise', { fund_id: r.fundId, reason: 'model step: finalise early' }));
  await r.t.settled();
}

interface AwardFigures {
  earned: boolean;
  amount: number;
  retained: number;
  payouts: Record<string, number>;
}

/** The figures, plus where the award's money stands. */
type AwardState = AwardFigures & { status: string; payable: Record<string, number> };

/** Awards by (child index, period). */
async function awardFigures(r: Run): Promise<Record<string, AwardState>> {
  const measurements = ok(await r.t.call('GET', `/v1/measurements?kind=${r.kind}&limit=1000`)).items;
  const identity = new Map<string, string>(
    measurements.map((m: { id: string; child_id: string; period: string }) => [m.id, `C${r.children.indexOf(m.child_id)} ${m.period}`]),
  );
  const awards = ok(await r.t.call('GET', `/v1/awards?fund_id=${r.fundId}&limit=1000`)).items;
  const out: Record<string, AwardState> = {};
  for (const a of awards) {
    const paying = a.payouts.filter((p: { amount_ore: number; payable_ore: number }) => p.amount_ore !== 0 || p.payable_ore !== 0);
    const key = identity.get(a.measurement_id)!;
    expect(out[key], `one award per (rule, measurement): ${key}`).toBeUndefined();
    out[key] = {
      earned: a.earned,
      amount: a.amount_ore,
      retained: a.retained_ore,
      status: a.status,
      payouts: Object.fromEntries(paying.map((p: { code: string; amount_ore: number }) => [p.code, p.amount_ore])),
      payable: Object.fromEntries(paying.map((p: { code: string; payable_ore: number }) => [p.code, p.payable_ore])),
    };
  }
  return out;
}

/** Only what depends on the inputs alone. */
const withoutMoneyState = (awards: Record<string, AwardState>): Record<string, AwardFigures> =>
  Object.fromEntries(Object.entries(awards).map(([k, { earned, amount, retained, payouts }]) => [k, { earned, amount, retained, payouts }]));

/** What must match once both sides have closed out. */
async function money(r: Run) {
  const fund = ok(await r.t.call('GET', `/v1/funds/${r.fundId}/balances`));
  const runsOfFund = ok(await r.t.call('GET', `/v1/payment-runs?fund_id=${r.fundId}&limit=1000`)).items;
  const paid = new Map<string, number>();
  for (const run of runsOfFund) {
    if (run.status === 'cancelled') continue;
    for (const l of run.lines) paid.set(l.code, (paid.get(l.code) ?? 0) + l.amount_ore);
  }
  const owedOrPaid: Record<string, number> = {};
  for (const { id, code } of r.inst) {
    const b = ok(await r.t.call('GET', `/v1/institutions/${id}/balances`));
    const payable = b.by_fund.find((f: { fund_id: string }) => f.fund_id === r.fundId)?.payable_ore ?? 0;
    owedOrPaid[code] = payable + (paid.get(code) ?? 0);
  }
  return {
    available: fund.available_ore,
    reserved: fund.reserved_ore,
    payableAndPaidOut: fund.payable_ore + fund.paid_out_ore,
    awaiting: fund.awaiting_awards,
    owedOrPaid,
  };
}

/** floor(n/d) ≤ amount ≤ ceil(n/d), for an exact amount written "n/d" (or "n"). */
function roundsExact(amount: number, fraction: string): boolean {
  const [n, d = '1'] = fraction.split('/');
  const [num, den, a] = [BigInt(n!), BigInt(d), BigInt(amount)];
  return a * den > num - den && a * den < num + den;
}

function expectAwardsAddUp(awards: Record<string, AwardFigures>) {
  for (const [key, a] of Object.entries(awards)) {
    const paid = Object.values(a.payouts).reduce((s, x) => s + x, 0);
    expect(paid + a.retained, `Σ payouts + retained of ${key}`).toBe(a.amount);
    expect(
      Object.values(a.payouts).every((x) => x > 0),
      `payouts of ${key}`,
    ).toBe(true);
  }
}

// ---------------------------------------------------------------------------------------------

describe('settlement through the API, against a model of its inputs', () => {
  it('keeps every invariant, and ends where settling the final inputs from scratch ends', async () => {
    // fast-check's time limit gives up on the run under way without waiting for it: the checks of
    // the whole ledgers below must wait until that run has stopped posting.
    let running: Promise<unknown> = Promise.resolve();
    await fc.assert(
      fc.asyncProperty(
        commands,
        fc.constantFrom<RuleOptions['unattributed']>('retain', 'redistribute'),
        fc.integer({ min: 1, max: 2_000_003 }),
        initialEnrolments,
        fc.constantFrom(0, 700_000, 5_000_000, 5_000_000),
        (cmds, unattributed, amount, initial, initialDeposit) => {
          const run = oneRun(cmds, unattributed, amount, initial, initialDeposit);
          running = run.catch(() => undefined);
          return run;
        },
      ),
      { numRuns: 25, interruptAfterTimeLimit: 90_000 },
    );
    await running;
    await incremental.settled();
    await expectLedgerInvariants(incremental.ctx.db);
    await expectLedgerInvariants(scratch.ctx.db);
  }, 150_000);

  async function oneRun(
    cmds: Iterable<Cmd>,
    unattributed: RuleOptions['unattributed'],
    amount: number,
    initial: ReadonlyArray<Enrolment>,
    initialDeposit: number,
  ): Promise<void> {
    const n = ++runs;
    const rule = { unattributed, amount };
    const model: Model = { enrolments: [], measurements: [], deposited: 0 };
    const real = await setUpRun(incremental, n, rule);
    for (const e of initial) await putEnrolment(model, real, e, null);
    if (initialDeposit) await new Deposit({ ore: initialDeposit }).run(model, real);
    await fc.asyncModelRun(() => ({ model, real }), cmds);
    await incremental.settled();
    await expectLedgerInvariants(incremental.ctx.db, { fundId: real.fundId });

    const expectedKeys = model.measurements
      .filter((m) => RULE_PERIODS.includes(m.period))
      .map((m) => `C${m.child} ${m.period}`)
      .sort();
    const before = await awardFigures(real);
    expect(Object.keys(before).sort()).toEqual(expectedKeys);
    expectAwardsAddUp(before);

    model.deposited += CLOSING_DEPOSIT;
    await closeOut(real, CLOSING_DEPOSIT);
    const reference = await settleFromScratch(n, rule, model);
    await expectLedgerInvariants(incremental.ctx.db, { fundId: real.fundId });
    await expectLedgerInvariants(scratch.ctx.db, { fundId: reference.fundId });

    const [mine, theirs] = [await awardFigures(real), await awardFigures(reference)];
    expect(withoutMoneyState(mine)).toEqual(withoutMoneyState(before));
    expect(mine).toEqual(theirs);
    for (const a of Object.values(mine)) {
      expect(['final', 'not_earned']).toContain(a.status);
      expect(a.payable).toEqual(a.payouts);
    }
    const [myMoney, theirMoney] = [await money(real), await money(reference)];
    expect(myMoney).toEqual(theirMoney);
    expect(myMoney).toMatchObject({ reserved: 0, awaiting: 0 });
  }

  it('splits any rule so that Σ payouts + retained = amount, each payout its exact share rounded down or up', async () => {
    const basis = fc.constantFrom('months', 'calendar_years', 'seasons');
    const windows = fc.array(
      fc.record({
        from: fc.integer({ min: 0, max: 7 }),
        length: fc.integer({ min: 1, max: 3 }),
        share_bp: fc.integer({ min: 0, max: 3333 }), // at most 3 windows: never over 10000 in all
        kinds: fc.subarray(['vuggestue', 'dagpleje', 'boernehave'], { minLength: 1 }),
      }),
      { minLength: 1, maxLength: 3 },
    );
    const enrolments = fc.array(
      fc.record({ child: fc.integer({ min: 0, max: 1 }), inst: fc.integer({ min: 0, max: INSTITUTIONS.length - 1 }), span: enrolmentSpan }),
      { maxLength: 6 },
    );
    await fc.assert(
      fc.asyncProperty(
        basis,
        windows,
        enrolments,
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.constantFrom('retain', 'redistribute'),
        fc.boolean(),
        fc.array(measuredDay, { minLength: 2, maxLength: 2 }),
        async (ageBasis, ws, es, amount, unattributed, closeB1, days) => {
          const t = incremental;
          const r = await setUpRun(t, ++runs, null);
          // Windows are drawn in years; the months basis counts them in months.
          const unit = ageBasis === 'months' ? 12 : 1;
          const version = {
            effective_from: '2015-01-01',
            predicate: { op: 'gte', value: 0 },
            amount: { fixed_ore: amount },
            age_basis: ageBasis,
            ...(ageBasis === 'seasons' ? { season_start: '08-01' } : {}),
            windows: ws.map((w) => ({ from: w.from * unit, to: (w.from + w.length) * unit, share_bp: w.share_bp, kinds: w.kinds })),
            unattributed,
          };
          const rule = ok(await t.call('POST', '/v1/rules', { fund_id: r.fundId, kind: r.kind, versions: [version] }), 201);
          ok(await t.call('POST', `/v1/funds/${r.fundId}/deposits`, { amount_ore: 50_000_000, funder: 'property' }), 201);
          // Closed before any child was born, so before every measurement: never paid itself.
          if (closeB1) ok(await t.call('POST', `/v1/institutions/${r.inst[2]!.id}/close`, { closed_on: '2017-01-01', successor: r.inst[3]!.code }));
          const kept: Enrolment[] = [];
          for (const e of es) {
            const candidate = { child: e.child, inst: e.inst, ...span(e.child, e.span) };
            if (kept.some((k) => overlaps(k, candidate))) continue;
            kept.push(candidate);
            ok(await t.call('POST', '/v1/enrolments', enrolmentBody(r, candidate)), 201);
          }
          for (const [c, day] of days.entries()) {
            ok(
              await t.call('POST', '/v1/measurements', measurementBody(r, { child: c, period: 'age-5', value: 50, measuredOn: addDays(BIRTHS[c]!, day) })),
              201,
            );
          }
          await t.settled();

          const awards = ok(await t.call('GET', `/v1/awards?rule_id=${rule.id}`)).items;
          expect(awards).toHaveLength(2);
          for (const a of awards) {
            const paid = a.payouts.reduce((s: number, p: { amount_ore: number }) => s + p.amount_ore, 0);
            expect(paid + a.retained_ore).toBe(a.amount_ore);
            expect(a.amount_ore).toBe(amount);
            if (closeB1) expect(a.payouts.map((p: { code: string }) => p.code)).not.toContain(r.inst[2]!.code);
            const { explanation } = ok(await t.call('GET', `/v1/awards/${a.id}`));
            const payees = explanation.payees as Array<{ code: string; amount_ore: number; exact_ore: { fraction: string } }>;
            expect(Object.fromEntries(payees.filter((p) => p.amount_ore > 0).map((p) => [p.code, p.amount_ore]))).toEqual(
              Object.fromEntries(a.payouts.map((p: { code: string; amount_ore: number }) => [p.code, p.amount_ore])),
            );
            for (const part of [...payees, { code: 'retained', ...explanation.retained }]) {
              expect(roundsExact(part.amount_ore, part.exact_ore.fraction), `${part.code}: ${part.amount_ore} for ${part.exact_ore.fraction}`).toBe(true);
            }
          }
          const fund = ok(await t.call('GET', `/v1/funds/${r.fundId}/balances`));
          expect(fund.reserved_ore).toBe(awards.reduce((s: number, a: { payout_total_ore: number }) => s + a.payout_total_ore, 0));
          await expectLedgerInvariants(t.ctx.db, { fundId: r.fundId });
        },
      ),
      { numRuns: 25, interruptAfterTimeLimit: 60_000 },
    );
    await expectLedgerInvariants(incremental.ctx.db);
  }, 90_000);
});
