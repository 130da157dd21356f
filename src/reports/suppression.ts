/**
 * Small-cell protection of a published breakdown, as Danmarks Statistik does it for counts of
 * persons (docs/REPORTS.md has the worked reasoning):
 *
 * 1. **Primary suppression.** A cell counting fewer than `minCell` (5) children is not published.
 * 2. **The total.** A total under `minCell` is suppressed too, and with it every cell.
 * 3. **Secondary suppression.** The total is published, so one suppressed cell alone could be
 *    worked out as total − Σ published cells. While the suppressed cells are fewer than two, or
 *    together count fewer than `minCell` children (their union would itself be a small cell), or
 *    are all 1s (each ≥ 1, so a sum equal to their number pins every one), the smallest published
 *    cell (ties: the first in key order) is suppressed as well.
 * 4. If every cell is suppressed and that is still not enough, the total is suppressed.
 *
 * Every number of a suppressed cell (children, earned, amounts, rates) is withheld, so the same
 * argument protects them all. Cells with no children are not listed at all, so a reader knows
 * only that each listed cell counts at least one child: a suppressed cell's count can then be
 * anything from 1 to Σ suppressed − (number suppressed − 1), which is at least two values.
 */

export const MIN_CELL = 5;

export interface CellCount {
  key: string;
  /** Children in the cell (≥ 1). */
  n: number;
}

export type Suppression = 'primary' | 'secondary';

export interface SuppressionResult {
  /** Why each suppressed cell is withheld; cells not in the map are published. */
  cells: Map<string, Suppression>;
  totalSuppressed: boolean;
}

export function suppressSmallCells(cells: readonly CellCount[], total: number, minCell: number = MIN_CELL): SuppressionResult {
  if (!(Number.isInteger(minCell) && minCell > 1)) throw new RangeError('minCell must be an integer > 1');
  const keys = new Set<string>();
  for (const c of cells) {
    if (!Number.isSafeInteger(c.n) || c.n < 1) throw new RangeError(`cell ${c.key}: a listed cell counts at least one child`);
    if (keys.has(c.key)) throw new RangeError(`cell ${c.key} listed twice`);
    keys.add(c.key);
  }
  const result: SuppressionResult = { cells: new Map(), totalSuppressed: false };
  if (total < minCell) {
    for (const c of cells) result.cells.set(c.key, 'primary');
    result.totalSuppressed = total > 0;
    return result;
  }
  const suppressed: CellCount[] = [];
  for (const c of cells) {
    if (c.n < minCell) {
      result.cells.set(c.key, 'primary');
      suppressed.push(c);
    }
  }
  // Candidates for secondary suppression: smallest first, then key order (deterministic).
  const candidates = cells.filter((c) => !result.cells.has(c.key)).sort((a, b) => a.n - b.n || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const enough = () => !(suppressed.length === 1 || sumOf(suppressed) < minCell || sumOf(suppressed) <= suppressed.length);
  while (suppressed.length > 0 && !enough() && candidates.length > 0) {
    const next = candidates.shift()!;
    result.cells.set(next.key, 'secondary');
    suppressed.push(next);
  }
  if (suppressed.length > 0 && !enough()) result.totalSuppressed = true;
  if (!result.totalSuppressed && suppressed.length > 0 && !enough()) throw new Error('suppressSmallCells: postcondition failed');
  return result;
}

function sumOf(cells: CellCount[]): number {
  return cells.reduce((s, c) => s + c.n, 0);
}
