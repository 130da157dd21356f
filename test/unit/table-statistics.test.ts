import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { staleTables, stalenessPolicy } from '../../src/services/table-statistics.js';

const server = stalenessPolicy('postgres', 10_000);
const embedded = stalenessPolicy('pglite', 10_000);

describe('staleTables (when the planner-statistics keeper analyses a table, D208, D217, D223)', () => {
  it('a never-analysed table (estimate -1) is stale once it holds minRows rows', () => {
    expect(staleTables([{ table: 'awards', estimate: -1, live: 9_999, modified: 9_999 }], server)).toEqual([]);
    expect(staleTables([{ table: 'awards', estimate: -1, live: 10_000, modified: 10_000 }], server)).toEqual(['awards']);
  });

  it('on a server a large table must double or empty, not just grow by minRows or a tenth', () => {
    expect(staleTables([{ table: 'awards', estimate: 100_000, live: 199_999, modified: 99_999 }], server)).toEqual([]);
    expect(staleTables([{ table: 'awards', estimate: 100_000, live: 200_000, modified: 100_000 }], server)).toEqual(['awards']);
    expect(staleTables([{ table: 'awards', estimate: 100_000, live: 1, modified: 99_999 }], server)).toEqual([]);
    expect(staleTables([{ table: 'awards', estimate: 100_000, live: 0, modified: 100_000 }], server)).toEqual(['awards']);
  });

  it('on the embedded PGlite a large table must grow or shrink by a tenth of its estimate, not just minRows', () => {
    expect(staleTables([{ table: 'children', estimate: 1_000_000, live: 1_099_999, modified: 99_999 }], embedded)).toEqual([]);
    expect(staleTables([{ table: 'children', estimate: 1_000_000, live: 1_100_000, modified: 100_000 }], embedded)).toEqual(['children']);
    expect(staleTables([{ table: 'children', estimate: 1_000_000, live: 900_000, modified: 100_000 }], embedded)).toEqual(['children']);
  });

  it('a table growing from empty to a million rows is analysed about log2 times on a server, log1.1 times embedded', () => {
    // Each step: the table grows by 1 % between passes; an analysis resets the estimate to the live size.
    const passes = (policy: typeof server) => {
      let estimate = -1;
      let analyses = 0;
      for (let live = 1_000; live <= 1_000_000; live = Math.ceil(live * 1.01)) {
        if (staleTables([{ table: 'awards', estimate, live, modified: live - Math.max(estimate, 0) }], policy).length) {
          estimate = live;
          analyses++;
        }
      }
      return analyses;
    };
    // Server: at minRows (10,000), then at every doubling: 1 + log2 100 ≈ 7.6. Embedded: every
    // minRows up to 100,000 (10), then every tenth: log1.1 10 ≈ 24, fewer as the 1 % steps overshoot.
    expect(passes(server)).toBeGreaterThanOrEqual(7);
    expect(passes(server)).toBeLessThanOrEqual(8);
    expect(passes(embedded)).toBeGreaterThanOrEqual(30);
    expect(passes(embedded)).toBeLessThanOrEqual(34);
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
