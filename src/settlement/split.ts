/**
 * Splitting one award over windows, institutions and payees (SETTLEMENT.md §4–§5), exactly.
 *
 * Days are attributed by a sweep over enrolment boundaries rather than day by day: between
 * two consecutive boundaries the set of covering enrolments is constant, so a whole segment
 * of `length` days shared by `k` enrolments gives each `length/k` days at once.
 */
import { parseIsoDate, toDayNumber } from './dates.js';
import { add, mul, rational, sub, ZERO, type Rational } from './rational.js';
import { compareCodes } from './rounding.js';
import type { EnrolmentFacts, InstitutionFacts, IsoDate, RuleVersionSpec, WindowSpec } from './types.js';
import { parseSeasonStart, rangeLength, windowRange, type DayRange } from './windows.js';

/** An enrolment as day numbers, with its institution's kind resolved once per award. */
export interface EnrolmentSpan {
  readonly institutionId: string;
  readonly kind: string;
  readonly start: number;
  /** Exclusive; `Infinity` for an ongoing enrolment. */
  readonly end: number;
}

export interface DayAttribution {
  /** Days of the window before the cut-off (measured_on): the only ones that can be attributed. */
  readonly attributableDays: number;
  /** Days with at least one eligible enrolment (= Σ of the institutions' days). */
  readonly attributedDays: number;
  /** days(i, w) per institution id; only institutions with days > 0. */
  readonly daysByInstitution: ReadonlyMap<string, Rational>;
}

export interface InstitutionShare {
  readonly institutionId: string;
  readonly code: string;
  readonly days: Rational;
  readonly exactOre: Rational;
}

export interface WindowSplit {
  readonly spec: WindowSpec;
  readonly range: DayRange;
  /** |D_w|. */
  readonly days: number;
  readonly attributableDays: number;
  readonly attributedDays: number;
  /** Sorted by code (byte order). */
  readonly institutions: InstitutionShare[];
}

export interface PayeeResolution {
  /** The institution that is paid, or null when the share is retained (no open successor). */
  readonly payeeId: string | null;
  /** Institution ids followed, starting with the enrolled institution itself. */
  readonly path: readonly string[];
}

export interface Redirection {
  readonly institutionId: string;
  readonly code: string;
  /** Codes followed from the closed institution to where the share landed, both included. */
  readonly via: string[];
  readonly exactOre: Rational;
}

export interface PayeeShare {
  readonly institutionId: string;
  readonly code: string;
  readonly exactOre: Rational;
  /** Closed institutions whose shares this payee receives as (transitive) successor. */
  readonly redirectedFrom: Redirection[];
}

export interface AwardSplit {
  readonly windows: WindowSplit[];
  /** Sorted by code (byte order). */
  readonly payees: PayeeShare[];
  /** Shares of closed institutions with no open successor (retained by the fund). */
  readonly retainedFromClosed: Redirection[];
  /** Everything not given to a payee: A − Σ payees. */
  readonly retainedOre: Rational;
}

export interface SplitParams {
  readonly amountOre: bigint;
  readonly version: RuleVersionSpec;
  readonly birthDate: IsoDate;
  readonly measuredOn: IsoDate;
  readonly enrolments: readonly EnrolmentFacts[];
  readonly institutions: ReadonlyMap<string, InstitutionFacts>;
}

export function institutionOf(institutions: ReadonlyMap<string, InstitutionFacts>, id: string): InstitutionFacts {
  const institution = institutions.get(id);
  if (institution === undefined) throw new RangeError(`institution ${JSON.stringify(id)} is missing from the award input`);
  return institution;
}

export function toEnrolmentSpans(enrolments: readonly EnrolmentFacts[], institutions: ReadonlyMap<string, InstitutionFacts>): EnrolmentSpan[] {
  return enrolments.map((enrolment) => ({
    institutionId: enrolment.institution_id,
    kind: institutionOf(institutions, enrolment.institution_id).kind,
    start: toDayNumber(enrolment.start),
    end: enrolment.end === null ? Number.POSITIVE_INFINITY : toDayNumber(enrolment.end),
  }));
}

interface BoundaryEvent {
  readonly at: number;
  readonly opens: boolean;
  readonly institutionId: string;
}

/**
 * §5 steps 1–2 for one window: on each day d of `range` before `cutoff`, the enrolments at an
 * eligible kind that contain d share that day equally.
 */
export function attributeDays(range: DayRange, cutoff: number, kinds: readonly string[], spans: readonly EnrolmentSpan[]): DayAttribution {
  const attributableEnd = Math.min(range.end, Math.max(range.start, cutoff));
  const events: BoundaryEvent[] = [];
  for (const span of spans) {
    if (!kinds.includes(span.kind)) continue;
    const start = Math.max(span.start, range.start);
    const end = Math.min(span.end, attributableEnd);
    if (start < end) {
      events.push({ at: start, opens: true, institutionId: span.institutionId });
      events.push({ at: end, opens: false, institutionId: span.institutionId });
    }
  }
  events.sort((a, b) => a.at - b.at);

  // One entry per covering enrolment (an institution can appear twice only if its own
  // enrolments overlap, which the service rejects; it would then simply earn two shares).
  const covering: string[] = [];
  const daysByInstitution = new Map<string, Rational>();
  let attributedDays = 0;
  let index = 0;
  while (index < events.length) {
    const at = (events[index] as BoundaryEvent).at;
    // Apply every boundary at `at` before measuring the next segment, so the order of
    // events at the same point (one enrolment ending as another starts) does not matter.
    for (; index < events.length && (events[index] as BoundaryEvent).at === at; index++) {
      const event = events[index] as BoundaryEvent;
      if (event.opens) covering.push(event.institutionId);
      else removeOne(covering, event.institutionId);
    }
    const next = events[index];
    if (next === undefined || covering.length === 0) continue;
    const length = next.at - at;
    attributedDays += length;
    const each = rational(BigInt(length), BigInt(covering.length));
    for (const institutionId of covering) {
      daysByInstitution.set(institutionId, add(daysByInstitution.get(institutionId) ?? ZERO, each));
    }
  }
  return { attributableDays: Math.max(0, attributableEnd - range.start), attributedDays, daysByInstitution };
}

function removeOne(items: string[], item: string): void {
  const position = items.indexOf(item);
  // Swap-remove: the order of covering enrolments is irrelevant.
  items[position] = items[items.length - 1] as string;
  items.pop();
}

/**
 * §5 step 3 for one window: exact share = A × share_bp/10000 × days(i, w) / divisor, where the
 * divisor is |D_w| (`retain`) or Σ_j days(j, w) (`redistribute`). A window with no attributed
 * day gives nobody anything, so under either mode its whole share is retained.
 */
export function splitWindow(
  amountOre: bigint,
  spec: WindowSpec,
  range: DayRange,
  cutoff: number,
  spans: readonly EnrolmentSpan[],
  unattributed: RuleVersionSpec['unattributed'],
  institutions: ReadonlyMap<string, InstitutionFacts>,
): WindowSplit {
  const days = rangeLength(range);
  const attribution = attributeDays(range, cutoff, spec.kinds, spans);
  const divisor = unattributed === 'redistribute' ? attribution.attributedDays : days;
  const shares: InstitutionShare[] = [];
  if (divisor > 0) {
    const orePerDay = rational(amountOre * BigInt(spec.share_bp), 10000n * BigInt(divisor));
    for (const [institutionId, institutionDays] of attribution.daysByInstitution) {
      shares.push({
        institutionId,
        code: institutionOf(institutions, institutionId).code,
        days: institutionDays,
        exactOre: mul(institutionDays, orePerDay),
      });
    }
  }
  shares.sort((a, b) => compareCodes(a.code, b.code));
  return {
    spec,
    range,
    days,
    attributableDays: attribution.attributableDays,
    attributedDays: attribution.attributedDays,
    institutions: shares,
  };
}

function isClosedBy(institution: InstitutionFacts, measuredOn: IsoDate): boolean {
  // ISO dates compare chronologically as strings.
  return institution.closed_on !== null && institution.closed_on <= measuredOn;
}

/**
 * Who is paid an institution's share (§5, "Payee"): the institution itself unless it closed
 * on or before measured_on; then its successor, transitively. No successor, or a successor
 * chain that loops back on itself (no open institution in it), means the share is retained.
 */
export function resolvePayee(institutionId: string, institutions: ReadonlyMap<string, InstitutionFacts>, measuredOn: IsoDate): PayeeResolution {
  const path = [institutionId];
  let current = institutionOf(institutions, institutionId);
  while (isClosedBy(current, measuredOn)) {
    const successorId = current.successor_id;
    if (successorId === null || path.includes(successorId)) return { payeeId: null, path };
    path.push(successorId);
    current = institutionOf(institutions, successorId);
  }
  return { payeeId: current.id, path };
}

function requireSeasonStart(version: RuleVersionSpec): string {
  if (version.season_start == null) throw new RangeError('age_basis "seasons" requires season_start');
  return version.season_start;
}

/** The whole split of an award of `amountOre` (before rounding). */
export function splitAward(params: SplitParams): AwardSplit {
  const { amountOre, version, measuredOn, institutions } = params;
  const birth = parseIsoDate(params.birthDate);
  const season = version.age_basis === 'seasons' ? parseSeasonStart(requireSeasonStart(version)) : null;
  const cutoff = toDayNumber(measuredOn);
  const spans = toEnrolmentSpans(params.enrolments, institutions);

  const windows = version.windows.map((spec) =>
    splitWindow(amountOre, spec, windowRange(version.age_basis, birth, spec, season), cutoff, spans, version.unattributed, institutions),
  );

  // Sum per enrolled institution first, so each is resolved to a payee once.
  const exactByInstitution = new Map<string, Rational>();
  for (const window of windows) {
    for (const share of window.institutions) {
      exactByInstitution.set(share.institutionId, add(exactByInstitution.get(share.institutionId) ?? ZERO, share.exactOre));
    }
  }

  const payees = new Map<string, { exactOre: Rational; redirectedFrom: Redirection[] }>();
  const retainedFromClosed: Redirection[] = [];
  let paidOre: Rational = ZERO;
  for (const [institutionId, exactOre] of exactByInstitution) {
    const { payeeId, path } = resolvePayee(institutionId, institutions, measuredOn);
    const redirection: Redirection = {
      institutionId,
      code: institutionOf(institutions, institutionId).code,
      via: path.map((id) => institutionOf(institutions, id).code),
      exactOre,
    };
    if (payeeId === null) {
      retainedFromClosed.push(redirection);
      continue;
    }
    const payee = payees.get(payeeId) ?? { exactOre: ZERO, redirectedFrom: [] };
    payee.exactOre = add(payee.exactOre, exactOre);
    if (payeeId !== institutionId) payee.redirectedFrom.push(redirection);
    payees.set(payeeId, payee);
    paidOre = add(paidOre, exactOre);
  }

  const payeeShares: PayeeShare[] = [...payees].map(([institutionId, payee]) => ({
    institutionId,
    code: institutionOf(institutions, institutionId).code,
    exactOre: payee.exactOre,
    redirectedFrom: payee.redirectedFrom.sort((a, b) => compareCodes(a.code, b.code)),
  }));
  payeeShares.sort((a, b) => compareCodes(a.code, b.code));
  retainedFromClosed.sort((a, b) => compareCodes(a.code, b.code));

  return { windows, payees: payeeShares, retainedFromClosed, retainedOre: sub({ num: amountOre, den: 1n }, paidOre) };
}
