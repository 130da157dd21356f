import { createReadStream, readFileSync } from 'node:fs';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { ChainVerifier, GENESIS_HASH, type ChainBreak, type StoredChainEntry } from '../ledger/hash-chain.js';
import { explanationSha256 } from '../ledger/explanation.js';
import { verifyCheckpoint, type SignedCheckpoint } from '../ledger/checkpoint.js';

/**
 * `npm run verify-ledger -- export.ndjson`: recomputes the hash chain of an NDJSON ledger export
 * (GET /v1/ledger/export.ndjson) without any database, reading one line at a time (constant
 * memory). Prints `OK: …` and exits 0, or `BROKEN at seq S: reason (…)` and exits 1; exit 2 on
 * a usage error or an unreadable file.
 */
const HELP = `usage: npm run verify-ledger -- [options] <export.ndjson | ->

Recomputes the tamper-evident hash chain of an NDJSON ledger export
(GET /v1/ledger/export.ndjson), one line at a time; no database needed.
Each entry must follow the previous one (seq + 1), carry its hash as prev_hash,
hash to SHA-256(prev_hash || RFC 8785 JSON of the line without prev_hash, hash
and award: seq, entry_id, posted_at, kind, fund_id, award_id, memo,
lines[{account, amount_ore}] and, for entries sealed since migration 0018,
explanation_sha256) and have lines summing to 0. The "award" field is not hashed,
but where an entry carries explanation_sha256 its award's explanation must hash
to it: SHA-256 of the explanation's RFC 8785 text (docs/LEDGER.md).

Which exports can be verified:
  - an unfiltered export: starts at seq 1 from the genesis hash (the default);
  - a seq range (from_seq > 1, or a date range): the first entry links to the hash
    of the entry before the range, which the file does not contain. Give it with
    --prev-hash (e.g. the last hash printed for the previous export, or the hash
    of entry from_seq-1 from GET /v1/ledger/entries), or use --trust-first to
    take it from the first line's prev_hash: then the rest of the file is checked
    against the first entry, but nothing proves the first entry links to the real
    chain;
  - exports filtered by fund, institution, account or award hold a subset of the
    entries, not a chain, and report a seq_gap at the first missing entry.
A valid chain can still be a truncated one: compare the last hash printed with
the x-ledger-head-hash header of the export (or another trusted copy of the head).

Signed checkpoints (GET /v1/ledger/checkpoints): with --checkpoint and
--public-key, each checkpoint's Ed25519 signature must verify under one of the
keys, and the export's entry at the checkpoint's seq must carry its hash. Give
an earlier and a later checkpoint to prove the later extends the earlier: both
match the one chain of the export, so history up to the earlier was not rewritten.

options:
  --checkpoint <file>  a checkpoint as JSON {seq, hash, sealed_at, key_id,
                       signature}; repeatable
  --public-key <file>  an Ed25519 public key (SPKI PEM); repeatable
  --prev-hash <hex>  hash the first entry must link to (64 hex characters;
                     default: the genesis hash ${GENESIS_HASH.slice(0, 8)}…, which also requires seq 1)
  --trust-first      take the first entry's prev_hash as given (see above)
  -h, --help         show this help

output:
  OK: N entries verified, last seq S, last hash H; E explanations match their entries  (exit 0)
  OK: checkpoint seq S signed by key K matches the export                  (each, exit 0)
  OK: checkpoint seq B extends checkpoint seq A                            (exit 0)
  CHECKPOINT seq S: reason                                                 (exit 1)
  BROKEN at seq S: reason (expected …, actual …)             (exit 1)
  reasons: seq_gap, prev_hash_mismatch, hash_mismatch, unbalanced,
           explanation_mismatch, malformed
  usage error or unreadable file                             (exit 2)
`;

function usage(message: string): never {
  console.error(`verify-ledger: ${message}\n`);
  console.error(HELP);
  process.exit(2);
}

function parse() {
  try {
    return parseArgs({
      args: process.argv.slice(2),
      options: {
        'prev-hash': { type: 'string' },
        'trust-first': { type: 'boolean', default: false },
        checkpoint: { type: 'string', multiple: true },
        'public-key': { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: true,
    });
  } catch (err) {
    return usage((err as Error).message);
  }
}

const { values, positionals } = parse();
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
if (positionals.length !== 1) usage(positionals.length ? 'give exactly one file' : 'no export file given');
const file = positionals[0]!;
const prevHashArg = values['prev-hash']?.trim().toLowerCase();
if (prevHashArg !== undefined && !/^[0-9a-f]{64}$/.test(prevHashArg)) usage('--prev-hash must be 64 hexadecimal characters');
if (prevHashArg !== undefined && values['trust-first']) usage('--prev-hash and --trust-first exclude each other');

/** Reads the checkpoints and keys given; exits 2 on unreadable or malformed files. */
function loadCheckpoints(): { checkpoints: SignedCheckpoint[]; keys: KeyObject[] } {
  const cpFiles = values.checkpoint ?? [];
  const keyFiles = values['public-key'] ?? [];
  if (cpFiles.length && !keyFiles.length) usage('--checkpoint needs --public-key');
  const keys = keyFiles.map((f) => {
    try {
      const key = createPublicKey(readFileSync(f, 'utf8'));
      if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 key');
      return key;
    } catch (err) {
      return usage(`cannot read the public key ${f}: ${(err as Error).message}`);
    }
  });
  const checkpoints = cpFiles.map((f) => {
    try {
      const c = JSON.parse(readFileSync(f, 'utf8')) as SignedCheckpoint;
      if (typeof c !== 'object' || c === null || !Number.isSafeInteger(c.seq) || typeof c.hash !== 'string') throw new Error('not a checkpoint');
      return c;
    } catch (err) {
      return usage(`cannot read the checkpoint ${f}: ${(err as Error).message}`);
    }
  });
  return { checkpoints: checkpoints.sort((a, b) => a.seq - b.seq), keys };
}

const { checkpoints, keys: publicKeys } = loadCheckpoints();

/** Each checkpoint: signed by a given key, and the export's entry at its seq has its hash. */
function checkCheckpoints(hashAt: Map<number, string>): { lines: string[]; ok: boolean } {
  const lines: string[] = [];
  for (const c of checkpoints) {
    if (!publicKeys.some((k) => verifyCheckpoint(c, k))) {
      lines.push(`CHECKPOINT seq ${c.seq}: bad_signature (not signed by any key given)`);
      return { lines, ok: false };
    }
    const found = hashAt.get(c.seq);
    if (found === undefined) {
      lines.push(`CHECKPOINT seq ${c.seq}: not_in_export (the export does not reach or does not hold seq ${c.seq})`);
      return { lines, ok: false };
    }
    if (found !== c.hash) {
      lines.push(`CHECKPOINT seq ${c.seq}: hash_mismatch (expected ${c.hash}, actual ${found}) — history was rewritten`);
      return { lines, ok: false };
    }
    lines.push(`OK: checkpoint seq ${c.seq} signed by key ${c.key_id} matches the export`);
  }
  for (let i = 1; i < checkpoints.length; i++) {
    lines.push(`OK: checkpoint seq ${checkpoints[i]!.seq} extends checkpoint seq ${checkpoints[i - 1]!.seq}`);
  }
  return { lines, ok: true };
}

function describeBreak(b: ChainBreak | { seq: number | string; reason: string; expected?: string; actual?: string }): string {
  const detail = [...(b.expected !== undefined ? [`expected ${b.expected}`] : []), ...(b.actual !== undefined ? [`actual ${b.actual}`] : [])];
  return `BROKEN at seq ${b.seq}: ${b.reason}${detail.length ? ` (${detail.join(', ')})` : ''}`;
}

/** A structural problem that would make the verifier throw rather than report, or null. */
function malformed(v: unknown): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'not a JSON object';
  const lines = (v as { lines?: unknown }).lines;
  if (!Array.isArray(lines)) return 'lines is not an array';
  const bad = lines.findIndex((l) => typeof l !== 'object' || l === null || Array.isArray(l));
  if (bad >= 0) return `lines[${bad}] is not an object`;
  return null;
}

type Input = NodeJS.ReadableStream & { destroy?: () => void };

/** The export to read (`-`: stdin), opened; null (after saying why) when it cannot be read. */
async function openInput(path: string): Promise<Input | null> {
  if (path === '-') return process.stdin;
  const stream = createReadStream(path);
  try {
    await new Promise<void>((resolve, reject) => stream.once('open', () => resolve()).once('error', reject));
  } catch (err) {
    console.error(`verify-ledger: cannot read ${path}: ${(err as Error).message}`);
    return null;
  }
  return stream;
}

type ExportLine = StoredChainEntry & { award?: { explanation?: unknown } | null };

/** Checks an export line by line; stops at the first problem, described in `failure`. */
class ExportChecker {
  verifier: ChainVerifier | null;
  lineNo = 0;
  explanations = 0;
  /** The hash of each entry a checkpoint names, as found in the export. */
  readonly hashAt = new Map<number, string>();
  private readonly wanted = new Set(checkpoints.map((c) => c.seq));
  failure: string | null = null;
  private readonly genesis: boolean;

  constructor(opts: { prevHash: string | undefined; trustFirst: boolean }) {
    this.genesis = opts.prevHash === undefined && !opts.trustFirst;
    this.verifier = opts.trustFirst
      ? null
      : new ChainVerifier({ expectedPrevHash: opts.prevHash ?? GENESIS_HASH, ...(this.genesis ? { expectedFirstSeq: 1 } : {}) });
  }

  /** The seq the next entry should have, for reporting a line that has no usable seq. */
  private nextSeq(v: unknown): string {
    const seq = (v as { seq?: unknown } | null)?.seq;
    if (typeof seq === 'number' && Number.isSafeInteger(seq)) return String(seq);
    const last = this.verifier?.result();
    if (last?.ok && last.lastSeq !== null) return String(last.lastSeq + 1);
    return this.genesis && !last?.count ? '1' : '?';
  }

  private fail(value: unknown, reason: string, actual: string): false {
    this.failure = describeBreak({ seq: this.nextSeq(value), reason, actual });
    return false;
  }

  /** The award explanation beside an entry that commits to one must hash to that commitment. */
  private explanation(e: ExportLine): boolean {
    const committed = e.explanation_sha256;
    if (committed === undefined || committed === null) return true;
    const award = e.award;
    let actual: string;
    try {
      actual = award && typeof award === 'object' && 'explanation' in award ? explanationSha256(award.explanation) : 'no explanation beside the entry';
    } catch (err) {
      actual = `unhashable explanation: ${(err as Error).message}`;
    }
    if (actual === committed) {
      this.explanations++;
      return true;
    }
    this.failure = describeBreak({ seq: e.seq, reason: 'explanation_mismatch', expected: committed, actual });
    return false;
  }

  /** Checks one line; false = stop (a failure, or the chain broke). */
  line(raw: string): boolean {
    this.lineNo++;
    const text = (this.lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw).trim();
    if (!text) return true;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      return this.fail(null, 'malformed', `line ${this.lineNo} is not JSON: ${(err as Error).message}`);
    }
    const problem = malformed(value);
    if (problem) return this.fail(value, 'malformed', problem);
    const entry = value as StoredChainEntry;
    if (!this.verifier) {
      // --trust-first: the chain starts at whatever the first entry says it follows.
      if (typeof entry.prev_hash !== 'string' || !/^[0-9a-f]{64}$/.test(entry.prev_hash)) {
        return this.fail(value, 'malformed', 'prev_hash is not 64 lowercase hex characters');
      }
      this.verifier = new ChainVerifier({ expectedPrevHash: entry.prev_hash });
      console.error(`note: trusting the first entry's prev_hash ${entry.prev_hash}; it is not verified`);
    }
    let accepted: boolean;
    try {
      accepted = this.verifier.push(entry);
    } catch (err) {
      return this.fail(value, 'malformed', (err as Error).message);
    }
    if (accepted) {
      if (this.wanted.has(entry.seq)) this.hashAt.set(entry.seq, entry.hash);
      return this.explanation(value as ExportLine);
    }
    const result = this.verifier.result();
    if (!result.ok) this.failure = describeBreak(result.firstBreak);
    return false;
  }
}

/** Prints the verdict; returns the exit code. */
function report(checker: ExportChecker, path: string): number {
  if (checker.failure) {
    console.log(checker.failure);
    const count = checker.verifier?.result().count ?? 0;
    console.error(`(line ${checker.lineNo} of ${path}; ${count} entries verified before it)`);
    return 1;
  }
  // --trust-first on an empty file: there is no chain, so no last hash either.
  const result = checker.verifier?.result() ?? { ok: true as const, count: 0, lastSeq: null, lastHash: 'none' };
  if (!result.ok) {
    console.log(describeBreak(result.firstBreak));
    return 1;
  }
  console.log(
    `OK: ${result.count} entries verified, last seq ${result.lastSeq ?? 'none'}, last hash ${result.lastHash}; ` +
      `${checker.explanations} explanations match their entries`,
  );
  const cp = checkCheckpoints(checker.hashAt);
  for (const line of cp.lines) console.log(line);
  return cp.ok ? 0 : 1;
}

async function main(): Promise<number> {
  const input = await openInput(file);
  if (!input) return 2;
  const checker = new ExportChecker({ prevHash: prevHashArg, trustFirst: values['trust-first'] });
  const rl = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const raw of rl) if (!checker.line(raw)) break;
  } catch (err) {
    console.error(`verify-ledger: cannot read ${file}: ${(err as Error).message}`);
    return 2;
  } finally {
    rl.close();
    if (input !== process.stdin) input.destroy?.();
  }
  return report(checker, file);
}

process.exitCode = await main();
