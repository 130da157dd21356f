/**
 * The documentation a fresh clone gets must stand on its own: every relative link in the README
 * and docs/ resolves to a file inside the repository, every `npm run` the README shows exists,
 * and docs/SETTLEMENT.md works every vector of test/vectors and test/vectors-composite through to the figures it expects.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/vectors/sources.js';

const root = projectRoot();
const read = (p: string) => readFileSync(join(root, p), 'utf8');
const pages = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** Relative link targets of a markdown page (inline links; anchors and query parts dropped). */
function relativeLinks(markdown: string): string[] {
  const targets = [...markdown.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
  return targets.filter((t) => !/^[a-z]+:/i.test(t) && !t.startsWith('#')).map((t) => t.split('#')[0]!.split('?')[0]!);
}

const fmt = (n: number) => n.toLocaleString('en-US');

describe('documentation of a fresh clone', () => {
  for (const page of pages) {
    it(`${page}: every relative link points to a file inside the repository`, () => {
      for (const target of relativeLinks(read(page))) {
        const path = resolve(root, dirname(page), target);
        expect(relative(root, path).startsWith('..'), `${page} links outside the repository: ${target}`).toBe(false);
        expect(existsSync(path), `${page} links to a missing file: ${target}`).toBe(true);
      }
    });
  }

  it('README: every `npm run <script>` it shows is a script of package.json', () => {
    const scripts = Object.keys((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts);
    const shown = [...read('README.md').matchAll(/npm run (?:-s )?([a-z][a-z0-9:-]*)/g)].map((m) => m[1]!);
    expect(shown.length).toBeGreaterThan(5);
    for (const script of shown) expect(scripts, `npm run ${script}`).toContain(script);
  });

  it('README: no command needs ../shared', () => {
    expect(read('README.md')).not.toMatch(/npm run [^\n`|]*\.\.\/shared/);
  });

  describe('docs/SETTLEMENT.md works every vector by hand', () => {
    const doc = read('docs/SETTLEMENT.md');
    const vectors = ['vectors', 'vectors-composite']
      .flatMap((dir) => readdirSync(join(root, 'test', dir)).flatMap((f) => (f.endsWith('.json') ? [`${dir}/${f}`] : [])))
      .sort((a, b) => a.split('/')[1]!.localeCompare(b.split('/')[1]!));
    for (const path of vectors) {
      const file = path.split('/')[1]!;
      const n = Number(file.slice(0, 2));
      it(`example ${n} (${file}) shows every figure the vector expects`, () => {
        const start = doc.indexOf(`### Example ${n} `);
        expect(start, `no "### Example ${n}" section`).toBeGreaterThan(0);
        const next = doc.indexOf('### Example', start + 1);
        const section = doc.slice(start, next < 0 ? undefined : next);
        const vector = JSON.parse(read(`test/${path}`)) as {
          steps: Array<{
            expect: {
              awards?: Array<{ amount_ore: number; payouts: Record<string, number>; retained_ore: number }>;
              funds?: Record<string, { available_ore?: number }>;
            };
          }>;
        };
        for (const step of vector.steps) {
          for (const award of step.expect.awards ?? []) {
            for (const [code, amount] of Object.entries(award.payouts)) {
              expect(section, `${code} ${fmt(amount)}`).toContain(`${code} ${fmt(amount)}`);
            }
            if (award.retained_ore > 0) expect(section).toContain(`retained ${fmt(award.retained_ore)}`);
          }
          for (const fund of Object.values(step.expect.funds ?? {})) {
            if (fund.available_ore !== undefined) expect(section).toContain(fmt(fund.available_ore));
          }
        }
      });
    }
  });
});
