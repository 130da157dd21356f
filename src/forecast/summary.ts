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
import { SEGMENTS, type CohortFrame, type WindowFrame } from './units.js';

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
  let parts: Array<[number, number]> | null = null;
  for (const [s, e, kind] of spans) {
    if (!kinds.includes(kind)) continue;
    const a = s > from ? s : from;
    const b = e === null || e > to ? to : e;
    if (b > a) (parts ??= []).push([a, b]);
  }
  if (parts === null) return NONE;
  if (parts.length === 1) return parts;
  parts.sort((x, y) => x[0] - y[0]);
  const out: Array<[number, number]> = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (last && p[0] <= last[1]) last[1] = Math.max(last[1], p[1]);
    else out.push(p);
  }
  return out;
}

const NONE: Array<[number, number]> = [];

/** Days of `stretches` within [from, to). */
function daysWithin(stretches: ReadonlyArray<[number, number]>, from: number, to: number): number {
  let days = 0;
  for (const [a, b] of stretches) {
    const x = a > from ? a : from;
    const y = b < to ? b : to;
    if (y > x) days += y - x;
  }
  return days;
}

export interface CohortKey {
  ruleId: string;
  period: string;
  birthDate: string;
  attrs: string;
}

/** Day numbers are offset into an event key: window · 2^21 + day + 2^20 (days between about 1000 and 3000 AD). */
const DAY_OFFSET = 2 ** 20;
const WIN_STRIDE = 2 ** 21;
export const eventKey = (win: number, day: number) => win * WIN_STRIDE + day + DAY_OFFSET;
export const eventOf = (key: number) => ({ win: Math.floor(key / WIN_STRIDE), day: (key % WIN_STRIDE) - DAY_OFFSET });

/**
 * One cohort's differences. Days are integers summed in doubles: exact while below 2^53 (a
 * million children × a century of days is below 2^36).
 */
export interface CohortDelta {
  key: CohortKey;
  children: number;
  /** Per window: Σ final known days. */
  knownFinal: number[];
  sqFinal: number;
  /** eventKey(window, day) → [alpha, beta]. */
  known: Map<number, [number, number]>;
  /** day → [a, b, c]. */
  squares: Map<number, [number, number, number]>;
}

export interface ProfileDelta {
  ruleId: string;
  period: string;
  birthDate: string;
  /** Covered days at index SEGMENTS · window + sixth. */
  covered: number[];
}

/** Differences to the summary's tables. */
export class SummaryDelta {
  readonly cohorts = new Map<string, CohortDelta>();
  readonly profile = new Map<string, ProfileDelta>();
  readonly births = new Map<string, number>();

  /** The delta in parts of about `rows` cohorts (with their events), profile rows and birth dates each. */
  split(rows: number): SummaryDelta[] {
    const size = Math.max(this.cohorts.size, this.profile.size, this.births.size);
    if (size <= rows) return [this];
    const parts = Math.ceil(size / rows);
    const out = Array.from({ length: parts }, () => new SummaryDelta());
    let i = 0;
    for (const [k, v] of this.cohorts) out[i++ % parts]!.cohorts.set(k, v);
    for (const [k, v] of this.profile) out[i++ % parts]!.profile.set(k, v);
    for (const [k, v] of this.births) out[i++ % parts]!.births.set(k, v);
    return out;
  }

  cohort(key: CohortKey): CohortDelta {
    const k = `${key.ruleId}|${key.period}|${key.birthDate}|${key.attrs}`;
    let c = this.cohorts.get(k);
    if (!c) {
      c = { key, children: 0, knownFinal: [], sqFinal: 0, known: new Map(), squares: new Map() };
      this.cohorts.set(k, c);
    }
    return c;
  }

  profileOf(ruleId: string, period: string, birthDate: string): ProfileDelta {
    const k = `${ruleId}|${period}|${birthDate}`;
    let p = this.profile.get(k);
    if (!p) {
      p = { ruleId, period, birthDate, covered: [] };
      this.profile.set(k, p);
    }
    return p;
  }
}

function addAt(list: number[], i: number, v: number): void {
  while (list.length <= i) list.push(0);
  list[i]! += v;
}

function knownEvent(c: CohortDelta, win: number, day: number, alpha: number, beta: number): void {
  const k = eventKey(win, day);
  const e = c.known.get(k);
  if (e) {
    e[0] += alpha;
    e[1] += beta;
  } else c.known.set(k, [alpha, beta]);
}

/** Adds (sign 1) or takes out (sign −1) one child's terms for one unit. */
export function addChild(delta: SummaryDelta, unit: SummaryUnit, child: ChildSnapshot, sign: 1 | -1): void {
  const frame = unit.frame(child.birthDate);
  if (!frame.windows.length) {
    if (!isDecided(unit, child.decided))
      delta.cohort({ ruleId: unit.ruleId, period: unit.period, birthDate: child.birthDate, attrs: attrsOf(unit.keys, child.attributes) }).children += sign;
    return;
  }
  const open = frame.windows.map((w) => (w.length === 0 ? NONE : covered(child.spans, w.kinds, w.start, w.end)));
  if (open.some((o) => o.length)) {
    const profile = delta.profileOf(unit.ruleId, unit.period, child.birthDate);
    frame.windows.forEach((w, win) => {
      if (!open[win]!.length) return;
      w.segments.forEach((s, seg) => {
        const days = s.end > s.start ? daysWithin(open[win]!, s.start, s.end) : 0;
        if (days > 0) addAt(profile.covered, SEGMENTS * win + seg, sign * days);
      });
    });
  }
  if (isDecided(unit, child.decided)) return;
  const cohort = delta.cohort({ ruleId: unit.ruleId, period: unit.period, birthDate: child.birthDate, attrs: attrsOf(unit.keys, child.attributes) });
  cohort.children += sign;
  const parts = frame.windows.map((w, win) => (w.stop <= w.start || !open[win]!.length ? NONE : covered(child.spans, w.kinds, w.start, w.stop)));
  parts.forEach((stretches, win) => {
    let f = 0;
    for (const [s, e] of stretches) {
      f += e - s;
      // From day s the known days grow by one a day (piece τ − σ), from day e they stay (ε − σ).
      knownEvent(cohort, win, s, sign * (s - child.birthDay), -sign);
      knownEvent(cohort, win, e, -sign * (e - child.birthDay), sign);
    }
    if (f > 0) addAt(cohort.knownFinal, win, sign * f);
  });
  addSquares(cohort, frame.windows, parts, child.birthDay, sign);
}

/**
 * The child's known share k(τ) = Σ_w weight_w · days_w(τ) is linear between the days where any
 * window's stretch starts or ends; its square's terms (α², αβ, β²) change there.
 */
function addSquares(cohort: CohortDelta, windows: WindowFrame[], parts: Array<Array<[number, number]>>, birthDay: number, sign: 1 | -1): void {
  // Per day, the changes of each window's integer piece (days = alpha + beta·τ).
  const changes: Array<[number, number, number, number]> = [];
  parts.forEach((stretches, win) => {
    for (const [s, e] of stretches) {
      changes.push([s, win, -(s - birthDay), 1]);
      changes.push([e, win, e - birthDay, -1]);
    }
  });
  if (!changes.length) return;
  changes.sort((x, y) => x[0] - y[0]);
  const weights = windows.map((w) => (w.length === 0 ? 0 : w.share_bp / (10000 * w.length)));
  const alpha = windows.map(() => 0);
  const beta = windows.map(() => 0);
  let prev: [number, number, number] = [0, 0, 0];
  for (let i = 0; i < changes.length;) {
    const day = changes[i]![0];
    for (; i < changes.length && changes[i]![0] === day; i++) {
      const [, win, da, db] = changes[i]!;
      alpha[win]! += da;
      beta[win]! += db;
    }
    let ka = 0;
    let kb = 0;
    for (let w = 0; w < weights.length; w++) {
      ka += weights[w]! * alpha[w]!;
      kb += weights[w]! * beta[w]!;
    }
    const next: [number, number, number] = [ka * ka, ka * kb, kb * kb];
    const e = cohort.squares.get(day);
    const d: [number, number, number] = [-sign * (next[0] - prev[0]), -sign * (next[1] - prev[1]), -sign * (next[2] - prev[2])];
    if (e) {
      e[0] += d[0];
      e[1] += d[1];
      e[2] += d[2];
    } else cohort.squares.set(day, d);
    prev = next;
  }
  if (beta.some((b) => b !== 0)) throw new Error('postcondition: every stretch ends');
  cohort.sqFinal += sign * prev[0];
}

/** The known days of a cohort's window on day T: final + its events after T (integers, exact below 2^53). */
export function knownAt(final: number, events: { alpha: number; beta: number }, tau: number): number {
  const days = final + events.alpha + events.beta * tau;
  if (!Number.isSafeInteger(days) || days < 0) throw new Error(`postcondition: known days a whole number ≥ 0 (${days})`);
  return days;
}

export function squaresAt(final: number, events: { a: number; b: number; c: number }, tau: number): number {
  return Math.max(0, final + events.a + 2 * events.b * tau + events.c * tau * tau);
}
