import { Transform, type TransformCallback } from 'node:stream';

/**
 * Strips the framing of a single-column `COPY … (FORMAT binary)` stream and forwards each
 * value's bytes untouched: header (11-byte signature, flags, extension), then per row a field
 * count (int16, -1 ends the data) and the value's int32 length and bytes.
 */
export class BinaryCopyValues extends Transform {
  #pending: Buffer = Buffer.alloc(0);
  #headerDone = false;
  #ended = false;

  /** `prefix` is written first (the CSV header). */
  constructor(prefix = '') {
    super();
    if (prefix) this.push(prefix);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let buf = this.#pending.length ? Buffer.concat([this.#pending, chunk]) : chunk;
    let at = 0;
    if (!this.#headerDone) {
      if (buf.length < 19) return this.#keep(buf, 0, done);
      const extension = buf.readInt32BE(15);
      if (buf.length < 19 + extension) return this.#keep(buf, 0, done);
      at = 19 + extension;
      this.#headerDone = true;
    }
    const values: Buffer[] = [];
    while (!this.#ended && buf.length - at >= 2) {
      const fields = buf.readInt16BE(at);
      if (fields === -1) {
        this.#ended = true;
        at += 2;
        break;
      }
      if (fields !== 1) return done(new Error(`export: expected one column per row, got ${fields}`));
      if (buf.length - at < 6) break;
      const length = buf.readInt32BE(at + 2);
      if (length < 0) return done(new Error('export: unexpected NULL line'));
      if (buf.length - at < 6 + length) break;
      values.push(buf.subarray(at + 6, at + 6 + length));
      at += 6 + length;
    }
    // One push per incoming chunk: the values are copied once, into one buffer.
    if (values.length) this.push(values.length === 1 ? Buffer.from(values[0]!) : Buffer.concat(values));
    buf = buf.subarray(at);
    this.#keep(buf, 0, done);
  }

  override _flush(done: TransformCallback): void {
    if (!this.#ended || this.#pending.length) return done(new Error('export: the COPY stream ended early'));
    done();
  }

  #keep(buf: Buffer, from: number, done: TransformCallback): void {
    // Copy the tail: it must not pin the (large) chunk it came from.
    this.#pending = buf.length - from ? Buffer.from(buf.subarray(from)) : Buffer.alloc(0);
    done();
  }
}
