import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addChild, eventOf, knownAt, squaresAt, SummaryDelta, type ChildSnapshot, type SummaryUnit } from '../../../src/forecast/summary.js';
import { SEGMENTS, type CohortFrame, type WindowFrame } from '../../../src/forecast/units.js';

/**
 * The summary's piecewise-linear bookkeeping (src/forecast/summary.ts) against the direct count:
 * for random children and any day T, final + Σ events after T must equal, per window, the days of
 * the union of each child's enrolments at the window's kinds in [start, min(stop, T)) — exactly —
 * and the sum of squares of the children's known shares (to 1e-9); the profile the covered days
 * per sixth; and taking every child out again must leave nothing.
 */
const BIRTH = 18_000; // a day number (2019-04-14)
const KINDS = ['a', 'b', 'c'];

function frameOf(windows: Array<{ from: number; to: number; share: number; kinds: string[] }>, m: number): CohortFrame {
  const ws = windows.map((w): WindowFrame => {
    const start = BIRTH + w.from;
    const end = BIRTH + w.to;
    const length = end - start;
    const segments = Array.from({ length: SEGMENTS }, (_, s) => ({
      start: start + Math.floor((length * s) / SEGMENTS),
      end: start + Math.floor((length * (s + 1)) / SEGMENTS),
    }));
    return { start, end, length, stop: Math.max(start, Math.min(end, m)), share_bp: w.share, kinds: w.kinds, segments };
  });
  return { measuredOn: '2022-04-14', m, payable: m + 30, payableOn: '2022-05-14', versionIdx: 0, windows: ws };
}

const windowArb = fc
  .record({
    from: fc.integer({ min: 0, max: 900 }),
    len: fc.integer({ min: 1, max: 400 }),
    share: fc.integer({ min: 1, max: 5000 }),
    kinds: fc.subarray(KINDS, { minLength: 1 }),
  })
  .map((w) => ({ from: w.from, to: w.from + w.len, share: w.share, kinds: w.kinds }));
const spanArb = fc
  .record({ s: fc.integer({ min: -50, max: 1400 }), len: fc.option(fc.integer({ min: 1, max: 500 }), { nil: null }), kind: fc.constantFrom(...KINDS) })
  .map((x): [number, number | null, string] => [BIRTH + x.s, x.len === null ? null : BIRTH + x.s + x.len, x.kind]);
const childArb = fc.record({ spans: fc.array(spanArb, { maxLength: 5 }), restgruppe: fc.boolean(), decided: fc.boolean() });

/** Direct: the union of the child's spans at these kinds within [from, to). */
function unionDays(spans: ChildSnapshot['spans'], kinds: string[], from: number, to: number): number {
  let days = 0;
  for (let d = from; d < to; d++) if (spans.some(([s, e, k]) => kinds.includes(k) && s <= d && (e === null || d < e))) days++;
  return days;
}

describe('the forecast summary’s bookkeeping', () => {
  it('equals the direct count on every day, and taking every child out leaves nothing', () => {
    fc.assert(
      fc.property(
        fc.array(windowArb, { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 100, max: 1500 }),
        fc.array(childArb, { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: -10, max: 1600 }), { minLength: 1, maxLength: 5 }),
        (windows, mOffset, children, days) => {
          const frame = frameOf(windows, BIRTH + mOffset);
          const unit: SummaryUnit = { ruleId: 'r', period: 'p', keys: ['restgruppe_origin'], frame: () => frame };
          const snapshots = children.map((c): ChildSnapshot => ({
            birthDate: '2019-04-14',
            birthDay: BIRTH,
            attributes: { restgruppe_origin: c.restgruppe },
            spans: c.spans,
            decided: c.decided ? ['r|p'] : [],
          }));
          const delta = new SummaryDelta();
          for (const s of snapshots) addChild(delta, unit, s, 1);
          for (const t of days.map((d) => BIRTH + d)) {
            for (const restgruppe of [true, false]) {
              const pending = snapshots.filter((s) => !s.decided.length && s.attributes['restgruppe_origin'] === restgruppe);
              const cohort = [...delta.cohorts.values()].find((c) => c.key.attrs === JSON.stringify([[true, restgruppe]]));
              expect(cohort?.children ?? 0).toBe(pending.length);
              if (!cohort) continue;
              let sq = 0;
              const perChild = pending.map(() => 0);
              frame.windows.forEach((w, win) => {
                const direct = pending.map((s) => unionDays(s.spans, w.kinds, w.start, Math.max(w.start, Math.min(w.stop, t))));
                direct.forEach((d, i) => (perChild[i]! += (w.share_bp * d) / (10000 * w.length)));
                const events = { alpha: 0, beta: 0 };
                for (const [k, [alpha, beta]] of cohort.known) {
                  const e = eventOf(k);
                  if (e.win === win && e.day > t) {
                    events.alpha += alpha;
                    events.beta += beta;
                  }
                }
                expect(knownAt(cohort.knownFinal[win] ?? 0, events, t - BIRTH)).toBe(direct.reduce((a, b) => a + b, 0));
              });
              for (const k of perChild) sq += k * k;
              const ev = { a: 0, b: 0, c: 0 };
              for (const [day, [a, b, c]] of cohort.squares) {
                if (day > t) {
                  ev.a += a;
                  ev.b += b;
                  ev.c += c;
                }
              }
              expect(Math.abs(squaresAt(cohort.sqFinal, ev, t - BIRTH) - sq)).toBeLessThanOrEqual(1e-9 * Math.max(1, sq));
            }
          }
          // The profile: covered days per sixth, over every child (pending or not).
          const profile = [...delta.profile.values()][0];
          frame.windows.forEach((w, win) =>
            w.segments.forEach((s, seg) => {
              const direct = snapshots.reduce((sum, c) => sum + unionDays(c.spans, w.kinds, s.start, s.end), 0);
              expect(profile?.covered[SEGMENTS * win + seg] ?? 0).toBe(direct);
            }),
          );
          for (const s of snapshots) addChild(delta, unit, s, -1);
          for (const c of delta.cohorts.values()) {
            expect(c.children).toBe(0);
            expect(c.knownFinal.every((v) => v === 0)).toBe(true);
            for (const [alpha, beta] of c.known.values()) expect([alpha, beta]).toEqual([0, 0]);
            for (const v of c.squares.values()) for (const x of v) expect(Math.abs(x)).toBeLessThan(1e-9);
          }
          for (const p of delta.profile.values()) expect(p.covered.every((v) => v === 0)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
