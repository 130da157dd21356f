/**
 * Rule predicates and rule-version selection (SETTLEMENT.md §3).
 */
import type { IsoDate, MeasurementValue, Predicate } from './types.js';

/**
 * Whether a measurement value meets a predicate.
 * - `eq` / `in`: strict equality (`===`), so `"1"` ≠ `1` and `true` ≠ `1`: an enum value, a
 *   number and a boolean are never confused.
 * - `gt`/`gte`/`lt`/`lte`/`between` (inclusive): only numbers can satisfy them; a string or
 *   boolean value simply does not meet the predicate.
 */
export function evaluatePredicate(predicate: Predicate, value: MeasurementValue): boolean {
  switch (predicate.op) {
    case 'eq':
      return value === predicate.value;
    case 'in':
      return predicate.values.some((candidate) => candidate === value);
    case 'gt':
      return typeof value === 'number' && value > predicate.value;
    case 'gte':
      return typeof value === 'number' && value >= predicate.value;
    case 'lt':
      return typeof value === 'number' && value < predicate.value;
    case 'lte':
      return typeof value === 'number' && value <= predicate.value;
    case 'between':
      return typeof value === 'number' && value >= predicate.min && value <= predicate.max;
    default:
      // Predicates come from stored JSON; an unknown operator is a data error, not "not earned".
      throw new RangeError(`unknown predicate operator: ${JSON.stringify((predicate as { op: unknown }).op)}`);
  }
}

/**
 * The version in force on `measuredOn`: the one with the latest `effective_from` ≤ measuredOn,
 * or null when none is in force yet. Of versions sharing an `effective_from`, the one listed
 * last (published last) wins.
 */
export function selectVersion<V extends { readonly effective_from: IsoDate }>(versions: readonly V[], measuredOn: IsoDate): V | null {
  let selected: V | null = null;
  for (const version of versions) {
    // ISO dates compare chronologically as strings (see dates.ts).
    if (version.effective_from <= measuredOn && (selected === null || version.effective_from >= selected.effective_from)) {
      selected = version;
    }
  }
  return selected;
}
