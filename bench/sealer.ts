/**
 * The sealer's cost per entry (issue 14 item 5: the one serial part of settlement). On a
 * populated database (the bench's, after its other steps): append `entries` award entries the
 * way settlement does (`LedgerService.post`, 1,000 per transaction, each reserving 1 øre for an
 * existing award and committing to its explanation digest), then seal them all with the
 * production sealer (`sealOnce`, batches of SEAL_BATCH) and time it; and time the same entries'
 * hashing alone (RFC 8785 text + SHA-256, `sealEntry`) to split JavaScript from SQL.
 *
 * `npx tsx bench/sealer.ts` with DATABASE_URL set runs it alone.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { generateApiKey } from '../src/auth/api-key.js';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import { createLogger } from '../src/logger.js';
import * as accounts from '../src/ledger/accounts.js';
import { sealEntry, GENESIS_HASH } from '../src/ledger/hash-chain.js';
import { SEAL_BATCH, sealOnce } from '../src/services/ledger-sealer.js';

export interface SealerTiming {
  entries: number;
  /** Wall time of sealing them all, per entry (µs): reading pending rows, hashing, inserting entries and lines, deleting pending rows, moving the head. */
  seal_us_per_entry: number;
  /** Of which hashing in JavaScript (RFC 8785 text and SHA-256), per entry (µs). */
  hash_us_per_entry: number;
  /** Appending them (`post`: balances, pending rows), per entry (µs) — parallel across jobs, not serial. */
  append_us_per_entry: number;
  /**
   * CPU time of sealing, per entry (µs): this process's (the sealer's JavaScript) and, when
   * `pgCpuMs` can read it, PostgreSQL's. On a loaded machine wall time includes waiting for a
   * core; the CPU time is what bounds the serial part on an idle one.
   */
  seal_cpu_us_per_entry: { node: number; pg: number | null };
}

export async function timeSealer(env: NodeJS.ProcessEnv, entries = 20_000, pgCpuMs: () => Promise<number | null> = async () => null): Promise<SealerTiming> {
  const key = generateApiKey();
  const ctx = await createContext(loadConfig({ ...env, LOG_LEVEL: 'warn', ADMIN_BOOTSTRAP_KEY: key.key, LEDGER_SEALER: 'off' }), createLogger('warn'), {
    inMemory: true,
  });
  try {
    const { rows: awards } = await sql<{ id: string; fund_id: string; revision: number; explanation_sha256: string }>`
      select id, fund_id, revision, explanation_sha256 from awards where explanation_sha256 is not null order by id limit ${entries}`.execute(ctx.db);
    if (!awards.length) throw new Error('bench/sealer: no awards to post for');
    const drafts = Array.from({ length: entries }, (_, i) => {
      const a = awards[i % awards.length]!;
      return {
        kind: 'reserve' as const,
        fundId: a.fund_id,
        awardId: a.id,
        awardRevision: a.revision,
        explanationSha256: a.explanation_sha256,
        lines: [
          { account: accounts.available(a.fund_id), amount: -1n },
          { account: accounts.reserved(a.fund_id), amount: 1n },
        ],
      };
    });
    let t = performance.now();
    for (let i = 0; i < drafts.length; i += 1000) {
      await ctx.db.transaction().execute((trx) => ctx.services.ledger.post(trx, drafts.slice(i, i + 1000)));
    }
    const appendMs = performance.now() - t;

    t = performance.now();
    const [cpu0, pg0] = [process.cpuUsage(), await pgCpuMs()];
    let sealed = 0;
    for (;;) {
      const r = await sealOnce(ctx.db, SEAL_BATCH);
      if (!r) continue;
      sealed += r.sealed;
      if (r.sealed < SEAL_BATCH) break;
    }
    const sealMs = performance.now() - t;
    const [cpu1, pg1] = [process.cpuUsage(cpu0), await pgCpuMs()];

    // The hashing alone, on the same shapes (prev hash chained, lines as the sealer builds them).
    t = performance.now();
    let prev = GENESIS_HASH;
    const postedAt = new Date().toISOString();
    drafts.forEach((d, i) => {
      prev = sealEntry(prev, {
        seq: i + 1,
        entry_id: randomUUID(),
        posted_at: postedAt,
        kind: d.kind,
        fund_id: d.fundId,
        award_id: d.awardId,
        memo: null,
        lines: d.lines.map((l) => ({ account: accounts.accountCode(l.account), amount_ore: l.amount })),
        explanation_sha256: d.explanationSha256,
      }).hash;
    });
    const hashMs = performance.now() - t;
    return {
      entries: sealed,
      seal_us_per_entry: Math.round((sealMs * 1000) / sealed),
      hash_us_per_entry: Math.round((hashMs * 1000) / drafts.length),
      append_us_per_entry: Math.round((appendMs * 1000) / drafts.length),
      seal_cpu_us_per_entry: {
        node: Math.round((cpu1.user + cpu1.system) / sealed),
        pg: pg0 === null || pg1 === null ? null : Math.round(((pg1 - pg0) * 1000) / sealed),
      },
    };
  } finally {
    await ctx.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await timeSealer(process.env)));
}
