import { Readable } from 'node:stream';
import { text as readText } from 'node:stream/consumers';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createContext, type AppContext } from '../../src/context.js';
import { available, funders } from '../../src/ledger/accounts.js';
import { verifyChain } from '../../src/ledger/hash-chain.js';
import { createLogger } from '../../src/logger.js';
import { CSV_COLUMNS, openExport } from '../../src/services/exports.js';
import { NDJSON_ROW, csvTextSql, ndjsonLine } from '../../src/repositories/exports.js';
import { BinaryCopyRows, SINGLE_COLUMN, type RowFormat } from '../../src/db/binary-copy.js';
import { csvText } from '../../src/domain/csv.js';
import type { EntryDraft } from '../../src/services/ledger.js';
import { sealAll } from '../../src/services/ledger-sealer.js';
import { parseCsv } from '../support/csv.js';
import { freshDatabaseUrl } from '../support/db.js';
import { adminActor } from '../support/admin.js';
import { openPostgres } from '../../src/db/database.js';

/** `COPY … TO STDOUT (FORMAT binary)` framing of rows (null = SQL NULL), as PostgreSQL writes it. */
function binaryCopy(rows: Array<Array<string | null>>): Buffer {
  const header = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
  const body = rows.map((fields) => {
    const count = Buffer.alloc(2);
    count.writeInt16BE(fields.length, 0);
    return Buffer.concat([
      count,
      ...fields.map((v) => {
        const data = v === null ? Buffer.alloc(0) : Buffer.from(v, 'utf8');
        const len = Buffer.alloc(4);
        len.writeInt32BE(v === null ? -1 : data.length, 0);
        return Buffer.concat([len, data]);
      }),
    ]);
  });
  const trailer = Buffer.alloc(2);
  trailer.writeInt16BE(-1, 0);
  return Buffer.concat([header, ...body, trailer]);
}

function chunked(buf: Buffer, cuts: number[]): Buffer[] {
  const at = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
  const parts: Buffer[] = [];
  let from = 0;
  for (const c of [...at, buf.length]) {
    parts.push(buf.subarray(from, c));
    from = c;
  }
  return parts.filter((p) => p.length);
}

/** A three-column test format: the fields joined by `|`, NULL written as `∅`, one per line. */
const PIPES: RowFormat = {
  fields: 3,
  size: (buf, at, len) => [0, 1, 2].reduce((n, i) => n + (len[i]! < 0 ? Buffer.byteLength('∅') : len[i]!), 0) + 3,
  write(buf, at, len, out, pos) {
    for (let i = 0; i < 3; i++) {
      pos += len[i]! < 0 ? out.write('∅', pos) : buf.copy(out, pos, at[i]!, at[i]! + len[i]!);
      pos += out.write(i < 2 ? '|' : '\n', pos);
    }
    return pos;
  },
};

describe('BinaryCopyRows', () => {
  it('forwards exactly the values of a one-column stream, however it is cut', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: 'binary' }), { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 40 }), async (values, cuts) => {
        const out = await readText(Readable.from(chunked(binaryCopy(values.map((v) => [v])), cuts)).pipe(new BinaryCopyRows(SINGLE_COLUMN, 'H')));
        expect(out).toBe('H' + values.join(''));
      }),
      { numRuns: 200 },
    );
  });

  it('assembles rows of several columns with NULLs, however the stream is cut, one output buffer per input chunk at most', async () => {
    const field = fc.option(fc.string({ unit: 'binary', maxLength: 40 }), { nil: null });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(field, field, field), { maxLength: 25 }), fc.array(fc.nat(), { maxLength: 40 }), async (rows, cuts) => {
        const chunks = chunked(binaryCopy(rows), cuts);
        const rowsOut = new BinaryCopyRows(PIPES);
        let pushes = 0;
        rowsOut.on('data', () => pushes++);
        const out = await readText(Readable.from(chunks).pipe(rowsOut));
        expect(out).toBe(rows.map((r) => r.map((v) => v ?? '∅').join('|') + '\n').join(''));
        expect(pushes).toBeLessThanOrEqual(chunks.length);
      }),
      { numRuns: 200 },
    );
  });

  it('NDJSON rows are assembled byte for byte as ndjsonLine writes them', async () => {
    const hex = fc.stringMatching(/^[0-9a-f]{64}$/);
    const part = fc.record({
      prev_hash: hex,
      hash: hex,
      award: fc.option(fc.tuple(fc.string({ unit: 'binary', maxLength: 60 }), fc.json()), { nil: null }),
      canonical: fc.json().map((j) => `{"x":${j}}`),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(part, { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 30 }), async (parts, cuts) => {
        const rows = parts.map((p) => ({
          prev_hash: p.prev_hash,
          hash: p.hash,
          award_head: p.award?.[0] ?? null,
          award_explanation: p.award?.[1] ?? null,
          canonical: p.canonical,
        }));
        const copy = binaryCopy(rows.map((r) => [r.prev_hash, r.hash, r.award_head, r.award_explanation, r.canonical]));
        const out = await readText(Readable.from(chunked(copy, cuts)).pipe(new BinaryCopyRows(NDJSON_ROW)));
        expect(out).toBe(rows.map(ndjsonLine).join(''));
      }),
      { numRuns: 200 },
    );
  });

  it('fails on a stream that ends before its trailer, and on an award without its explanation', async () => {
    const whole = binaryCopy([['a\n'], ['b\n']]);
    await expect(readText(Readable.from([whole.subarray(0, whole.length - 3)]).pipe(new BinaryCopyRows()))).rejects.toThrow(/ended early/);
    const orphan = binaryCopy([['0'.repeat(64), '1'.repeat(64), '{"id":"x","explanation":', null, '{}']]);
    await expect(readText(Readable.from([orphan]).pipe(new BinaryCopyRows(NDJSON_ROW)))).rejects.toThrow(/without its explanation/);
  });
});

/**
 * Memos that need escaping in both formats: quotes, commas, line breaks, backslashes, unicode;
 * and one starting with each character a spreadsheet reads as a formula.
 */
const FORMULAS = ['=1+1', '+SUM(A1:A9)', '-2+3', '@SUM(A1)', '\t=1+1', '\r=1+1', '=HYPERLINK("http://example.invalid","x")'];
const MEMOS = ['plain', 'comma, and "quotes"', 'line\nbreak\r\nand tab\t', 'back\\slash \\" é ø 😀', ...FORMULAS, null];
/** What a spreadsheet shows of a CSV text cell: a formula's first character is preceded by `'`. */
const shown = (memo: string | null) => (memo === null ? '' : /^[=+\-@\t\r]/.test(memo) ? `'${memo}` : memo);

describe.each([
  ['embedded PGlite (keyset pages)', 'pglite'],
  ['PostgreSQL (binary COPY stream)', 'postgres'],
] as const)('exports on %s', (_label, kind) => {
  let ctx: AppContext;
  let fund: string;

  // A fresh embedded PGlite applies every migration in WebAssembly: over a minute on a loaded 2-core machine.
  beforeAll(async () => {
    const env = kind === 'postgres' ? { DATABASE_URL: await freshDatabaseUrl(), PG_POOL_MAX: '3' } : {};
    ctx = await createContext(loadConfig({ ...env, LOG_LEVEL: 'silent' }), createLogger('silent'), { inMemory: true });
    expect(ctx.database.kind).toBe(kind);
    fund = (await ctx.services.funds.create(await adminActor(ctx), { name: 'F' })).id;
    const drafts: EntryDraft[] = MEMOS.map((memo, i) => ({
      kind: 'deposit',
      fundId: fund,
      memo,
      lines: [
        { account: funders(fund), amount: -BigInt(i + 1) },
        { account: available(fund), amount: BigInt(i + 1) },
      ],
    }));
    await ctx.db.transaction().execute((trx) => ctx.services.ledger.post(trx, drafts));
    await sealAll(ctx.db);
  }, 180_000);

  afterAll(async () => {
    await ctx?.close();
  });

  it('NDJSON: one verifiable line per entry, memos intact', async () => {
    const exp = await openExport(ctx.database, 'ndjson', {}, { pageSize: 2 });
    const text = await readText(exp.stream);
    expect(text.endsWith('\n')).toBe(true);
    const entries = text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(entries.map((e) => e.memo)).toEqual(MEMOS);
    expect(entries.map((e) => e.award)).toEqual(MEMOS.map(() => null));
    const result = verifyChain(entries);
    expect(result).toMatchObject({ ok: true, count: MEMOS.length, lastHash: exp.head.hash });
  });

  it('CSV: a header and one row per line, fields intact', async () => {
    const exp = await openExport(ctx.database, 'csv', { fromSeq: 2n }, { pageSize: 2 });
    const rows = parseCsv(await readText(exp.stream));
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    const body = rows.slice(1);
    expect(body).toHaveLength((MEMOS.length - 1) * 2);
    const memo = CSV_COLUMNS.indexOf('memo');
    const amount = CSV_COLUMNS.indexOf('amount_ore');
    expect(body.filter((_, i) => i % 2 === 0).map((r) => r[memo])).toEqual(MEMOS.slice(1).map(shown));
    // Negative amounts are numbers, not neutralised text: `-2`, not `'-2`.
    expect(body.map((r) => r[amount])).toEqual(MEMOS.slice(1).flatMap((_, i) => [String(-(i + 2)), String(i + 2)]));
    for (const f of FORMULAS)
      expect(
        body.some((r) => r[memo] === `'${f}`),
        f,
      ).toBe(true);
  });

  // PostgreSQL only (the embedded database holds no connection per export): registered, not skipped.
  if (kind === 'postgres')
    it('exports run on a pool of their own whose connections outlive any idle time; an abandoned export discards its connection', async () => {
      // The main pool here drops a connection idle for 200 ms; an export connection is kept.
      const database = await openPostgres(ctx.config.DATABASE_URL!, { max: 2, exports: 1, idleMs: 200 });
      const opened: unknown[] = [];
      const removed: unknown[] = [];
      const mainRemoved: unknown[] = [];
      database.exportPool!.on('connect', (c) => opened.push(c));
      database.exportPool!.on('remove', (c) => removed.push(c));
      database.pool!.on('remove', (c) => mainRemoved.push(c));
      const idle = async (ms: number) => {
        for (let i = 0; i < 200 && database.exportPool!.idleCount < database.exportPool!.totalCount; i++) await new Promise((r) => setTimeout(r, 10));
        await new Promise((r) => setTimeout(r, ms));
      };
      try {
        for (const format of ['ndjson', 'csv', 'ndjson'] as const) {
          const exp = await openExport(database, format, {});
          expect((await readText(exp.stream)).length).toBeGreaterThan(0);
          await idle(600);
        }
        // One backend served the three exports, though each idled thrice the main pool's limit
        // (which did drop its own idle connections meanwhile): a new backend pays again for
        // its first touch of every shared buffer page (BENCHMARKS.md, sixth session).
        expect(opened).toHaveLength(1);
        expect(removed).toHaveLength(0);
        expect(mainRemoved.length).toBeGreaterThan(0);
        const exp = await openExport(database, 'ndjson', {});
        exp.stream.destroy();
        await idle(50);
        // Mid-COPY, the connection cannot be reused: it is discarded, and the next export opens one.
        expect(removed).toEqual([opened[0]]);
        expect((await readText((await openExport(database, 'csv', {})).stream)).length).toBeGreaterThan(0);
        expect(opened).toHaveLength(2);
      } finally {
        await database.close();
      }
    });

  it('CSV text cells: the SQL neutraliser equals domain/csv.ts csvText for any text, each formula character included', async () => {
    const text = fc
      .oneof(
        fc.string({ unit: 'grapheme' }),
        fc.tuple(fc.constantFrom('=', '+', '-', '@', '\t', '\r', "'", '"', ',', '\n', ' '), fc.string()).map(([a, b]) => a + b),
      )
      .filter((s) => !s.includes('\u0000'));
    await fc.assert(
      fc.asyncProperty(fc.array(text, { minLength: 1, maxLength: 20 }), async (values) => {
        const rows = await sql<{
          cell: string;
        }>`SELECT ${csvTextSql(sql`v`)} AS cell FROM unnest(${values}::text[]) WITH ORDINALITY AS t(v, n) ORDER BY n`.execute(ctx.db);
        expect(rows.rows.map((r) => r.cell)).toEqual(values.map(csvText));
      }),
      { numRuns: 100 },
    );
    const nul = await sql<{ cell: string }>`SELECT ${csvTextSql(sql`NULL::text`)} AS cell`.execute(ctx.db);
    expect(nul.rows[0]!.cell).toBe('');
  });
});
