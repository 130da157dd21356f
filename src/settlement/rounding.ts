/**
 * Whole-øre rounding of one award (SETTLEMENT.md §5, "Rounding"): the largest-remainder
 * method over the payees and the retained part together.
 */
import { add, compare, floor, fractionalPart, type Rational } from './rational.js';

/**
 * Byte order of the UTF-8 encodings of two institution codes (§5's tie-break). Plain `<`
 * compares UTF-16 code units, which differs from byte order for characters above U+FFFF.
 */
export function compareCodes(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export interface RoundedPart {
  readonly exact: Rational;
  readonly floor: bigint;
  /** 0n or 1n: the øre added by the largest-remainder step. */
  readonly adjustment: bigint;
  readonly amount: bigint;
}

export interface RoundedAward {
  /** Aligned with the `payees` argument. */
  readonly payees: RoundedPart[];
  readonly retained: RoundedPart;
}

/**
 * Rounds exact shares to whole øre so that Σ payees + retained = total exactly.
 * Each part gets the floor of its exact amount; the øre still missing go one each to the
 * largest fractional parts; ties go to payees before the retained part, then to ascending
 * code in byte order. Since the fractional parts sum to the missing øre and each is < 1,
 * only parts with a non-zero fraction receive one: every amount is its exact share rounded
 * down or up.
 */
export function roundLargestRemainder(
  total: bigint,
  payees: ReadonlyArray<{ readonly code: string; readonly exact: Rational }>,
  retained: Rational,
): RoundedAward {
  const exactSum = payees.reduce((sum, payee) => add(sum, payee.exact), retained);
  if (compare(exactSum, { num: total, den: 1n }) !== 0) {
    throw new RangeError(`exact shares sum to ${exactSum.num}/${exactSum.den}, not the award amount ${total}`);
  }

  // The retained part takes part in the ranking as a code-less entry that loses every tie.
  const entries: RankedEntry[] = payees.map((payee) => rankedEntry(payee.code, payee.exact));
  const retainedEntry = rankedEntry(null, retained);
  entries.push(retainedEntry);

  let missing = entries.reduce((rest, entry) => rest - entry.floor, total);
  const byRank = [...entries].sort(compareRank);
  for (const entry of byRank) {
    if (missing === 0n) break;
    entry.adjustment = 1n;
    missing -= 1n;
  }

  return { payees: entries.slice(0, payees.length).map(toRoundedPart), retained: toRoundedPart(retainedEntry) };
}

interface RankedEntry {
  readonly code: string | null; // null = the retained part
  readonly exact: Rational;
  readonly floor: bigint;
  readonly remainder: Rational;
  adjustment: bigint;
}

function rankedEntry(code: string | null, exact: Rational): RankedEntry {
  return { code, exact, floor: floor(exact), remainder: fractionalPart(exact), adjustment: 0n };
}

/** Largest remainder first; ties: payees before the retained part, then code byte order. */
function compareRank(a: RankedEntry, b: RankedEntry): number {
  const byRemainder = compare(b.remainder, a.remainder);
  if (byRemainder !== 0) return byRemainder;
  if (a.code === null) return 1;
  if (b.code === null) return -1;
  return compareCodes(a.code, b.code);
}

function toRoundedPart(entry: RankedEntry): RoundedPart {
  return { exact: entry.exact, floor: entry.floor, adjustment: entry.adjustment, amount: entry.floor + entry.adjustment };
}
