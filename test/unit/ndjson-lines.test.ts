import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ndjsonLines, OverlongLine, type NdjsonLine } from '../../src/http/ndjson-lines.js';

async function* pieces(parts: Buffer[]) {
  for (const p of parts) yield p;
}

async function collect(parts: Buffer[], max: number): Promise<NdjsonLine[]> {
  const out: NdjsonLine[] = [];
  for await (const lines of ndjsonLines(pieces(parts), max)) out.push(...lines);
  return out;
}

/** The reference: split the whole text at every CR or LF, drop empty lines, refuse long ones. */
function reference(bytes: Buffer, max: number): NdjsonLine[] {
  const out: NdjsonLine[] = [];
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 0x0a && bytes[i] !== 0x0d) continue;
    const len = i - start;
    if (len > 0) out.push(len > max ? new OverlongLine(len) : bytes.subarray(start, i).toString('utf8'));
    start = i + 1;
  }
  return out;
}

/** `bytes` cut at the given positions. */
function cut(bytes: Buffer, at: number[]): Buffer[] {
  const points = [...new Set(at.map((a) => a % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: Buffer[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    parts.push(bytes.subarray(prev, p));
    prev = p;
  }
  return parts;
}

describe('ndjsonLines', () => {
  it('gives the lines of the whole text however the stream is cut into reads (multi-byte characters, CR, LF, CRLF)', async () => {
    const text = fc
      .array(fc.oneof(fc.constantFrom('\n', '\r', '\r\n', 'æ', '😀', '{"a":1}', 'x'), fc.string({ maxLength: 30 })), { maxLength: 40 })
      .map((a) => a.join(''));
    await fc.assert(
      fc.asyncProperty(text, fc.array(fc.nat(), { maxLength: 12 }), fc.integer({ min: 1, max: 40 }), async (t, at, max) => {
        const bytes = Buffer.from(t, 'utf8');
        expect(await collect(cut(bytes, at), max)).toEqual(reference(bytes, max));
      }),
      { numRuns: 500 },
    );
  });

  it('counts a line in bytes: exactly the limit is a line, one byte more is refused with its length', async () => {
    const atLimit = 'æ'.repeat(8); // 16 bytes
    expect(await collect([Buffer.from(`${atLimit}\n${atLimit}x\nok`)], 16)).toEqual([atLimit, new OverlongLine(17), 'ok']);
  });

  it('keeps no more than the limit of an over-long line, however long it grows', async () => {
    const mib = Buffer.alloc(1024 * 1024, 'x');
    const parts = Array.from({ length: 20 }, () => mib);
    const before = process.memoryUsage().arrayBuffers;
    let peak = before;
    const out: NdjsonLine[] = [];
    async function* watched() {
      for (const p of parts) {
        peak = Math.max(peak, process.memoryUsage().arrayBuffers);
        yield p;
      }
    }
    for await (const lines of ndjsonLines(watched(), 1024)) out.push(...lines);
    expect(out).toEqual([new OverlongLine(20 * 1024 * 1024)]);
    // The 1 MiB piece is shared; nothing grows with the line (20 MiB if it were kept).
    expect(peak - before).toBeLessThan(8 * 1024 * 1024);
  });

  it('refuses a limit that is not a positive integer', async () => {
    await expect(collect([Buffer.from('x')], 0)).rejects.toThrow(RangeError);
  });
});
