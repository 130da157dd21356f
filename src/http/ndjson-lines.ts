/**
 * Splits an NDJSON byte stream into lines in time linear in its length, with a cap on a line's
 * length. Each read is scanned once for line breaks (`\n`, `\r`, or both: an empty line between
 * is not reported); the bytes of an unfinished line are kept as slices, never re-joined or
 * re-scanned, and joined once, when the line ends. A line that grows past `maxLineBytes` stops
 * being kept: its further bytes are dropped as they arrive and it is reported as an
 * `OverlongLine` with its length, so a hostile body holds at most one line's worth of memory.
 * Bytes are decoded per line (UTF-8, invalid sequences as U+FFFD): a line break byte is never
 * part of a multi-byte character, so this equals decoding the whole stream.
 */
export class OverlongLine {
  constructor(readonly bytes: number) {}
}

export type NdjsonLine = string | OverlongLine;

const LF = 0x0a;
const CR = 0x0d;

class LineAssembler {
  private parts: Buffer[] = [];
  private length = 0;
  private overlong = false;

  constructor(private readonly maxLineBytes: number) {}

  get empty() {
    return this.length === 0;
  }

  add(buf: Buffer, start: number, end: number) {
    if (end <= start) return;
    this.length += end - start;
    if (this.overlong) return;
    if (this.length > this.maxLineBytes) {
      this.overlong = true;
      this.parts = [];
      return;
    }
    this.parts.push(buf.subarray(start, end));
  }

  finish(): NdjsonLine {
    const line = this.overlong
      ? new OverlongLine(this.length)
      : this.parts.length === 1
        ? this.parts[0]!.toString('utf8')
        : Buffer.concat(this.parts, this.length).toString('utf8');
    this.parts = [];
    this.length = 0;
    this.overlong = false;
    return line;
  }
}

/** The lines of `input`, one array per read that ended at least one line; empty lines are skipped. */
export async function* ndjsonLines(input: AsyncIterable<Buffer | string>, maxLineBytes: number): AsyncGenerator<NdjsonLine[]> {
  if (!(Number.isSafeInteger(maxLineBytes) && maxLineBytes > 0)) throw new RangeError('maxLineBytes must be a positive integer');
  const line = new LineAssembler(maxLineBytes);
  for await (const data of input) {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const lines: NdjsonLine[] = [];
    let start = 0;
    // The next LF and the next CR, each searched again only once passed: one scan per byte.
    let lf = buf.indexOf(LF);
    let cr = buf.indexOf(CR);
    for (;;) {
      const end = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
      if (end < 0) break;
      line.add(buf, start, end);
      if (!line.empty) lines.push(line.finish());
      start = end + 1;
      if (end === lf) lf = buf.indexOf(LF, start);
      if (end === cr) cr = buf.indexOf(CR, start);
    }
    line.add(buf, start, buf.length);
    if (lines.length) yield lines;
  }
  if (!line.empty) yield [line.finish()];
}
