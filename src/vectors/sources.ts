import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Which vector files a run uses. The project keeps its own copies under `test/vectors/` and
 * `test/vectors-composite/` (the cases of composite rules, SETTLEMENT.md §11; a fresh clone runs
 * them); beside the project, `../shared/vectors/` and `../shared/vectors-composite/` may hold
 * newer or additional ones. The default set is all four folders, one file per file name, the
 * shared copy winning (it is the reference the copy was taken from).
 */

/** The project root: the nearest folder above this module with a package.json (src/ or dist/src/). */
export function projectRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${from}`);
    dir = up;
  }
  return dir;
}

export interface VectorSource {
  /** Absolute path of the vector file. */
  file: string;
  /** The folder (or file) argument it came from, as given. */
  from: string;
}

export interface VectorSelection {
  files: VectorSource[];
  /** Files not run because an earlier source had the same file name. */
  skipped: VectorSource[];
}

/** The folders of vectors, shared and own. */
const FOLDERS = ['vectors', 'vectors-composite'] as const;

/**
 * The default sources, in order of preference: ../shared/vectors and ../shared/vectors-composite
 * (those present), then test/vectors and test/vectors-composite (those present).
 */
export function defaultVectorSources(root = projectRoot()): string[] {
  const shared = FOLDERS.map((f) => resolve(root, '..', 'shared', f)).filter((p) => existsSync(p));
  const own = FOLDERS.map((f) => resolve(root, 'test', f)).filter((p, i) => i === 0 || existsSync(p));
  return [...shared, ...own];
}

/**
 * The vector files of `sources` (folders: their `*.json`, sorted; files: as given). A file name
 * already taken by an earlier source is skipped, so the first source wins. The result is sorted
 * by file name, so the run order does not depend on where a vector came from.
 */
export function selectVectors(sources: string[]): VectorSelection {
  const byName = new Map<string, VectorSource>();
  const skipped: VectorSource[] = [];
  for (const from of sources) {
    const path = resolve(from);
    const files = statSync(path).isDirectory()
      ? readdirSync(path)
          .filter((f) => f.endsWith('.json'))
          .sort()
          .map((f) => join(path, f))
      : [path];
    for (const file of files) {
      const name = basename(file);
      if (byName.has(name)) skipped.push({ file, from });
      else byName.set(name, { file, from });
    }
  }
  const files = [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s);
  return { files, skipped };
}
