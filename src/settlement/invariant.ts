import { entrySum, type EntryDraft } from '../ledger/entries.js';

/**
 * Assertions of the settlement core (TigerBeetle style): a violated invariant is a programming
 * error, never a business outcome, so it throws — and, inside a settlement, aborts the whole
 * transaction before anything is written or posted.
 */
export class InvariantError extends Error {
  constructor(message: string) {
    super(`invariant violated: ${message}`);
    this.name = 'InvariantError';
  }
}

/** Throws an InvariantError unless `condition` holds. `message` may be lazy (built only on failure). */
export function invariant(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) throw new InvariantError(typeof message === 'function' ? message() : message);
}

/** Sum of bigints (øre). */
export function sumOre(values: Iterable<bigint>): bigint {
  let total = 0n;
  for (const v of values) total += v;
  return total;
}

/** Every entry has lines, no line moves nothing, and the lines sum to zero. */
export function assertEntriesBalance(entries: readonly EntryDraft[]): void {
  for (const e of entries) {
    invariant(e.lines.length >= 2, () => `${e.kind} entry has ${e.lines.length} line(s)`);
    invariant(
      e.lines.every((l) => l.amount !== 0n),
      () => `${e.kind} entry has a zero line`,
    );
    invariant(entrySum(e) === 0n, () => `${e.kind} entry sums to ${entrySum(e)}`);
  }
}
