import type { Principal } from '../auth/principal.js';
import type { Executor } from '../db/database.js';
import { parseCpr, type CprHash, type CprKeyring } from '../domain/cpr.js';
import * as repo from '../repositories/children.js';
import { recordAudit } from './audit.js';
import type { ServiceDeps } from './deps.js';

/**
 * Rotation of the CPR HMAC key (docs/SECURITY.md). An HMAC cannot be re-keyed without the
 * CPR it was made from, and the service never keeps CPRs, so moving stored hashes to a new key
 * needs the CPRs again: from lookups (`POST /v1/children/lookup` re-hashes what it finds) or, in
 * bulk, from a list of CPRs handed to `npm run rekey-cpr`. This module holds that re-keying, the
 * per-key status an operator needs to decide when an old key may leave the ring, and the start-up
 * check that refuses a ring missing a key that stored hashes still use.
 */

export interface CprKeyStatus {
  active_key_id: string;
  keys: Array<{
    key_id: string;
    active: boolean;
    /** False: hashes under an id that is not in this process's ring (another process's ring, or a lost key). */
    in_ring: boolean;
    children: number;
    /** In the ring, not active, and no child uses it: may be removed from CPR_HMAC_KEYS. */
    retirable: boolean;
  }>;
}

export interface RekeyCounts {
  /** Children whose hash was moved to the active key. */
  rekeyed: number;
  /** CPRs whose child is already hashed with the active key. */
  already_current: number;
  /** Valid CPRs that match no child under any key of the ring. */
  not_found: number;
  /** Moved by someone else (a lookup) between finding and updating: nothing left to do. */
  changed_meanwhile: number;
  /** Children that share one CPR under different keys (registered twice): left alone, to be merged by hand. */
  duplicate_child_ids: string[];
}

const emptyCounts = (): RekeyCounts => ({ rekeyed: 0, already_current: 0, not_found: 0, changed_meanwhile: 0, duplicate_child_ids: [] });

/**
 * Refuses to run with a keyring that lacks a key id stored hashes use: those children could no
 * longer be found by CPR, and — worse — registering one of them again would not be detected as a
 * duplicate. The message names key ids and counts, never a secret.
 */
export async function assertCprKeysInRing(db: Executor, ring: CprKeyring): Promise<void> {
  const missing = (await repo.storedCprKeyIds(db)).filter((id) => !ring.keyIds.includes(id));
  if (!missing.length) return;
  const counts = await repo.countChildrenByCprKey(db, missing);
  const list = counts.map((c) => `"${c.key_id}" (${c.children} children)`).join(', ');
  throw new Error(
    `CPR keyring: stored CPR hashes use key id(s) missing from CPR_HMAC_KEYS: ${list}. ` +
      'Put the key(s) back into CPR_HMAC_KEYS; a key may leave the ring only when no child uses it (docs/SECURITY.md).',
  );
}

export class CprKeyService {
  constructor(private readonly deps: ServiceDeps) {}

  async status(): Promise<CprKeyStatus> {
    const ring = this.deps.cpr;
    const stored = new Map((await repo.countChildrenByCprKey(this.deps.db)).map((r) => [r.key_id, r.children]));
    const ids = [...new Set([...ring.keyIds, ...stored.keys()])].sort();
    return {
      active_key_id: ring.activeKeyId,
      keys: ids.map((id) => {
        const children = stored.get(id) ?? 0;
        const inRing = ring.keyIds.includes(id);
        const active = id === ring.activeKeyId;
        return { key_id: id, active, in_ring: inRing, children, retirable: inRing && !active && children === 0 };
      }),
    };
  }

  /**
   * Moves the children of these (normalised) CPRs to the active key, in one transaction with one
   * audit record. Idempotent: a CPR already under the active key is counted, not touched.
   */
  async rekey(actor: Principal | null, normalisedCprs: ReadonlyArray<string>): Promise<RekeyCounts> {
    const ring = this.deps.cpr;
    const cprs = [...new Set(normalisedCprs)];
    const candidates = cprs.map((c) => ring.candidates(c)); // active key first
    return this.deps.db.transaction().execute(async (tx) => {
      const matches = await repo.findChildrenByCprHashes(tx, candidates.flat());
      const byHash = new Map(matches.map((m) => [repo.cprHashKey(m), m]));
      const counts = emptyCounts();
      const moves: Array<{ id: string; from: CprHash; to: CprHash }> = [];
      candidates.forEach((hashes) => {
        const found = hashes.flatMap((h) => {
          const m = byHash.get(repo.cprHashKey(h));
          return m ? [{ id: m.id, hash: h }] : [];
        });
        if (!found.length) counts.not_found++;
        else if (found.length > 1) counts.duplicate_child_ids.push(...found.map((f) => f.id));
        else if (found[0]!.hash.keyId === ring.activeKeyId) counts.already_current++;
        else moves.push({ id: found[0]!.id, from: found[0]!.hash, to: hashes[0]! });
      });
      counts.rekeyed = await repo.rehashCprs(tx, moves);
      counts.changed_meanwhile = moves.length - counts.rekeyed;
      if (counts.rekeyed) {
        const from: Record<string, number> = {};
        for (const m of moves) from[m.from.keyId] = (from[m.from.keyId] ?? 0) + 1;
        await recordAudit(tx, actor, 'cpr.rekey', { type: 'cpr_key', id: ring.activeKeyId }, { rekeyed: counts.rekeyed, from });
      }
      return counts;
    });
  }
}

/**
 * One line of a CPR source: a bare CPR (`DDMMYY-SSSS` or 10 digits), a JSON string, or an NDJSON
 * object with a `cpr` field. `null` for a blank or `#` comment line; `undefined` if unusable.
 */
export function cprOfLine(line: string): string | null | undefined {
  const text = line.trim();
  if (text === '' || text.startsWith('#')) return null;
  let value: unknown = text;
  if (text.startsWith('{') || text.startsWith('"')) {
    try {
      value = JSON.parse(text);
    } catch {
      return undefined;
    }
    if (typeof value === 'object' && value !== null) value = (value as { cpr?: unknown }).cpr;
  }
  if (typeof value !== 'string') return undefined;
  const parsed = parseCpr(value);
  return parsed.ok ? parsed.normalised : undefined;
}

export interface RekeyReport extends RekeyCounts {
  /** Lines read (including skipped ones). */
  lines: number;
  /** Lines that were not a valid CPR (line numbers only, at most 100; never their content). */
  invalid: number;
  invalid_lines: number[];
  /** The last line number whose batch is committed: pass it as --skip-lines to resume. */
  committed_through_line: number;
}

/**
 * Streams a CPR source through `rekey` in batches (each its own transaction). Re-running is safe
 * (already-current CPRs are only counted); `skipLines` resumes after a committed line.
 */
export async function rekeyFromLines(
  service: CprKeyService,
  lines: AsyncIterable<string> | Iterable<string>,
  opts: { batchSize: number; skipLines?: number; onBatch?: (report: RekeyReport) => void },
): Promise<RekeyReport> {
  const report: RekeyReport = { ...emptyCounts(), lines: 0, invalid: 0, invalid_lines: [], committed_through_line: opts.skipLines ?? 0 };
  let batch: string[] = [];
  const flush = async () => {
    const counts = await service.rekey(null, batch);
    batch = [];
    report.rekeyed += counts.rekeyed;
    report.already_current += counts.already_current;
    report.not_found += counts.not_found;
    report.changed_meanwhile += counts.changed_meanwhile;
    report.duplicate_child_ids.push(...counts.duplicate_child_ids);
    report.committed_through_line = report.lines;
    opts.onBatch?.(report);
  };
  for await (const line of lines) {
    report.lines++;
    if (report.lines <= (opts.skipLines ?? 0)) continue;
    const cpr = cprOfLine(line);
    if (cpr === null) continue;
    if (cpr === undefined) {
      report.invalid++;
      if (report.invalid_lines.length < 100) report.invalid_lines.push(report.lines);
      continue;
    }
    batch.push(cpr);
    if (batch.length >= opts.batchSize) await flush();
  }
  if (batch.length) await flush();
  report.committed_through_line = Math.max(report.committed_through_line, report.lines);
  return report;
}
