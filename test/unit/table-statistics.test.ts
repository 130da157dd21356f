import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { staleTables } from '../../src/services/table-statistics.js';

const server = { minRows: 10_000, fraction: 0.1, countUpdates: false };
const embedded = { ...server, countUpdates: true };

describe('staleTables (when the planner-statistics keeper analyses a table, D208, D217)', () => {
  it('a never-analysed table (estimate -1) is stale once it holds minRows rows', () => {
    expect(staleTables([{ table: 'awards', estimate: -1, live: 9_999, modified: 9_999 }], server)).toEqual([]);
    expect(staleTables([{ table: 'awards', estimate: -1, live: 10_000, modified: 10_000 }], server)).toEqual(['awards']);
  });

  it('a large table must grow or shrink by a tenth of its estimate, not just minRows', () => {
    expect(staleTables([{ table: 'children', estimate: 1_000_000, live: 1_099_999, modified: 99_999 }], server)).toEqual([]);
    expect(staleTables([{ table: 'children', estimate: 1_000_000, live: 1_100_000, modified: 100_000 }], server)).toEqual(['children']);
    expect(staleTables([{ table: 'children', estimate: 1_000_000, live: 900_000, modified: 100_000 }], server)).toEqual(['children']);
  });

  it('on a server, rows updated in place are autovacuum’s business; on the embedded PGlite they count', () => {
    // Settlement marks every measurement settled: the table's size does not move.
    const updated = [{ table: 'measurements', estimate: 100_000, live: 100_000, modified: 100_000 }];
    expect(staleTables(updated, server)).toEqual([]);
    expect(staleTables(updated, embedded)).toEqual(['measurements']);
  });

  it('orders the stale tables by change, largest first', () => {
    const activity = [
      { table: 'children', estimate: 0, live: 20_000, modified: 20_000 },
      { table: 'kinds', estimate: 10, live: 10, modified: 3 },
      { table: 'measurements', estimate: 0, live: 80_000, modified: 80_000 },
    ];
    expect(staleTables(activity, server)).toEqual(['measurements', 'children']);
  });

  it('refuses a policy that would analyse every table on every pass', () => {
    expect(() => staleTables([], { ...server, minRows: 0 })).toThrow(/minRows/);
    expect(() => staleTables([], { ...server, fraction: 0 })).toThrow(/fraction/);
  });

  it('property: a table is chosen exactly when its change reaches max(minRows, fraction × estimate)', () => {
    const table = fc.record({
      estimate: fc.integer({ min: -1, max: 10_000_000 }),
      live: fc.integer({ min: 0, max: 10_000_000 }),
      modified: fc.integer({ min: 0, max: 10_000_000 }),
    });
    fc.assert(
      fc.property(fc.array(table, { maxLength: 20 }), fc.integer({ min: 1, max: 100_000 }), fc.boolean(), (rows, minRows, countUpdates) => {
        const activity = rows.map((r, i) => ({ table: `t${i}`, ...r }));
        const chosen = new Set(staleTables(activity, { minRows, fraction: 0.1, countUpdates }));
        for (const t of activity) {
          const estimate = Math.max(t.estimate, 0);
          const drift = Math.abs(t.live - estimate);
          const change = countUpdates ? Math.max(drift, t.modified) : drift;
          expect(chosen.has(t.table)).toBe(change >= minRows && change >= 0.1 * estimate);
        }
      }),
    );
  });
});
