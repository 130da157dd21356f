import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultVectorSources, projectRoot, selectVectors } from '../../src/vectors/sources.js';

/** A project folder `<tmp>/project` with test/vectors, and optionally `<tmp>/shared/vectors{,-composite}`. */
function layout(opts: { shared: boolean }) {
  const base = mkdtempSync(join(tmpdir(), 'smb-vsrc-'));
  const root = join(base, 'project');
  mkdirSync(join(root, 'test', 'vectors'), { recursive: true });
  writeFileSync(join(root, 'package.json'), '{}');
  const own = join(root, 'test', 'vectors');
  writeFileSync(join(own, '01-a.json'), '{"name":"own 01"}');
  writeFileSync(join(own, '02-b.json'), '{"name":"own 02"}');
  writeFileSync(join(own, 'notes.txt'), 'not a vector');
  const shared = join(base, 'shared', 'vectors');
  if (opts.shared) {
    mkdirSync(shared, { recursive: true });
    mkdirSync(join(base, 'shared', 'vectors-composite'), { recursive: true });
    writeFileSync(join(shared, '02-b.json'), '{"name":"shared 02"}');
    writeFileSync(join(shared, '13-new.json'), '{"name":"shared 13"}');
    writeFileSync(join(base, 'shared', 'vectors-composite', '01-composite.json'), '{"name":"composite"}');
  }
  return { root, own, shared };
}

describe('the vector files a run uses', () => {
  it('in a fresh clone (no ../shared): only test/vectors', () => {
    const { root, own } = layout({ shared: false });
    expect(defaultVectorSources(root)).toEqual([own]);
    const { files, skipped } = selectVectors(defaultVectorSources(root));
    expect(files.map((f) => f.file)).toEqual([join(own, '01-a.json'), join(own, '02-b.json')]);
    expect(skipped).toEqual([]);
  });

  it('beside ../shared: new shared vectors (and the composite ones) are picked up, a duplicate file name runs once from ../shared', () => {
    const { root, own, shared } = layout({ shared: true });
    const composite = join(shared, '..', 'vectors-composite');
    expect(defaultVectorSources(root)).toEqual([shared, composite, own]);
    const { files, skipped } = selectVectors(defaultVectorSources(root));
    expect(files.map((f) => f.file)).toEqual([
      join(own, '01-a.json'),
      join(composite, '01-composite.json'),
      join(shared, '02-b.json'),
      join(shared, '13-new.json'),
    ]);
    expect(skipped.map((f) => f.file)).toEqual([join(own, '02-b.json')]);
  });

  it('includes the project’s own test/vectors-composite when it exists', () => {
    const { root, own } = layout({ shared: false });
    const mine = join(root, 'test', 'vectors-composite');
    mkdirSync(mine);
    writeFileSync(join(mine, '13-c.json'), '{"name":"own composite"}');
    expect(defaultVectorSources(root)).toEqual([own, mine]);
    expect(selectVectors(defaultVectorSources(root)).files.map((f) => f.file)).toEqual([
      join(own, '01-a.json'),
      join(own, '02-b.json'),
      join(mine, '13-c.json'),
    ]);
  });

  it('takes single files as given, and the first source wins a file name', () => {
    const { own, shared } = layout({ shared: true });
    const { files, skipped } = selectVectors([join(own, '02-b.json'), shared]);
    expect(files.map((f) => f.file)).toEqual([join(own, '02-b.json'), join(shared, '13-new.json')]);
    expect(skipped.map((f) => f.file)).toEqual([join(shared, '02-b.json')]);
  });

  it('finds this project and its own copy of the vectors', () => {
    const root = projectRoot();
    const { files } = selectVectors([join(root, 'test', 'vectors')]);
    expect(files.length).toBeGreaterThanOrEqual(12);
    expect(selectVectors([join(root, 'test', 'vectors-composite')]).files.length).toBeGreaterThanOrEqual(2);
  });
});
