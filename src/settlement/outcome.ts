/**
 * The outcome of (re)computing one award, before any money moves: what `computeAward` said for
 * the version in force, or a zero outcome (a retraction, or no version in force any more), and
 * the result hash that decides whether anything changed (SETTLEMENT.md §6: settling the same
 * inputs twice changes nothing).
 *
 * An outcome does not know which measurement(s) it came from: a composite rule (§11) will build
 * its outcome from several, and the money planner (`planner.ts`) takes it as data either way.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../domain/canonical-json.js';
import { invariant, sumOre } from './invariant.js';
import type { AwardResult, IsoDate } from './types.js';

export interface Outcome {
  /** The rule version applied; null for a zero outcome. */
  versionId: string | null;
  /** `review_days` of the version applied (0 for a zero outcome). */
  reviewDays: number;
  earned: boolean;
  amount: bigint;
  retained: bigint;
  /** Non-zero payouts by institution id. */
  payouts: ReadonlyMap<string, bigint>;
  /** Institutions that contributed days (kept as zero rows so they can see and object). */
  involved: readonly string[];
  /** JSON-serialisable: everything an auditor needs to redo the award (§5). */
  explanation: unknown;
}

export type ZeroReason = 'retracted' | 'no_version_in_force';

/** The award of a retracted measurement, or of one no rule version is in force for any more. */
export function zeroOutcome(reason: ZeroReason, measurement: { period: string; measured_on: IsoDate; status: string }): Outcome {
  return {
    versionId: null,
    reviewDays: 0,
    earned: false,
    amount: 0n,
    retained: 0n,
    payouts: new Map(),
    involved: [],
    explanation: {
      earned: false,
      reason,
      measurement: { period: measurement.period, measured_on: measurement.measured_on, status: measurement.status },
    },
  };
}

/** The outcome of `computeAward` for a rule version, with the rule and version named in its explanation. */
export function computedOutcome(rule: { id: string }, version: { id: string; version: number; spec: { review_days: number } }, result: AwardResult): Outcome {
  const involved = new Set<string>();
  for (const w of result.explanation.windows) for (const i of w.institutions) involved.add(i.institution_id);
  const outcome: Outcome = {
    versionId: version.id,
    reviewDays: version.spec.review_days,
    earned: result.earned,
    amount: result.amount_ore,
    retained: result.retained_ore,
    payouts: new Map(result.payouts.map((p) => [p.institution_id, p.amount_ore])),
    involved: [...involved],
    explanation: { rule_id: rule.id, rule_version_id: version.id, version: version.version, ...result.explanation },
  };
  assertOutcome(outcome);
  return outcome;
}

/** Σ payouts. */
export function payoutTotal(o: Pick<Outcome, 'payouts'>): bigint {
  return sumOre(o.payouts.values());
}

/**
 * An outcome's money is whole: no negative amount, payouts + retained = amount, and nothing
 * is paid out of an award that is not earned.
 */
export function assertOutcome(o: Outcome): void {
  invariant(o.amount >= 0n, () => `award amount ${o.amount} is negative`);
  invariant(o.retained >= 0n, () => `retained ${o.retained} is negative`);
  for (const [id, amount] of o.payouts) invariant(amount > 0n, () => `payout ${amount} to ${id} is not positive`);
  const paid = payoutTotal(o);
  invariant(paid + o.retained === o.amount, () => `payouts ${paid} + retained ${o.retained} ≠ amount ${o.amount}`);
  invariant(o.earned || o.amount === 0n, () => `an award not earned has amount ${o.amount}`);
  invariant(Number.isInteger(o.reviewDays) && o.reviewDays >= 0, () => `review_days ${o.reviewDays} is not a whole number ≥ 0`);
}

/** What a computed outcome is stored as and committed to, built once per computed award. */
export interface OutcomeDigest {
  /** `RESULT_HASH_PREFIX` + SHA-256 of the compact result (see `digestOutcome`). */
  resultHash: string;
  /** The explanation's RFC 8785 text: stored as is (awards.explanation), hashed below. */
  explanationText: string;
  /** SHA-256 (lowercase hex) of `explanationText`: what the award's ledger entries commit to (docs/LEDGER.md). */
  explanationSha256: string;
}

/** Marks a result hash of the compact form; a stored hash without it has the full form (`legacyResultHash`). */
export const RESULT_HASH_PREFIX = 'r2:';

const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The result hash and the explanation's text and digest, with ONE RFC 8785 serialisation of the
 * explanation (DECISIONS 167): the result hash covers the compact result — version, earned,
 * amount, retained, payouts (sorted by institution id) — and the explanation by its SHA-256, so
 * it changes exactly when the full form did, and the same text is what is stored and what the
 * ledger commits to. An equal hash means nothing is written or posted.
 */
export function digestOutcome(o: Outcome): OutcomeDigest {
  const explanationText = canonicalJson(o.explanation);
  const explanationSha256 = sha256Hex(explanationText);
  const compact = canonicalJson({
    version: o.versionId,
    earned: o.earned,
    amount: o.amount.toString(),
    retained: o.retained.toString(),
    payouts: [...o.payouts].sort().map(([id, a]) => [id, a.toString()]),
    explanation_sha256: explanationSha256,
  });
  return { resultHash: RESULT_HASH_PREFIX + sha256Hex(compact), explanationText, explanationSha256 };
}

/** `digestOutcome(o).resultHash`. */
export function hashOutcome(o: Outcome): string {
  return digestOutcome(o).resultHash;
}

/**
 * The result hash as stored before DECISIONS 167: SHA-256 of the canonical JSON of the compact
 * result with the full explanation inside. Only to compare with awards last computed then.
 */
export function legacyResultHash(o: Outcome): string {
  return sha256Hex(
    canonicalJson({
      version: o.versionId,
      earned: o.earned,
      amount: o.amount.toString(),
      retained: o.retained.toString(),
      payouts: [...o.payouts].sort().map(([id, a]) => [id, a.toString()]),
      explanation: o.explanation,
    }),
  );
}

/**
 * Whether a stored result hash names this outcome. A hash of the compact form compares with the
 * digest; an older one is compared under its own rule, so an award unchanged across the upgrade
 * stays unchanged (no new revision) and gets the compact form with its next real change.
 */
export function sameResult(stored: string, o: Outcome, d: OutcomeDigest): boolean {
  return stored.startsWith(RESULT_HASH_PREFIX) ? stored === d.resultHash : stored === legacyResultHash(o);
}
