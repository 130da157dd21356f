import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runVector, type Vector } from '../vectors/runner.js';

/**
 * `npm run vectors -- <file-or-folder>…`: one line per vector (PASS/FAIL with differences),
 * then `N passed, N failed`; exit code 1 if any failed or could not run. Uses DATABASE_URL
 * (an admin database on which a fresh database is created per vector) and REDIS_URL when
 * set, else the embedded default.
 */
function vectorFiles(args: string[]): string[] {
  const files: string[] = [];
  for (const arg of args) {
    const path = resolve(arg);
    if (statSync(path).isDirectory()) {
      files.push(...readdirSync(path).filter((f) => f.endsWith('.json')).sort().map((f) => join(path, f)));
    } else files.push(path);
  }
  return files;
}

const args = process.argv.slice(2).filter((a) => a !== '--');
if (!args.length) {
  console.error('usage: npm run vectors -- <file-or-folder>…');
  process.exit(2);
}
let passed = 0;
let failed = 0;
const target = { databaseUrl: process.env.DATABASE_URL || undefined, redisUrl: process.env.REDIS_URL || undefined };
console.log(`vectors on ${target.databaseUrl ? 'PostgreSQL' : 'embedded PGlite'} with ${target.redisUrl ? 'BullMQ' : 'the in-process queue'}`);
for (const file of vectorFiles(args)) {
  let vector: Vector;
  try {
    vector = JSON.parse(readFileSync(file, 'utf8')) as Vector;
  } catch (err) {
    failed++;
    console.log(`FAIL ${file}\n    could not read: ${(err as Error).message}`);
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
