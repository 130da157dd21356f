import { Transform, type TransformCallback } from 'node:stream';

/**
 * Turns the rows of a `COPY … TO STDOUT (FORMAT binary)` stream into output bytes without
 * parsing or re-encoding any value: header (11-byte signature, flags, extension), then per row a
 * field count (int16, -1 ends the data) and per field its int32 length (-1 = NULL) and bytes.
 * A `RowFormat` says how a row's fields become output (for one text column: its bytes as they
 * are). Each incoming chunk becomes at most one output buffer, and every byte of it is copied
 * once, into that buffer; only a row split between two chunks is copied again (its own bytes).
 */
export interface RowFormat {
  /** Columns per row. */
  readonly fields: number;
  /** Output bytes of one row. `at[i]`/`len[i]`: field i's offset in `buf` and length (-1: NULL). */
  size(buf: Buffer, at: Int32Array, len: Int32Array): number;
  /** Writes the row at `out[pos…]`, returns the position after it. */
  write(buf: Buffer, at: Int32Array, len: Int32Array, out: Buffer, pos: number): number;
}

/** One non-null text column, forwarded as it is (the CSV export's lines). */
export const SINGLE_COLUMN: RowFormat = {
  fields: 1,
  size(_buf, _at, len) {
    if (len[0]! < 0) throw new Error('export: unexpected NULL line');
    return len[0]!;
  },
  write(buf, at, len, out, pos) {
    return pos + buf.copy(out, pos, at[0]!, at[0]! + len[0]!);
  },
};

const HEADER = 19;

/** A complete row found in a buffer: where its fields are. */
interface Row {
  buf: Buffer;
  at: Int32Array;
  len: Int32Array;
}

export class BinaryCopyRows extends Transform {
  #pending: Buffer = Buffer.alloc(0);
  #headerDone = false;
  #ended = false;

  /** `prefix` is written first (the CSV header). */
  constructor(
    private readonly format: RowFormat = SINGLE_COLUMN,
    prefix = '',
  ) {
    super();
    if (prefix) this.push(prefix);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      let data = chunk;
      if (!this.#headerDone) {
        data = this.#pending.length ? Buffer.concat([this.#pending, chunk]) : chunk;
        this.#pending = Buffer.alloc(0);
        if (data.length < HEADER || data.length < HEADER + data.readInt32BE(15)) return this.#keep(data, done);
        data = data.subarray(HEADER + data.readInt32BE(15));
        this.#headerDone = true;
      }
      const rows: Row[] = [];
      if (this.#pending.length && !this.#ended) {
        // The row split between the last chunk and this one: complete it from this chunk's start.
        const need = this.#rowLength(this.#pending, data);
        if (need === null || need > this.#pending.length + data.length) return this.#keep(Buffer.concat([this.#pending, data]), done);
        if (need !== 2) {
          const taken = need - this.#pending.length;
          const row = Buffer.concat([this.#pending, data.subarray(0, taken)]);
          this.#parse(row, rows);
          data = data.subarray(taken);
        } else {
          this.#ended = true; // the end marker itself was split
        }
        this.#pending = Buffer.alloc(0);
      }
      const rest = this.#ended ? data.length : this.#parse(data, rows);
      this.#emit(rows);
      if (rest < data.length && !this.#ended) return this.#keep(data.subarray(rest), done);
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    if (!this.#ended || this.#pending.length) return done(new Error('export: the COPY stream ended early'));
    done();
  }

  /** Parses whole rows from `buf` into `rows`; returns where the first incomplete row starts. */
  #parse(buf: Buffer, rows: Row[]): number {
    const n = this.format.fields;
    let pos = 0;
    while (buf.length - pos >= 2) {
      const fields = buf.readInt16BE(pos);
      if (fields === -1) {
        this.#ended = true;
        return buf.length;
      }
      if (fields !== n) throw new Error(`export: expected ${n} column(s) per row, got ${fields}`);
      const at = new Int32Array(n);
      const len = new Int32Array(n);
      let p = pos + 2;
      let complete = true;
      for (let i = 0; i < n; i++) {
        if (buf.length - p < 4) {
          complete = false;
          break;
        }
        const l = buf.readInt32BE(p);
        p += 4;
        if (l > 0 && buf.length - p < l) {
          complete = false;
          break;
        }
        at[i] = p;
        len[i] = l;
        if (l > 0) p += l;
      }
      if (!complete) return pos;
      rows.push({ buf, at, len });
      pos = p;
    }
    return pos;
  }

  /** Length of the row starting `head` and continuing in `tail` (2 for the end marker); null until its field headers are all there. */
  #rowLength(head: Buffer, tail: Buffer): number | null {
    const byte = (i: number) => (i < head.length ? head[i]! : tail[i - head.length]!);
    const total = head.length + tail.length;
    const int = (i: number, size: 2 | 4) => {
      let v = 0;
      for (let k = 0; k < size; k++) v = v * 256 + byte(i + k);
      return size === 2 ? (v << 16) >> 16 : v | 0;
    };
    if (total < 2) return null;
    if (int(0, 2) === -1) return 2;
    let p = 2;
    for (let i = 0; i < this.format.fields; i++) {
      if (total - p < 4) return null;
      const l = int(p, 4);
      p += 4 + Math.max(l, 0);
    }
    return p;
  }

  /** One output buffer for these rows: sized first, then every row written into it once. */
  #emit(rows: Row[]): void {
    if (!rows.length) return;
    let size = 0;
    for (const r of rows) size += this.format.size(r.buf, r.at, r.len);
    const out = Buffer.allocUnsafe(size);
    let pos = 0;
    for (const r of rows) pos = this.format.write(r.buf, r.at, r.len, out, pos);
    if (pos !== size) throw new Error(`export: wrote ${pos} bytes of ${size}`);
    this.push(out);
  }

  #keep(buf: Buffer, done: TransformCallback): void {
    // Copy the tail: it must not pin the (large) chunk it came from.
    this.#pending = Buffer.from(buf);
    done();
  }
}
