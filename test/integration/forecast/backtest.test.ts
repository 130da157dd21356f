import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/app.js';
import { ok } from '../registry/helpers.js';

/**
 * Backtest of the liability forecast, as a forecaster is tested: a synthetic population with
 * known outcome rates. On the forecast date the outcomes of the earlier cohorts are known (their
 * language assessments at about 3 are settled); those of the later cohorts are hidden. We
 * forecast, then submit and settle the hidden outcomes, and compare what the fund actually owes
 * for them (the payouts of their awards) with the forecast.
 *
 * Population (seed SEED, drawn once — not searched for a passing seed): N children born
 * 2013–2018, 30 % of restgruppe origin; true earn rates 0.35 (restgruppe) and 0.65 (others) —
 * the forecast does not know them, it estimates them from the ~55 % of outcomes already decided.
 * Most children attend a vuggestue from 6–14 months until 30–42 months of age (the later days of
 * the window are covered more often than the early ones, which the forecast must learn from the
 * cohorts that have passed the window), one in seven never does.
 *
 * Why it can fail: a biased method puts the realised total outside the interval (about ±6 % here):
 * leaving out the multiplier moves the expectation by about 9 %, counting the days ahead as lost
 * by far more, and so does counting them as always attributed or at the rate of a window's early
 * days. Pooling the two groups' rates (about +5 %) would not be caught on its own — the test does
 * not claim to detect that. Even a right method misses with a 90 % interval for one population in
 * ten, so this seed's pass is evidence, not proof; the stated error (10 %) is about 3 standard
 * deviations of the total. Seen on first run: expected 372,481,996 øre [349,111,718; 395,852,274],
 * realised 366,320,212 (−1.7 %); 579.0 earned awards expected, 581 realised.
 */
const SEED = 20261205;
const N = 2400;
const RATE = { restgruppe: 0.35, other: 0.65 };
const FORECAST_ON = '2019-07-01';
let now = new Date('2026-01-01T12:00:00Z');
let t: TestApp;
let fundId: string;
let ruleId: string;

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
const DAY = 86_400_000;
const addDays = (iso: string, n: number) => new Date(Date.parse(iso) + n * DAY).toISOString().slice(0, 10);
const addMonths = (iso: string, n: number) => {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + n;
  const last = new Date(Date.UTC(Math.floor(total / 12), (total % 12) + 1, 0)).getUTCDate();
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
};

interface Person {
  ref: string;
  birth: string;
  restgruppe: boolean;
  enrolment: { start: string; end: string } | null;
  measuredOn: string;
  earned: boolean;
}

function population(): Person[] {
  const rnd = mulberry32(SEED);
  const people: Person[] = [];
  for (let i = 0; i < N; i++) {
    const birth = addDays('2013-01-01', Math.floor(rnd() * 2191));
    const restgruppe = rnd() < 0.3;
    const enrolled = rnd() < 6 / 7;
    const enrolment = enrolled ? { start: addMonths(birth, 6 + Math.floor(rnd() * 9)), end: addMonths(birth, 30 + Math.floor(rnd() * 13)) } : null;
    const measuredOn = addDays(addMonths(birth, 36), Math.floor(rnd() * 90));
    people.push({ ref: `bt-${i}`, birth, restgruppe, enrolment, measuredOn, earned: rnd() < RATE[restgruppe ? 'restgruppe' : 'other'] });
  }
  return people;
}

const people = population();
const known = people.filter((p) => p.measuredOn < FORECAST_ON);
const hidden = people.filter((p) => p.measuredOn >= FORECAST_ON);
const results = (r: any): any[] => (Array.isArray(r) ? r : (r.results ?? r.items ?? []));
const rejected = (body: any) => results(body).filter((x: any) => x.outcome === 'rejected');
const measurement = (p: Person) => ({
  child_ref: p.ref,
  kind: 'sprogvurdering',
  period: 'age-3',
  value: p.earned ? 'generel' : 'fokuseret',
  measured_on: p.measuredOn,
});

beforeAll(async () => {
  t = await createTestApp({ clock: () => now });
  const fund = ok(await t.call('POST', '/v1/funds', { name: 'Backtest' }), 201);
  fundId = fund.id;
  ok(await t.call('POST', `/v1/funds/${fundId}/deposits`, { amount_ore: 10_000_000_000, funder: 'LBF' }), 201);
  ok(await t.call('POST', '/v1/institutions', { code: 'BT-V', kind: 'vuggestue', name: 'Vuggestue' }), 201);
  ruleId = ok(
    await t.call('POST', '/v1/rules', {
      fund_id: fundId,
      name: 'Language at 3',
      kind: 'sprogvurdering',
      periods: ['age-3'],
      versions: [
        {
          effective_from: '2010-01-01',
          predicate: { op: 'eq', value: 'generel' },
          amount: { fixed_ore: 1_000_000 },
          multipliers: [{ attribute: 'restgruppe_origin', equals: true, factor_bp: 15000 }],
          windows: [{ from: 0, to: 36, share_bp: 10000, kinds: ['vuggestue'] }],
          review_days: 30,
        },
      ],
    }),
    201,
  ).id;
  expect(
    rejected(
      ok(
        await t.call(
          'POST',
          '/v1/children/batch',
          people.map((p) => ({ external_ref: p.ref, birth_date: p.birth, attributes: { restgruppe_origin: p.restgruppe } })),
        ),
      ),
    ),
  ).toEqual([]);
  const enrolments = people
    .filter((p) => p.enrolment)
    .map((p) => ({ child_ref: p.ref, institution: 'BT-V', start: p.enrolment!.start, end: p.enrolment!.end }));
  expect(rejected(ok(await t.call('POST', '/v1/enrolments/batch', enrolments)))).toEqual([]);
  expect(rejected(ok(await t.call('POST', '/v1/measurements/batch', known.map(measurement))))).toEqual([]);
  await t.settled();
}, 300_000);
afterAll(async () => t?.close());

async function payoutsOf(refs: string[]): Promise<{ ore: number; earned: number }> {
  const { rows } = await sql<{ ore: string; earned: string }>`
    SELECT coalesce(sum(a.payout_total_ore), 0)::text AS ore, count(*) FILTER (WHERE a.earned)::text AS earned
    FROM awards a JOIN children c ON c.id = a.child_id
    WHERE a.rule_id = ${ruleId}::uuid AND c.external_ref = ANY(${refs}::text[])`.execute(t.ctx.db);
  return { ore: Number(rows[0]!.ore), earned: Number(rows[0]!.earned) };
}

describe('backtest: forecast the hidden cohorts, then settle them', () => {
  it('the realised payouts fall inside the 90 % interval and within 10 % of the expected', async () => {
    expect(known.length).toBeGreaterThan(N * 0.4);
    expect(hidden.length).toBeGreaterThan(N * 0.3);
    now = new Date(`${FORECAST_ON}T12:00:00Z`);
    const f = ok(await t.call('GET', `/v1/funds/${fundId}/forecast?horizon=10`));
    expect(f.total.pending_outcomes).toBe(hidden.length);
    expect(f.beyond_horizon_ore).toBe(0);

    now = new Date('2026-01-01T12:00:00Z');
    expect(rejected(ok(await t.call('POST', '/v1/measurements/batch', hidden.map(measurement))))).toEqual([]);
    await t.settled();
    const realised = await payoutsOf(hidden.map((p) => p.ref));

    const summary = `expected ${f.total.expected_ore} [${f.total.lower_ore}, ${f.total.upper_ore}], realised ${realised.ore}; awards ${f.total.expected_awards} vs ${realised.earned}`;
    expect(realised.ore, summary).toBeGreaterThanOrEqual(f.total.lower_ore);
    expect(realised.ore, summary).toBeLessThanOrEqual(f.total.upper_ore);
    expect(Math.abs(f.total.expected_ore - realised.ore) / realised.ore, summary).toBeLessThan(0.1);
    expect(Math.abs(f.total.expected_awards - realised.earned) / realised.earned, summary).toBeLessThan(0.1);
    console.log(`backtest (seed ${SEED}, ${known.length} known, ${hidden.length} hidden): ${summary}`);
  });
});
