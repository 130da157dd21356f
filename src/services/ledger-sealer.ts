import type { Logger } from 'pino';
import type { Db, Executor } from '../db/database.js';
import { sealEntry } from '../ledger/hash-chain.js';
import { signCheckpoint, type SignedCheckpoint, type SigningKeyring } from '../ledger/checkpoint.js';
import * as ledgerRepo from '../repositories/ledger.js';

/** Entries per sealing transaction (Trillian's log signer integrates up to 1,000 per pass). */
export const SEAL_BATCH = 2000;

export interface SealResult {
  sealed: number;
  head: ledgerRepo.HeadRow;
  /** seq given to each entry sealed, by entry id. */
  seqs: Map<string, bigint>;
  /** sealed_at − appended_at of each entry sealed, ms. */
  lagsMs: number[];
}

/**
 * Seals the oldest committed pending entries into the chain, in append order: gapless seq from
 * the head, prev_hash and hash, lines in their order. The caller holds the head row (`lockHead`
 * or `tryLockHead`) in this transaction, so no other sealer runs; the entries are inserted,
 * removed from `journal_pending` and the head moved in this one transaction — a sealer killed
 * mid-batch leaves nothing sealed, and nothing is ever sealed twice (entry ids are unique).
 */
export async function sealPending(trx: Executor, head: ledgerRepo.HeadRow, limit = SEAL_BATCH): Promise<SealResult> {
  const pending = await ledgerRepo.pendingBatch(trx, limit);
  const result: SealResult = { sealed: 0, head, seqs: new Map(), lagsMs: [] };
  if (!pending.length) return result;
  let seq = head.last_seq;
  let prev = head.last_hash;
  const entries: ledgerRepo.EntryRow[] = [];
  const lines: ledgerRepo.LineRow[] = [];
  for (const p of pending) {
    seq += 1n;
    const entryLines = p.lines.map((l) => ({ account: l.account, amount_ore: BigInt(l.amount_ore) }));
    const { canonical, hash } = sealEntry(prev, {
      seq: Number(seq),
      entry_id: p.id,
      posted_at: p.posted_at.toISOString(),
      kind: p.kind,
      fund_id: p.fund_id,
      award_id: p.award_id,
      memo: p.memo,
      lines: entryLines,
      explanation_sha256: p.explanation_sha256,
    });
    // An entry that does not balance was refused at posting; finding one here is corruption.
    if (entryLines.reduce((s, l) => s + l.amount_ore, 0n) !== 0n) throw new Error(`pending entry ${p.id} does not balance`);
    entries.push({
      seq,
      id: p.id,
      posted_at: p.posted_at,
      posted_on: p.posted_on,
      kind: p.kind,
      fund_id: p.fund_id,
      award_id: p.award_id,
      memo: p.memo,
      prev_hash: prev,
      hash,
      canonical,
      appended_at: p.appended_at,
      sealed_at: p.now,
      award_revision: p.award_revision,
      explanation_sha256: p.explanation_sha256,
    });
    entryLines.forEach((l, i) => lines.push({ entry_seq: seq, line_no: i + 1, account: l.account, amount_ore: l.amount_ore }));
    result.seqs.set(p.id, seq);
    result.lagsMs.push(p.now.getTime() - p.appended_at.getTime());
    prev = hash;
  }
  await ledgerRepo.insertEntries(trx, entries, lines);
  await ledgerRepo.deletePending(
    trx,
    entries.map((e) => e.id),
  );
  result.head = { last_seq: seq, last_hash: prev };
  await ledgerRepo.updateHead(trx, result.head);
  result.sealed = entries.length;
  return result;
}

/** Who signs checkpoints, and how often at most. */
export interface Checkpointing {
  keyring: SigningKeyring;
  intervalMs: number;
}

/**
 * Signs and stores a checkpoint of the head the caller holds, when the chain has grown since the
 * last one and that one is at least `intervalMs` old. Runs in the sealing transaction, so a
 * checkpoint names exactly a committed head.
 */
export async function maybeCheckpoint(trx: Executor, head: ledgerRepo.HeadRow, cp: Checkpointing, now = new Date()): Promise<SignedCheckpoint | null> {
  if (head.last_seq === 0n) return null;
  const last = await ledgerRepo.lastCheckpoint(trx);
  if (last && (last.seq >= head.last_seq || now.getTime() - last.created_at.getTime() < cp.intervalMs)) return null;
  const signed = signCheckpoint(
    { seq: Number(head.last_seq), hash: head.last_hash, sealed_at: now.toISOString(), key_id: cp.keyring.active.id },
    cp.keyring.active.privateKey,
  );
  await ledgerRepo.insertCheckpoint(trx, { ...signed, seq: head.last_seq, sealed_at: now });
  return signed;
}

/**
 * One sealing pass in its own transaction, if no other sealer holds the head: seals up to
 * `limit` entries, then (with `checkpointing`) signs a checkpoint when one is due. Returns null
 * when another sealer is at work.
 */
export async function sealOnce(db: Db, limit = SEAL_BATCH, checkpointing?: Checkpointing): Promise<SealResult | null> {
  return db.transaction().execute(async (trx) => {
    const head = await ledgerRepo.tryLockHead(trx);
    if (!head) return null;
    const r = await sealPending(trx, head, limit);
    if (checkpointing) await maybeCheckpoint(trx, r.head, checkpointing);
    return r;
  });
}

/** Seals until nothing committed is pending (waits for another sealer rather than skipping). */
export async function sealAll(db: Db): Promise<number> {
  let total = 0;
  for (;;) {
    const r = await db.transaction().execute(async (trx) => sealPending(trx, await ledgerRepo.lockHead(trx)));
    total += r.sealed;
    if (r.sealed < SEAL_BATCH) return total;
  }
}

/**
 * The sealing loop of a process. Every process may run one: at most one seals at a time (the
 * head row lock, taken SKIP LOCKED, so the others simply try again later), and any takes over
 * when the one sealing dies. Kicked after commits that posted; polls otherwise.
 */
export class LedgerSealer {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  /** Entries this process sealed and passes that found another sealer at work. */
  readonly stats = { sealed: 0, passes: 0, busy: 0 };

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly opts: {
      pollMs: number;
      batch?: number;
      enabled?: boolean;
      checkpointing?: Checkpointing;
      onSealed?: (r: SealResult) => void;
    },
  ) {}

  start(): void {
    if (this.opts.enabled === false) return;
    this.stopped = false;
    this.schedule(0);
  }

  kick(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.running || this.stopped) return;
    const batch = this.opts.batch ?? SEAL_BATCH;
    let busy = false;
    this.running = (async () => {
      try {
        let full: boolean;
        do {
          this.again = false;
          const r = await sealOnce(this.db, batch, this.opts.checkpointing);
          this.stats.passes++;
          if (!r) this.stats.busy++;
          else if (r.sealed) {
            this.stats.sealed += r.sealed;
            this.opts.onSealed?.(r);
          }
          busy = r === null;
          full = r !== null && r.sealed === batch;
        } while ((full || this.again) && !busy && !this.stopped);
      } catch (err) {
        this.log.warn({ err: (err as Error).message }, 'ledger sealer could not seal; will retry');
      }
    })();
    await this.running;
    this.running = null;
    this.schedule(this.again && !busy ? 0 : this.opts.pollMs);
  }
}
