/**
 * The forecast's summary per cohort (docs/FORECAST.md "Speed"; DECISIONS D182–D184). Pure.
 *
 * What the forecast needs of the pending children of a cohort — (unit, birth date, the attributes
 * the unit's multipliers read) — is the number of children, the days already attributed in each
 * window (Σ over children), and Σ over children of the square of each child's known share. The
 * last two depend on the day T they are seen on, but only through each child's enrolments: for a
 * child, the attributed days of a window up to T are a piecewise-linear function of T that
 * changes slope where a covered stretch starts or ends. So each child contributes
 *
 *   - a *final* value (T past every window) and
 *   - *events*: at a day d, the change of the function's linear piece there, stored negated, so
 *     that value(T) = final + Σ over events with d > T of (alpha + beta · τ), τ = T − birth day.
 *
 * The squares work the same way with (a, b, c): a child's known share on a linear piece is
 * α + β·τ, its square α² + 2αβ·τ + β²·τ². Sums over children of these are sums of the children's
 * terms, so adding a child is adding its terms and removing it subtracting them — exactly, for the
 * integer days; the squares are floats (they only feed the interval, D154).
 *
 * Days counted are the union of the child's enrolments at institutions of the window's kinds
 * (a day at two institutions counts once), up to the expected measurement; an open enrolment
 * runs on. The attribution profile counts, per sixth of each window, the covered days of every
 * child (pending or not) born on a date.
 */
import type { CohortFrame, WindowFrame } from './units.js';

/** What the summary counted for one child (table `forecast_children`). */
export interface ChildSnapshot {
  birthDate: string;
  /** Days since 1970-01-01. */
  birthDay: number;
  attributes: Record<string, unknown>;
  /** Enrolments: [start day, end day (exclusive) or null while open, institution kind]. */
  spans: Array<[number, number | null, string]>;
  /** `${ruleId}|${period}` of each of its awards. */
  decided: string[];
}

/** A unit as the summary keeps it: which awards decide it, how to date it, which attributes key its cohorts. */
export interface SummaryUnit {
  ruleId: string;
  /** '' for a composite rule's one award per child (any award of the rule decides it). */
  period: string;
  /** The attributes its versions' multipliers read, and restgruppe_origin; sorted. */
  keys: string[];
  frame: (birthDate: string) => CohortFrame;
}

/** The cohort key's attributes: for each key, [present, value]. */
export function attrsOf(keys: readonly string[], attributes: Record<string, unknown>): string {
  return JSON.stringify(keys.map((k) => (Object.hasOwn(attributes, k) ? [true, attributes[k]] : [false, null])));
}

export function attributesFrom(keys: readonly string[], attrs: string): Record<string, unknown> {
  const pairs = JSON.parse(attrs) as Array<[boolean, unknown]>;
  if (pairs.length !== keys.length) throw new Error('precondition: attrs of this unit');
  const out: Record<string, unknown> = {};
  keys.forEach((k, i) => {
    if (pairs[i]![0] === true) out[k] = pairs[i]![1];
  });
  return out;
}

export function isDecided(unit: Pick<SummaryUnit, 'ruleId' | 'period'>, decided: readonly string[]): boolean {
  if (unit.period !== '') return decided.includes(`${unit.ruleId}|${unit.period}`);
  const prefix = `${unit.ruleId}|`;
  return decided.some((d) => d.startsWith(prefix));
}

/** The covered stretches of the spans at these kinds within [from, to), merged and sorted. */
export function covered(spans: ChildSnapshot['spans'], kinds: readonly string[], from: number, to: number): Array<[number, number]> {
  const parts: Array<[number, number]> = [];
  for (const [s, e, kind] of spans) {
    if (!kinds.includes(kind)) continue;
    const a = Math.max(s, from);
    const b = Math.min(e ?? to, to);
    if (b > a) parts.push([a, b]);
  }
  parts.sort((x, y) => x[0] - y[0]);
  const out: Array<[number, number]> = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (last && p[0] <= last[1]) last[1] = Math.max(last[1], p[1]);
    else out.push([p[0], p[1]]);
  }
  return out;
}

const length = (parts: ReadonlyArray<[number, number]>) => parts.reduce((s, [a, b]) => s + b - a, 0);

export interface CohortKey {
  ruleId: string;
  period: string;
  birthDate: string;
  attrs: string;
}

/** Differences to the summary's tables, keyed as their rows are. */
export class SummaryDelta {
  readonly cohorts = new Map<string, CohortKey & { children: number; knownFinal: Map<number, bigint>; sqFinal: number }>();
  readonly known = new Map<string, CohortKey & { win: number; day: number; alpha: bigint; beta: bigint }>();
  readonly squares = new Map<string, CohortKey & { day: number; a: number; b: number; c: number }>();
  readonly profile = new Map<string, { ruleId: string; period: string; birthDate: string; win: number; seg: number; covered: bigint }>();
  readonly births = new Map<string, number>();

  cohort(key: CohortKey) {
    const k = `${key.ruleId}|${key.period}|${key.birthDate}|${key.attrs}`;
    let c = this.cohorts.get(k);
    if (!c) {
      c = { ...key, children: 0, knownFinal: new Map(), sqFinal: 0 };
      this.cohorts.set(k, c);
    }
    return c;
  }

  knownEvent(key: CohortKey, win: number, day: number, alpha: bigint, beta: bigint): void {
    const k = `${key.ruleId}|${key.period}|${key.birthDate}|${key.attrs}|${win}|${day}`;
    const e = this.known.get(k);
    if (e) {
      e.alpha += alpha;
      e.beta += beta;
    } else this.known.set(k, { ...key, win, day, alpha, beta });
  }

  squareEvent(key: CohortKey, day: number, a: number, b: number, c: number): void {
    const k = `${key.ruleId}|${key.period}|${key.birthDate}|${key.attrs}|${day}`;
    const e = this.squares.get(k);
    if (e) {
      e.a += a;
      e.b += b;
      e.c += c;
    } else this.squares.set(k, { ...key, day, a, b, c });
  }

  covered(ruleId: string, period: string, birthDate: string, win: number, seg: number, days: bigint): void {
    const k = `${ruleId}|${period}|${birthDate}|${win}|${seg}`;
    const p = this.profile.get(k);
    if (p) p.covered += days;
    else this.profile.set(k, { ruleId, period, birthDate, win, seg, covered: days });
  }
}

/** Adds (sign 1) or takes out (sign −1) one child's terms for one unit. */
export function addChild(delta: SummaryDelta, unit: SummaryUnit, child: ChildSnapshot, sign: 1 | -1): void {
  const frame = unit.frame(child.birthDate);
  frame.windows.forEach((w, win) => {
    if (w.length === 0) return;
    const open = covered(child.spans, w.kinds, w.start, w.end);
    w.segments.forEach((s, seg) => {
      if (s.end <= s.start) return;
      const days = length(open.map(([a, b]): [number, number] => [Math.max(a, s.start), Math.min(b, s.end)]).filter(([a, b]) => b > a));
      if (days > 0) delta.covered(unit.ruleId, unit.period, child.birthDate, win, seg, BigInt(sign * days));
    });
  });
  if (isDecided(unit, child.decided)) return;
  const key: CohortKey = { ruleId: unit.ruleId, period: unit.period, birthDate: child.birthDate, attrs: attrsOf(unit.keys, child.attributes) };
  const cohort = delta.cohort(key);
  cohort.children += sign;
  const parts = frame.windows.map((w) => (w.length === 0 || w.stop <= w.start ? [] : covered(child.spans, w.kinds, w.start, w.stop)));
  parts.forEach((stretches, win) => {
    const f = length(stretches);
    if (f > 0) cohort.knownFinal.set(win, (cohort.knownFinal.get(win) ?? 0n) + BigInt(sign * f));
    for (const [s, e] of stretches) {
      // From day s the known days grow by one a day (piece τ − σ), from day e they stay (ε − σ).
      delta.knownEvent(key, win, s, BigInt(sign * (s - child.birthDay)), BigInt(-sign));
      delta.knownEvent(key, win, e, BigInt(-sign * (e - child.birthDay)), BigInt(sign));
    }
  });
  addSquares(delta, key, frame.windows, parts, child.birthDay, sign);
}

/**
 * The child's known share k(τ) = Σ_w weight_w · days_w(τ) is linear between the days where any
 * window's stretch starts or ends; its square's terms (α², αβ, β²) change there.
 */
function addSquares(delta: SummaryDelta, key: CohortKey, windows: WindowFrame[], parts: Array<Array<[number, number]>>, birthDay: number, sign: 1 | -1): void {
  const weights = windows.map((w) => (w.length === 0 ? 0 : w.share_bp / (10000 * w.length)));
  // Per window its integer piece (days = alpha + beta·τ) after each day.
  const changes = new Map<number, Array<[number, number, number]>>();
  parts.forEach((stretches, win) => {
    for (const [s, e] of stretches) {
      const at = (d: number, da: number, db: number) => (changes.get(d) ?? changes.set(d, []).get(d)!).push([win, da, db]);
      at(s, -(s - birthDay), 1);
      at(e, e - birthDay, -1);
    }
  });
  if (!changes.size) return;
  const alpha = windows.map(() => 0);
  const beta = windows.map(() => 0);
  let prev: [number, number, number] = [0, 0, 0];
  for (const day of [...changes.keys()].sort((x, y) => x - y)) {
    for (const [win, da, db] of changes.get(day)!) {
      alpha[win]! += da;
      beta[win]! += db;
    }
    let ka = 0;
    let kb = 0;
    weights.forEach((wt, win) => {
      ka += wt * alpha[win]!;
      kb += wt * beta[win]!;
    });
    const next: [number, number, number] = [ka * ka, ka * kb, kb * kb];
    delta.squareEvent(key, day, -sign * (next[0] - prev[0]), -sign * (next[1] - prev[1]), -sign * (next[2] - prev[2]));
    prev = next;
  }
  if (beta.some((b) => b !== 0)) throw new Error('postcondition: every stretch ends');
  delta.cohort(key).sqFinal += sign * prev[0];
}

/** The known days of a cohort's window on day T: final + its events after T. */
export function knownAt(final: bigint, events: { alpha: bigint; beta: bigint }, tau: number): bigint {
  return final + events.alpha + events.beta * BigInt(tau);
}

export function squaresAt(final: number, events: { a: number; b: number; c: number }, tau: number): number {
  return Math.max(0, final + events.a + 2 * events.b * tau + events.c * tau * tau);
}
