import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { staleTables } from '../../src/services/table-statistics.js';

const policy = { minRows: 10_000, fraction: 0.1 };

describe('staleTables (when the planner-statistics keeper analyses a table, D208)', () => {
  it('a never-analysed table (estimate -1) is stale once minRows rows changed', () => {
    expect(staleTables([{ table: 'awards', estimate: -1, modified: 9_999 }], policy)).toEqual([]);
    expect(staleTables([{ table: 'awards', estimate: -1, modified: 10_000 }], policy)).toEqual(['awards']);
  });

  it('a large table needs a tenth of its estimate changed, not just minRows', () => {
    expect(staleTables([{ table: 'children', estimate: 1_000_000, modified: 99_999 }], policy)).toEqual([]);
    expect(staleTables([{ table: 'children', estimate: 1_000_000, modified: 100_000 }], policy)).toEqual(['children']);
  });

  it('orders the stale tables by rows changed, largest first', () => {
    const activity = [
      { table: 'children', estimate: 0, modified: 20_000 },
      { table: 'kinds', estimate: 10, modified: 3 },
      { table: 'measurements', estimate: 0, modified: 80_000 },
    ];
    expect(staleTables(activity, policy)).toEqual(['measurements', 'children']);
  });

  it('refuses a policy that would analyse every table on every pass', () => {
    expect(() => staleTables([], { minRows: 0, fraction: 0.1 })).toThrow(/minRows/);
    expect(() => staleTables([], { minRows: 1, fraction: 0 })).toThrow(/fraction/);
  });

  it('property: a table is chosen exactly when it changed by at least max(minRows, fraction × estimate)', () => {
    const table = fc.record({ estimate: fc.integer({ min: -1, max: 10_000_000 }), modified: fc.integer({ min: 0, max: 10_000_000 }) });
    fc.assert(
      fc.property(fc.array(table, { maxLength: 20 }), fc.integer({ min: 1, max: 100_000 }), (rows, minRows) => {
        const activity = rows.map((r, i) => ({ table: `t${i}`, ...r }));
        const chosen = new Set(staleTables(activity, { minRows, fraction: 0.1 }));
        for (const t of activity) {
          const due = t.modified >= minRows && t.modified >= 0.1 * Math.max(t.estimate, 0);
          expect(chosen.has(t.table)).toBe(due);
        }
      }),
    );
  });
});
