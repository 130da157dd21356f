import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { runVector, type Vector } from '../vectors/runner.js';
import { defaultVectorSources, selectVectors } from '../vectors/sources.js';

/**
 * `npm run vectors [-- [--http] <file-or-folder>…]`: one line per vector (PASS/FAIL with differences),
 * then `N passed, N failed`; exit code 1 if any failed or could not run. Without arguments it
 * runs the default set: the project's own `test/vectors` and `test/vectors-composite`, and
 * `../shared/vectors` and `../shared/vectors-composite` when those folders exist, one file per
 * file name (the shared copy wins). Uses DATABASE_URL (an admin
 * database on which a fresh database is created per vector) and REDIS_URL when set, else the
 * embedded default. The API is called through `app.inject`, or with `--http` over a loopback port.
 */
const args = process.argv.slice(2).filter((a) => a !== '--' && a !== '--http');
const transport = process.argv.includes('--http') ? ('http' as const) : ('inject' as const);
const sources = args.length ? args : defaultVectorSources();
const { files, skipped } = selectVectors(sources);
const shown = (p: string) => relative(process.cwd(), p) || '.';
const target = { databaseUrl: process.env.DATABASE_URL || undefined, redisUrl: process.env.REDIS_URL || undefined, transport };
console.log(
  `vectors on ${target.databaseUrl ? 'PostgreSQL' : 'embedded PGlite'} with ${target.redisUrl ? 'BullMQ' : 'the in-process queue'}, ` +
    `through ${transport === 'http' ? 'a loopback port' : 'app.inject'}`,
);
for (const source of sources) {
  const n = files.filter((f) => f.from === source).length;
  const dup = skipped.filter((f) => f.from === source).length;
  console.log(`  ${shown(source)}: ${n} file(s)${dup ? `, ${dup} skipped (same file name in an earlier source)` : ''}`);
}
if (!files.length) {
  console.error('no vector files found');
  process.exit(2);
}

let passed = 0;
let failed = 0;
for (const { file } of files) {
  let vector: Vector;
  try {
    vector = JSON.parse(readFileSync(file, 'utf8')) as Vector;
  } catch (err) {
    failed++;
    console.log(`FAIL ${shown(file)}\n    could not read: ${(err as Error).message}`);
    continue;
  }
  const result = await runVector(vector, target);
  if (result.ok) {
    passed++;
    console.log(`PASS ${result.name}`);
  } else {
    failed++;
    console.log(`FAIL ${result.name}`);
    for (const d of result.differences) console.log(`    ${d}`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
