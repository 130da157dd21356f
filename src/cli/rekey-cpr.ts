import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { loadConfig } from '../config.js';
import { createContext } from '../context.js';
import { createLogger } from '../logger.js';
import { rekeyFromLines } from '../services/cpr-keys.js';

/**
 * `npm run rekey-cpr -- --status` prints how many children are hashed under each key id.
 * `npm run rekey-cpr -- cprs.txt` (or `-` for stdin) moves the children of the listed CPRs to the
 * active key of CPR_HMAC_KEYS. The file is the municipal register's CPRs, one per line (a bare
 * CPR, a JSON string, or NDJSON objects with a `cpr` field). Batches are committed one by one;
 * re-running is safe, and `--skip-lines N` resumes after the last committed line. Progress goes
 * to stderr, the final report (counts, never a CPR) to stdout as JSON. See docs/SECURITY.md.
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    status: { type: 'boolean', default: false },
    'batch-size': { type: 'string', default: '1000' },
    'skip-lines': { type: 'string', default: '0' },
  },
});
const batchSize = Number(values['batch-size']);
const skipLines = Number(values['skip-lines']);
if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10000) {
  console.error('--batch-size must be an integer 1–10000');
  process.exit(2);
}
if (!Number.isInteger(skipLines) || skipLines < 0) {
  console.error('--skip-lines must be a non-negative integer');
  process.exit(2);
}
if (!values.status && positionals.length !== 1) {
  console.error('usage: rekey-cpr --status | rekey-cpr <file of CPRs | -> [--batch-size N] [--skip-lines N]');
  process.exit(2);
}

const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
// Logs to stderr: stdout carries only the JSON report.
const ctx = await createContext(config, createLogger(config.LOG_LEVEL, pino.destination(2)));
try {
  if (values.status) {
    console.log(JSON.stringify(await ctx.services.cprKeys.status(), null, 2));
  } else {
    const source = positionals[0] === '-' ? process.stdin : createReadStream(positionals[0]!, 'utf8');
    const lines = createInterface({ input: source, crlfDelay: Infinity });
    const report = await rekeyFromLines(ctx.services.cprKeys, lines, {
      batchSize,
      skipLines,
      onBatch: (r) =>
        console.error(
          `committed through line ${r.committed_through_line}: ${r.rekeyed} rekeyed, ${r.already_current} already current, ${r.not_found} not found`,
        ),
    });
    console.log(JSON.stringify({ active_key_id: ctx.cpr.activeKeyId, ...report }, null, 2));
    if (report.duplicate_child_ids.length) {
      console.error(
        `${report.duplicate_child_ids.length} children share a CPR with another child under a different key: merge them by hand (ids in the report)`,
      );
    }
  }
} finally {
  await ctx.close();
}
