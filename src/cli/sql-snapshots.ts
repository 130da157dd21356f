/**
 * `npm run sql`: writes the SQL snapshots (src/repositories/queries/*.sql) from the repository
 * code; `npm run sql -- --check` exits 1 naming every stale or missing file instead.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SNAPSHOTS, render } from '../repositories/queries/snapshots.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'repositories', 'queries');
const check = process.argv.includes('--check');
const stale: string[] = [];
for (const s of SNAPSHOTS) {
  const file = join(dir, `${s.name}.sql`);
  const text = await render(s);
  if (check) {
    if (!existsSync(file) || readFileSync(file, 'utf8') !== text) stale.push(file);
  } else {
    writeFileSync(file, text);
  }
}
if (stale.length) {
  console.error(`stale SQL snapshots (run npm run sql and commit them):\n${stale.join('\n')}`);
  process.exit(1);
}
console.log(check ? `${SNAPSHOTS.length} SQL snapshots are up to date` : `wrote ${SNAPSHOTS.length} SQL snapshots to ${dir}`);
