import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/domain/canonical-json.js';
import { ChainVerifier, GENESIS_HASH, entryHash, verifyChain, type ChainEntry, type StoredChainEntry } from '../../src/ledger/hash-chain.js';

const FUND = '6f1c2a8e-7a43-4c1e-9d2b-0c3e5f7a9b11';
const AWARD = '0b5d7f9e-1c3a-4e6b-8d0f-2a4c6e8b0d13';

function chain(entries: ChainEntry[], prev = GENESIS_HASH): StoredChainEntry[] {
  const out: StoredChainEntry[] = [];
  for (const e of entries) {
    const hash = entryHash(prev, e);
    out.push({ ...e, prev_hash: prev, hash });
    prev = hash;
  }
  return out;
}

function sample(): ChainEntry[] {
  return [
    {
      seq: 1,
      entry_id: 'e-1',
      posted_at: '2024-03-01T10:00:00.000Z',
      kind: 'deposit',
      fund_id: FUND,
      award_id: null,
      memo: 'Tilskud fra fond – første rate',
      lines: [
        { account: 'external:funder', amount_ore: -1_000_000n },
        { account: `fund:${FUND}:available`, amount_ore: 1_000_000n },
      ],
    },
    {
      seq: 2,
      entry_id: 'e-2',
      posted_at: '2024-03-02T10:00:00.000Z',
      kind: 'reserve',
      fund_id: FUND,
      award_id: AWARD,
      memo: null,
      lines: [
        { account: `fund:${FUND}:available`, amount_ore: -250_000 },
        { account: `fund:${FUND}:reserved`, amount_ore: 250_000 },
      ],
    },
    {
      seq: 3,
      entry_id: 'e-3',
      posted_at: '2024-03-20T10:00:00.000Z',
      kind: 'finalise',
      fund_id: FUND,
      award_id: AWARD,
      memo: null,
      lines: [
        { account: `fund:${FUND}:reserved`, amount_ore: -250_000n },
        { account: `fund:${FUND}:payable:101001`, amount_ore: 166_667n },
        { account: `fund:${FUND}:payable:101002`, amount_ore: 83_333n },
      ],
    },
    {
      seq: 4,
      entry_id: 'e-4',
      posted_at: '2024-04-01T08:00:00.000Z',
      kind: 'payment',
      fund_id: FUND,
      award_id: null,
      memo: 'run 2024-04',
      lines: [
        { account: `fund:${FUND}:payable:101001`, amount_ore: -166_667n },
        { account: `fund:${FUND}:payable:101002`, amount_ore: -83_333n },
        { account: 'external:paid_out', amount_ore: 250_000n },
      ],
    },
  ];
}

describe('entryHash', () => {
  it('is SHA-256(prev_hash_hex ‖ JCS(entry)) over exactly the documented fields', () => {
    const e = sample()[1]!;
    const manual = createHash('sha256')
      .update(GENESIS_HASH + canonicalJson({ ...e, lines: e.lines.map((l) => ({ ...l })) }), 'utf8')
      .digest('hex');
    expect(entryHash(GENESIS_HASH, e)).toBe(manual);
    // Extra properties (e.g. DB columns) are not hashed.
    expect(entryHash(GENESIS_HASH, { ...e, created_by: 'x', lines: e.lines.map((l) => ({ ...l, id: 9 })) } as ChainEntry)).toBe(manual);
  });

  it('hashes bigint and number amounts identically', () => {
    const e = sample()[0]!;
    const asNumber = { ...e, lines: e.lines.map((l) => ({ ...l, amount_ore: Number(l.amount_ore) })) };
    expect(entryHash(GENESIS_HASH, asNumber)).toBe(entryHash(GENESIS_HASH, e));
  });

  it('GENESIS_HASH is 64 zeros', () => {
    expect(GENESIS_HASH).toBe('0'.repeat(64));
  });

  it('rejects malformed prev hash and non-integer amounts', () => {
    const e = sample()[0]!;
    expect(() => entryHash('ABC', e)).toThrow(/prevHash/);
    expect(() => entryHash(GENESIS_HASH.toUpperCase().replace(/0/g, 'A'), e)).toThrow(/prevHash/);
    expect(() => entryHash(GENESIS_HASH, { ...e, lines: [{ account: 'a', amount_ore: 1.5 }] })).toThrow(/amount_ore/);
    expect(() => entryHash(GENESIS_HASH, { ...e, lines: [{ account: 'a', amount_ore: 2n ** 60n }] })).toThrow(/amount_ore/);
  });

  it('is sensitive to line order', () => {
    const e = sample()[2]!;
    expect(entryHash(GENESIS_HASH, { ...e, lines: [...e.lines].reverse() })).not.toBe(entryHash(GENESIS_HASH, e));
  });
});

describe('verifyChain', () => {
  it('accepts a well-formed chain', () => {
    const c = chain(sample());
    expect(verifyChain(c)).toEqual({ ok: true, count: 4, lastSeq: 4, lastHash: c[3]!.hash });
    expect(verifyChain(c, { expectedFirstSeq: 1 }).ok).toBe(true);
  });

  it('accepts an empty chain', () => {
    expect(verifyChain([])).toEqual({ ok: true, count: 0, lastSeq: null, lastHash: GENESIS_HASH });
  });

  it('verifies a segment given the previous hash', () => {
    const c = chain(sample());
    expect(verifyChain(c.slice(2), { expectedPrevHash: c[1]!.hash, expectedFirstSeq: 3 })).toMatchObject({
      ok: true,
      count: 2,
      lastSeq: 4,
    });
    expect(verifyChain(c.slice(2))).toMatchObject({ ok: false, firstBreak: { seq: 3, reason: 'prev_hash_mismatch' } });
  });

  it('detects a changed amount at its seq', () => {
    const c = chain(sample());
    c[2] = { ...c[2]!, lines: c[2]!.lines.map((l, i) => (i === 1 ? { ...l, amount_ore: 166_668n } : l)) };
    const r = verifyChain(c);
    expect(r).toMatchObject({ ok: false, count: 2, firstBreak: { seq: 3, reason: 'hash_mismatch', actual: c[2]!.hash } });
  });

  it('detects a balanced change of amounts (both sides edited) at its seq', () => {
    const c = chain(sample());
    c[1] = {
      ...c[1]!,
      lines: [
        { ...c[1]!.lines[0]!, amount_ore: -1 },
        { ...c[1]!.lines[1]!, amount_ore: 1 },
      ],
    };
    expect(verifyChain(c)).toMatchObject({ ok: false, firstBreak: { seq: 2, reason: 'hash_mismatch' } });
  });

  it('detects an edited entry whose own hash was recomputed at the next seq', () => {
    const c = chain(sample());
    const edited = { ...c[1]!, memo: 'innocent' };
    c[1] = { ...edited, hash: entryHash(edited.prev_hash, edited) };
    expect(verifyChain(c)).toMatchObject({ ok: false, count: 2, firstBreak: { seq: 3, reason: 'prev_hash_mismatch' } });
  });

  it('detects reordering', () => {
    const c = chain(sample());
    const swapped = [c[0]!, c[2]!, c[1]!, c[3]!];
    expect(verifyChain(swapped)).toMatchObject({
      ok: false,
      count: 1,
      firstBreak: { seq: 3, reason: 'seq_gap', expected: '2', actual: '3' },
    });
  });

  it('detects reordered lines within an entry', () => {
    const c = chain(sample());
    c[3] = { ...c[3]!, lines: [c[3]!.lines[1]!, c[3]!.lines[0]!, c[3]!.lines[2]!] };
    expect(verifyChain(c)).toMatchObject({ ok: false, firstBreak: { seq: 4, reason: 'hash_mismatch' } });
  });

  it('detects a removed entry as a seq gap', () => {
    const c = chain(sample());
    expect(verifyChain([c[0]!, c[2]!, c[3]!])).toMatchObject({
      ok: false,
      count: 1,
      firstBreak: { seq: 3, reason: 'seq_gap', expected: '2', actual: '3' },
    });
  });

  it('detects removal of the first entry through the genesis anchor', () => {
    const c = chain(sample());
    expect(verifyChain(c.slice(1))).toMatchObject({
      ok: false,
      count: 0,
      firstBreak: { seq: 2, reason: 'prev_hash_mismatch', expected: GENESIS_HASH, actual: c[0]!.hash },
    });
    expect(verifyChain(c.slice(1), { expectedFirstSeq: 1 })).toMatchObject({
      firstBreak: { seq: 2, reason: 'seq_gap', expected: '1' },
    });
  });

  it('detects removal and renumbering as a prev_hash break', () => {
    const c = chain(sample());
    const renumbered = [c[0]!, { ...c[2]!, seq: 2 }, { ...c[3]!, seq: 3 }];
    expect(verifyChain(renumbered)).toMatchObject({ ok: false, firstBreak: { seq: 2, reason: 'prev_hash_mismatch' } });
  });

  it('detects a broken prev_hash', () => {
    const c = chain(sample());
    c[3] = { ...c[3]!, prev_hash: 'f'.repeat(64) };
    expect(verifyChain(c)).toMatchObject({
      ok: false,
      count: 3,
      firstBreak: { seq: 4, reason: 'prev_hash_mismatch', expected: c[2]!.hash, actual: 'f'.repeat(64) },
    });
  });

  it('detects an unbalanced entry even if its hash is consistent', () => {
    const entries = sample();
    entries[1] = { ...entries[1]!, lines: [...entries[1]!.lines, { account: 'x', amount_ore: 5 }] };
    const c = chain(entries);
    expect(verifyChain(c)).toMatchObject({
      ok: false,
      count: 1,
      firstBreak: { seq: 2, reason: 'unbalanced', expected: '0', actual: '5' },
    });
  });

  it('sums in bigint: large amounts that cancel exactly are balanced', () => {
    const big = Number.MAX_SAFE_INTEGER;
    const c = chain([
      {
        ...sample()[0]!,
        lines: [
          { account: 'a', amount_ore: big },
          { account: 'b', amount_ore: big },
          { account: 'c', amount_ore: -big },
          { account: 'd', amount_ore: -big },
        ],
      },
    ]);
    expect(verifyChain(c).ok).toBe(true);
  });

  it('reports non-integer amounts and unhashable data as breaks instead of throwing', () => {
    const c = chain(sample());
    const fractional = [
      c[0]!,
      {
        ...c[1]!,
        lines: [
          { account: 'a', amount_ore: 0.5 },
          { account: 'b', amount_ore: -0.5 },
        ],
      },
    ];
    expect(verifyChain(fractional)).toMatchObject({ ok: false, firstBreak: { seq: 2, reason: 'unbalanced' } });
    const lone = [{ ...c[0]!, memo: '\ud800' }];
    expect(verifyChain(lone)).toMatchObject({ ok: false, firstBreak: { seq: 1, reason: 'hash_mismatch' } });
  });

  it('rejects a malformed expectedPrevHash option', () => {
    expect(() => verifyChain([], { expectedPrevHash: 'nope' })).toThrow(/expectedPrevHash/);
  });
});

describe('ChainVerifier (streaming)', () => {
  it('verifies one entry at a time from a generator and stops at the first break', () => {
    const c = chain(sample());
    const v = new ChainVerifier();
    expect(v.push(c[0]!)).toBe(true);
    expect(v.push(c[1]!)).toBe(true);
    expect(v.result()).toEqual({ ok: true, count: 2, lastSeq: 2, lastHash: c[1]!.hash });
    expect(v.push(c[3]!)).toBe(false);
    expect(v.push(c[2]!)).toBe(false); // ignored after the break
    expect(v.ok).toBe(false);
    expect(v.result()).toMatchObject({ ok: false, count: 2, firstBreak: { seq: 4, reason: 'seq_gap' } });
  });

  it('handles a long generated chain lazily', () => {
    const n = 5000;
    function* gen(): Generator<StoredChainEntry> {
      let prev = GENESIS_HASH;
      for (let seq = 1; seq <= n; seq++) {
        const e: ChainEntry = {
          seq,
          entry_id: `e-${seq}`,
          posted_at: '2024-01-01T00:00:00.000Z',
          kind: 'deposit',
          fund_id: null,
          award_id: null,
          memo: null,
          lines: [
            { account: 'a', amount_ore: seq },
            { account: 'b', amount_ore: -seq },
          ],
        };
        const hash = entryHash(prev, e);
        yield { ...e, prev_hash: prev, hash };
        prev = hash;
      }
    }
    expect(verifyChain(gen())).toMatchObject({ ok: true, count: n, lastSeq: n });
  });
});

describe('verifyChain: properties', () => {
  const lineArb = fc.record({
    account: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
    amount_ore: fc.oneof(fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }), fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n })),
  });
  // Balanced lines: a closing line makes the sum zero.
  const balancedLines = fc.tuple(fc.array(lineArb, { minLength: 1, maxLength: 5 }), fc.string({ minLength: 1, maxLength: 10 })).map(([lines, acct]) => {
    const sum = lines.reduce((s, l) => s + BigInt(l.amount_ore), 0n);
    return [...lines, { account: acct, amount_ore: -sum }];
  });
  const entryArb = fc.record({
    entry_id: fc.uuid(),
    posted_at: fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }).map((ms) => new Date(ms).toISOString()),
    kind: fc.constantFrom('deposit', 'reserve', 'finalise', 'payment', 'correction'),
    fund_id: fc.option(fc.uuid()),
    award_id: fc.option(fc.uuid()),
    memo: fc.option(fc.string({ unit: 'grapheme', maxLength: 30 })),
    lines: balancedLines,
  });
  const chainArb = fc
    .tuple(fc.integer({ min: 0, max: 1000 }), fc.array(entryArb, { minLength: 1, maxLength: 12 }))
    .map(([start, es]) => ({ start, entries: es.map((e, i) => ({ ...e, seq: start + i })) }));

  type Tamper =
    | { kind: 'amount'; at: number; line: number; delta: number }
    | { kind: 'field'; at: number; field: 'kind' | 'memo' | 'posted_at' | 'entry_id' | 'fund_id' | 'account' }
    | { kind: 'remove'; at: number }
    | { kind: 'swap'; at: number }
    | { kind: 'prev_hash'; at: number }
    | { kind: 'rehash'; at: number };
  const tamperArb: fc.Arbitrary<Tamper> = fc.oneof(
    fc.record({
      kind: fc.constant('amount' as const),
      at: fc.nat(),
      line: fc.nat(),
      delta: fc.integer({ min: 1, max: 1_000_000 }),
    }),
    fc.record({
      kind: fc.constant('field' as const),
      at: fc.nat(),
      field: fc.constantFrom('kind', 'memo', 'posted_at', 'entry_id', 'fund_id', 'account'),
    }),
    fc.record({ kind: fc.constantFrom('remove' as const, 'swap' as const, 'prev_hash' as const, 'rehash' as const), at: fc.nat() }),
  );

  it('an untampered random chain verifies, from genesis or as a segment', () => {
    fc.assert(
      fc.property(chainArb, ({ start, entries }) => {
        const c = chain(entries);
        expect(verifyChain(c, { expectedFirstSeq: start })).toEqual({
          ok: true,
          count: c.length,
          lastSeq: start + c.length - 1,
          lastHash: c[c.length - 1]!.hash,
        });
        const mid = Math.floor(c.length / 2);
        const prev = mid === 0 ? GENESIS_HASH : c[mid - 1]!.hash;
        expect(verifyChain(c.slice(mid), { expectedPrevHash: prev }).ok).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('any single tampering is detected at the right seq with the right reason', () => {
    fc.assert(
      fc.property(chainArb, tamperArb, ({ start, entries }, t) => {
        const c = chain(entries);
        const n = c.length;
        const i = t.at % n;
        const seqAt = (k: number) => start + k;
        let tampered: StoredChainEntry[];
        let expected: { seq: number; reason: string; count: number };

        switch (t.kind) {
          case 'amount': {
            const e = c[i]!;
            const li = t.line % e.lines.length;
            const lines = e.lines.map((l, k) => (k === li ? { ...l, amount_ore: BigInt(l.amount_ore) + BigInt(t.delta) } : l));
            tampered = c.map((x, k) => (k === i ? { ...x, lines } : x));
            expected = { seq: seqAt(i), reason: 'hash_mismatch', count: i };
            break;
          }
          case 'field': {
            const e = c[i]!;
            let changed: StoredChainEntry;
            switch (t.field) {
              case 'kind':
                changed = { ...e, kind: `${e.kind}!` };
                break;
              case 'memo':
                changed = { ...e, memo: e.memo === null ? '' : null };
                break;
              case 'posted_at':
                changed = { ...e, posted_at: e.posted_at.replace('Z', '+00:00') };
                break;
              case 'entry_id':
                changed = { ...e, entry_id: `${e.entry_id}0` };
                break;
              case 'fund_id':
                changed = { ...e, fund_id: e.fund_id === null ? GENESIS_HASH : null };
                break;
              case 'account':
                changed = { ...e, lines: e.lines.map((l, k) => (k === 0 ? { ...l, account: `${l.account}x` } : l)) };
                break;
            }
            tampered = c.map((x, k) => (k === i ? changed : x));
            expected = { seq: seqAt(i), reason: 'hash_mismatch', count: i };
            break;
          }
          case 'remove': {
            // Dropping the last entry is undetectable without an external head hash; pick an inner one.
            fc.pre(n >= 2);
            const r = i % (n - 1);
            tampered = c.filter((_, k) => k !== r);
            // Removing the first entry breaks the genesis link; later ones leave a seq gap.
            expected = r === 0 ? { seq: seqAt(1), reason: 'prev_hash_mismatch', count: 0 } : { seq: seqAt(r + 1), reason: 'seq_gap', count: r };
            break;
          }
          case 'swap': {
            fc.pre(n >= 2);
            const a = i % (n - 1);
            tampered = [...c];
            tampered[a] = c[a + 1]!;
            tampered[a + 1] = c[a]!;
            expected = a === 0 ? { seq: seqAt(1), reason: 'prev_hash_mismatch', count: 0 } : { seq: seqAt(a + 1), reason: 'seq_gap', count: a };
            break;
          }
          case 'prev_hash': {
            const bad = createHash('sha256').update(`bad${i}`).digest('hex');
            tampered = c.map((x, k) => (k === i ? { ...x, prev_hash: bad } : x));
            expected = { seq: seqAt(i), reason: 'prev_hash_mismatch', count: i };
            break;
          }
          case 'rehash': {
            // Forger edits an entry and recomputes its own hash: the next link breaks.
            fc.pre(n >= 2);
            const r = i % (n - 1);
            const e = { ...c[r]!, memo: `${c[r]!.memo ?? ''}forged` };
            tampered = c.map((x, k) => (k === r ? { ...e, hash: entryHash(e.prev_hash, e) } : x));
            expected = { seq: seqAt(r + 1), reason: 'prev_hash_mismatch', count: r + 1 };
            break;
          }
        }

        const res = verifyChain(tampered);
        expect(res.ok).toBe(false);
        if (res.ok) return;
        expect({ seq: res.firstBreak.seq, reason: res.firstBreak.reason, count: res.count }).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});
