import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SNAPSHOTS, layout, render } from '../../src/repositories/queries/snapshots.js';

const dir = join(import.meta.dirname, '..', '..', 'src', 'repositories', 'queries');

describe('SQL snapshots (src/repositories/queries/*.sql; npm run sql regenerates them)', () => {
  for (const s of SNAPSHOTS) {
    it(`${s.name}.sql is what the repository code compiles to`, async () => {
      const committed = readFileSync(join(dir, `${s.name}.sql`), 'utf8');
      expect(await render(s), `${s.name}.sql is stale: run npm run sql and commit it`).toBe(committed);
    });
  }

  it('records every statement of a function, answered with the given rows', async () => {
    const text = await render(SNAPSHOTS.find((s) => s.name === 'settlement-input-load')!);
    // The versions query runs only when rules were found, the payees query only when awards were.
    expect(text).toContain('from "rule_versions"');
    expect(text).toContain('from "award_payees"');
    expect(text).toContain('delete\nfrom "settlement_backlog"');
    expect(text.match(/-- statement \d+/g)).toHaveLength(9);
  });

  it('layout only inserts line breaks, never inside quoted text', () => {
    const statement = `select 'a from b where c' as "x from y" from "t" where "k" = $1 order by "k"`;
    const laid = layout(statement);
    expect(laid.replace(/\n/g, ' ')).toBe(statement);
    expect(laid.split('\n')).toEqual([`select 'a from b where c' as "x from y"`, 'from "t"', 'where "k" = $1', 'order by "k"']);
  });
});
