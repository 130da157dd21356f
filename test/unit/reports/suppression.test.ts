import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MIN_CELL, suppressSmallCells, type CellCount } from '../../../src/reports/suppression.js';

/**
 * What a reader of a published breakdown can work out: the total and every published cell are
 * known, each listed cell counts at least one child, and the cells add up to the total. For a
 * suppressed cell the feasible counts are 1 … (total − Σ published) − (suppressed − 1).
 */
function feasibleRange(cells: CellCount[], total: number, suppressed: Set<string>, _key: string): [number, number] {
  const published = cells.filter((c) => !suppressed.has(c.key)).reduce((s, c) => s + c.n, 0);
  const hiddenSum = total - published;
  return [1, hiddenSum - (suppressed.size - 1)];
}

const breakdown = fc
  .array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 12 })
  .map((ns) => ns.map((n, i) => ({ key: `g${String(i).padStart(2, '0')}`, n })));

describe('suppressSmallCells', () => {
  it('withholds every cell under 5 and never leaves a suppressed count recoverable from the total', () => {
    fc.assert(
      fc.property(breakdown, (cells) => {
        const total = cells.reduce((s, c) => s + c.n, 0);
        const r = suppressSmallCells(cells, total);
        const hidden = new Set(r.cells.keys());
        for (const c of cells) if (c.n < MIN_CELL) expect(hidden.has(c.key)).toBe(true);
        if (r.totalSuppressed) {
          // Nothing is published that a suppressed count could be derived from.
          expect(hidden.size).toBe(cells.length);
          return;
        }
        for (const key of hidden) {
          const [low, high] = feasibleRange(cells, total, hidden, key);
          expect(high, `cell ${key} of ${JSON.stringify(cells)} is pinned`).toBeGreaterThan(low);
          expect(cells.find((c) => c.key === key)!.n).toBeLessThanOrEqual(high);
        }
        // Together the suppressed cells are not themselves a small cell.
        const hiddenSum = cells.filter((c) => hidden.has(c.key)).reduce((s, c) => s + c.n, 0);
        if (hidden.size) expect(hiddenSum).toBeGreaterThanOrEqual(MIN_CELL);
      }),
      { numRuns: 2000 },
    );
  });

  it('suppresses nothing when every cell has 5 or more', () => {
    const r = suppressSmallCells(
      [
        { key: 'a', n: 5 },
        { key: 'b', n: 40 },
      ],
      45,
    );
    expect(r.cells.size).toBe(0);
    expect(r.totalSuppressed).toBe(false);
  });

  it('adds the smallest other cell as the secondary one', () => {
    const r = suppressSmallCells(
      [
        { key: 'a', n: 3 },
        { key: 'b', n: 40 },
        { key: 'c', n: 9 },
        { key: 'd', n: 9 },
      ],
      61,
    );
    expect(Object.fromEntries(r.cells)).toEqual({ a: 'primary', c: 'secondary' });
  });

  it('keeps adding while the suppressed cells together count under 5, or are all ones', () => {
    const r = suppressSmallCells(
      [
        { key: 'a', n: 1 },
        { key: 'b', n: 1 },
        { key: 'c', n: 1 },
        { key: 'd', n: 1 },
        { key: 'e', n: 1 },
        { key: 'f', n: 30 },
      ],
      35,
    );
    // a–e sum to 5 but are all ones (each pinned at 1): f must go too.
    expect(r.cells.get('f')).toBe('secondary');
    expect(r.totalSuppressed).toBe(false);
  });

  it('suppresses the total (and so everything) when it is under 5 or when no other cell is left', () => {
    expect(
      suppressSmallCells(
        [
          { key: 'a', n: 2 },
          { key: 'b', n: 2 },
        ],
        4,
      ).totalSuppressed,
    ).toBe(true);
    const single = suppressSmallCells(
      [
        { key: 'a', n: 1 },
        { key: 'b', n: 1 },
        { key: 'c', n: 3 },
      ],
      5,
    );
    expect(single.cells.size).toBe(3);
  });
});
