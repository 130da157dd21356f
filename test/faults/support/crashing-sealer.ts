/**
 * A sealing process for the fault suite only (`Cluster.startCrashingSealer`): it seals with the
 * production `sealPending`, batch after batch, and on its Nth batch SIGKILLs itself after the
 * batch's entries, lines, pending deletions and head update are written but before COMMIT — the
 * worst moment for a sealer to die. N comes from `SMB_FAULT_SEAL_CRASH_AT`; the batch size from
 * `SEAL_BATCH_SIZE`. Production code has no such hook.
 */
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/logger.js';
import { openDatabase } from '../../../src/db/database.js';
import * as ledgerRepo from '../../../src/repositories/ledger.js';
import { sealPending } from '../../../src/services/ledger-sealer.js';

const n = Number(process.env.SMB_FAULT_SEAL_CRASH_AT);
if (!Number.isInteger(n) || n <= 0) {
  console.error('crashing-sealer: set SMB_FAULT_SEAL_CRASH_AT to a positive integer');
  process.exit(2);
}
const config = loadConfig();
const log = createLogger('info');
const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: null, pool: { max: 2 } });
log.info('mobility bonus settlement service started');
await new Promise((r) => setTimeout(r, 3000)); // let the test see the start before the crash
let batches = 0;
for (;;) {
  const sealed = await database.db.transaction().execute(async (trx) => {
    const head = await ledgerRepo.tryLockHead(trx);
    if (!head) return 0;
    const r = await sealPending(trx, head, config.SEAL_BATCH_SIZE);
    if (r.sealed > 0 && ++batches === n) {
      process.stderr.write(`SMB_FAULT: sealer crashing in batch ${n} (${r.sealed} entries, seq ${head.last_seq + 1n}–${r.head.last_seq}) before COMMIT\n`);
      process.kill(process.pid, 'SIGKILL');
      await new Promise(() => {}); // never commits
    }
    return r.sealed;
  });
  if (!sealed) await new Promise((r) => setTimeout(r, 50));
}
