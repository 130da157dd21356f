import { PassThrough, type Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ProblemError } from './problem.js';
import { refusedValueAt } from './schemas.js';
import { ndjsonLines, OverlongLine } from './ndjson-lines.js';
import { RefusedLine } from '../services/batch-items.js';

/**
 * Shared machinery of the batch endpoints: a JSON array (at most MAX_JSON_ITEMS) answered with
 * one JSON document, or an NDJSON stream (at most NDJSON_MAX_BODY_BYTES and NDJSON_MAX_ITEMS)
 * read in chunks and answered as an NDJSON stream of per-item results. Each chunk is one
 * transaction, so a failure part-way leaves every earlier chunk stored — and already reported
 * to the client.
 */
export const MAX_JSON_ITEMS = 10_000;
export const CHUNK = 1_000;

export type BatchOutcome = 'accepted' | 'corrected' | 'unchanged' | 'rejected';
export interface BatchResult {
  index: number;
  outcome: BatchOutcome | string;
}

/**
 * Handles one chunk. `previous` is given only to a handler registered with `overlap`: the chunk
 * before, still being stored; the handler may check its items at once but must store them only
 * after `previous` settles (and not at all if it fails).
 */
export type ChunkHandler<R extends BatchResult> = (items: unknown[], offset: number, previous?: Promise<unknown>) => Promise<R[]>;

/** The default of NDJSON_MAX_LINE_BYTES. */
export const MAX_LINE_BYTES = 64 * 1024;
/** The defaults of NDJSON_MAX_BODY_BYTES and NDJSON_MAX_ITEMS: a million children's measurements (~3.2 million lines, ~415 MB) fit. */
export const MAX_NDJSON_BODY_BYTES = 1024 * 1024 * 1024;
export const MAX_NDJSON_ITEMS = 5_000_000;
const MALFORMED = new RefusedLine(400, 'is not valid JSON');
/** Lines that may hold a number JSON cannot carry exactly (≥ 16 digits, or an exponent): checked in full. */
const MAYBE_INEXACT = /\d{16}|\d[eE]/;

export interface BatchOptions {
  /** NDJSON: the longest line read (bytes); a longer one is refused as an item, 413. */
  maxLineBytes?: number;
  /** Items per chunk (one transaction each); default CHUNK. */
  chunk?: number;
  /** NDJSON: read and check chunk n+1 while chunk n is stored (one chunk in flight). */
  overlap?: boolean;
  /** NDJSON: the most bytes read; the lines that end within them are processed, then the batch is refused (413). */
  maxBodyBytes?: number;
  /** NDJSON: the most items processed; the batch is refused (413) at the next one. */
  maxItems?: number;
}

/** An NDJSON batch over one of its limits: the stream stops there (413, naming `body`). */
class BatchOverLimit extends Error {
  constructor(readonly problem: ProblemError) {
    super(problem.message);
  }
}

function tooManyBytes(maxBytes: number, declared?: number): ProblemError {
  const message = declared === undefined ? `is longer than ${maxBytes} bytes` : `is ${declared} bytes (Content-Length); at most ${maxBytes}`;
  // Refused up front, the body is not read: the connection closes after the answer (as for BODY_LIMIT_BYTES).
  const headers: Record<string, string> = declared === undefined ? {} : { connection: 'close' };
  return new ProblemError(
    413,
    'too-large',
    `An NDJSON batch may hold at most ${maxBytes} bytes (NDJSON_MAX_BODY_BYTES); split it.`,
    [{ field: 'body', message }],
    {},
    headers,
  );
}

function tooManyItems(maxItems: number): ProblemError {
  return new ProblemError(413, 'too-large', `An NDJSON batch may hold at most ${maxItems} items (NDJSON_MAX_ITEMS); split it.`, [
    { field: 'body', message: `has more than ${maxItems} items` },
  ]);
}

/**
 * The bytes of `input` up to `maxBytes`; at the first byte past them, the bytes within are
 * passed on and the stream ends in a BatchOverLimit (so an unfinished last line is never taken
 * for an item). The request is not destroyed when reading stops: the answer still has to go out.
 */
async function* capped(input: Readable, maxBytes: number): AsyncGenerator<Buffer> {
  let seen = 0;
  for await (const data of input.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer | string>) {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    if (seen + buf.length > maxBytes) {
      if (maxBytes > seen) yield buf.subarray(0, maxBytes - seen);
      throw new BatchOverLimit(tooManyBytes(maxBytes));
    }
    seen += buf.length;
    yield buf;
  }
}

function summarise(results: BatchResult[], into: Record<string, number>) {
  for (const r of results) into[r.outcome as string] = (into[r.outcome as string] ?? 0) + 1;
}

export async function runJsonBatch<R extends BatchResult>(items: unknown[], handle: ChunkHandler<R>, size = CHUNK) {
  const results: R[] = [];
  const summary = { accepted: 0, corrected: 0, unchanged: 0, rejected: 0 } as Record<BatchOutcome, number>;
  for (let i = 0; i < items.length; i += size) {
    const chunk = await handle(items.slice(i, i + size), i);
    summarise(chunk, summary);
    results.push(...chunk);
  }
  return { summary: { total: items.length, ...summary }, results };
}

/**
 * Reads NDJSON from `input`, answers NDJSON on the reply; memory is bounded by two chunks of
 * lines of at most `maxLineBytes` each. A longer line is refused in its slot (413, `line`), and
 * the rest of the stream is read on: a bad line never rejects the good ones. Past
 * `maxBodyBytes` or `maxItems` reading stops: the items read within the limits are processed and
 * reported as usual, and the last line is `{"error": <413 naming body>, "summary"}` — every item
 * reported is stored, none after; `summary.total` is where a client resumes (D179).
 */
export function streamNdjsonBatch<R extends BatchResult>(
  input: Readable,
  reply: FastifyReply,
  handle: ChunkHandler<R>,
  log: { warn(o: object, m: string): void },
  options: BatchOptions = {},
): FastifyReply {
  const out = new PassThrough();
  const write = async (text: string) => {
    if (!out.write(text)) await new Promise((r) => out.once('drain', r));
  };
  const batch = new NdjsonBatch(handle, options, write);
  void (async () => {
    try {
      const refused = await batch.readAll(input);
      if (refused) discardRest(input, reply);
      await write(JSON.stringify({ ...(refused ? { error: refused.toBody() } : {}), summary: batch.summaryLine() }) + '\n');
      if (refused) log.warn({ index: batch.index, limit: refused.errors[0]?.message }, 'NDJSON batch over its limit: stopped there');
    } catch (err) {
      // A chunk still being stored is reported first if it commits: every item reported is stored.
      await batch.settle().catch(() => undefined);
      discardRest(input, reply);
      log.warn({ err: (err as Error).message, index: batch.index }, 'batch stream stopped part-way');
      const problem = err instanceof ProblemError ? err : new ProblemError(503, 'unavailable', 'Processing stopped part-way; items reported above are stored.');
      await write(JSON.stringify({ error: problem.toBody(), summary: batch.summaryLine() }) + '\n').catch(() => undefined);
    } finally {
      out.end();
    }
  })();
  return reply.type('application/x-ndjson; charset=utf-8').send(out);
}

/** How long a client may go on sending a refused batch's rest after its answer, before its connection is closed. */
const DISCARD_GRACE_MS = 5_000;

/**
 * After a refusal the rest of the body is read and dropped, never parsed: a paused request would
 * hold its connection open for good (a paused socket does not even notice the client leaving),
 * and an unread one would make closing it reset the answer away. A client still sending
 * DISCARD_GRACE_MS after its answer went out has its connection closed.
 */
function discardRest(input: Readable, reply: FastifyReply) {
  // (A reply without a raw response — a caller streaming into its own sink — has no connection to close.)
  const socket = reply.request?.raw?.socket;
  input.resume();
  reply.raw?.once('finish', () => {
    if (input.readableEnded) return;
    const timer = setTimeout(() => socket?.destroy(), DISCARD_GRACE_MS);
    timer.unref();
    input.once('end', () => clearTimeout(timer));
  });
}

/** One NDJSON batch being read: its chunk in progress, the chunk being stored, and the tally. */
class NdjsonBatch<R extends BatchResult> {
  index = 0;
  private chunk: unknown[] = [];
  private chunkStart = 0;
  /** With `overlap`: the chunk being stored while the next one is read (at most one). */
  private inFlight: Promise<R[]> | null = null;
  private readonly summary: Record<string, number> = { accepted: 0, corrected: 0, unchanged: 0, rejected: 0 };
  private readonly size: number;
  private readonly maxLineBytes: number;

  constructor(
    private readonly handle: ChunkHandler<R>,
    private readonly options: BatchOptions,
    private readonly write: (text: string) => Promise<void>,
  ) {
    this.size = options.chunk ?? CHUNK;
    this.maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
  }

  summaryLine() {
    return { total: this.index, ...this.summary };
  }

  // One write per chunk: its results, one line each.
  private async report(results: R[]) {
    summarise(results, this.summary);
    if (results.length) await this.write(results.map((r) => JSON.stringify(r)).join('\n') + '\n');
  }

  async settle() {
    const stored = this.inFlight;
    this.inFlight = null;
    if (stored) await this.report(await stored);
  }

  private async flush() {
    if (!this.chunk.length) return;
    const items = this.chunk;
    this.chunk = [];
    if (!this.options.overlap) return this.report(await this.handle(items, this.chunkStart));
    const stored = this.handle(items, this.chunkStart, this.inFlight ?? undefined);
    stored.catch(() => undefined); // observed by settle(); a failure must not go unhandled meanwhile
    await this.settle();
    this.inFlight = stored;
  }

  /** Reads, checks and stores every item; the refusal when a limit stopped the reading, else null. */
  async readAll(input: Readable): Promise<ProblemError | null> {
    const maxItems = this.options.maxItems ?? MAX_NDJSON_ITEMS;
    const bytes = capped(input, this.options.maxBodyBytes ?? MAX_NDJSON_BODY_BYTES);
    let refused: ProblemError | null = null;
    try {
      for await (const lines of ndjsonLines(bytes, this.maxLineBytes)) {
        for (const line of lines) {
          if (typeof line === 'string' && !line.trim()) continue;
          if (this.index === maxItems) throw new BatchOverLimit(tooManyItems(maxItems));
          if (!this.chunk.length) this.chunkStart = this.index;
          // A refused line keeps its slot, so indexes stay aligned with lines.
          this.chunk.push(line instanceof OverlongLine ? new RefusedLine(413, `is longer than ${this.maxLineBytes} bytes`) : parseLine(line));
          this.index++;
          if (this.chunk.length === this.size) await this.flush();
        }
      }
    } catch (err) {
      if (!(err instanceof BatchOverLimit)) throw err;
      refused = err.problem;
    }
    // The items read within the limits are processed like any others.
    await this.flush();
    await this.settle();
    return refused;
  }
}

/** An item of a JSON-array batch holding a number beyond ±(2^53 − 1) is refused naming that field. */
function refuseInexactNumbers(item: unknown): unknown {
  const refused = refusedValueAt(item, '');
  return refused ? new RefusedLine(400, refused.message, refused.field.slice(1) || 'item') : item;
}

/** One NDJSON line as an item, or the refusal the handler reports for it. */
function parseLine(line: string): unknown {
  let item: unknown;
  try {
    item = JSON.parse(line);
  } catch {
    return MALFORMED;
  }
  // A `__proto__` key is refused, as Fastify's JSON parser refuses it in a JSON body
  // (a schema would otherwise drop it silently: the stored item would differ from the sent one).
  if (line.includes('__proto__') && hasProtoKey(item)) return MALFORMED;
  // Text the database cannot store (NUL, a lone surrogate) would fail the whole chunk: reject the
  // line. Decoded UTF-8 holds neither, and a raw NUL is not JSON: only a \u escape can produce
  // them. A number beyond ±(2^53 − 1) needs 16 digits or an exponent. Either is named as a field.
  if (line.includes('\\u') || MAYBE_INEXACT.test(line)) {
    const refused = refusedValueAt(item, '');
    if (refused) return new RefusedLine(400, refused.message, refused.field.slice(1) || 'line');
  }
  return item;
}

/** Whether any object in `value` has an own `__proto__` key (JSON.parse makes one; iterative for deep lines). */
function hasProtoKey(value: unknown): boolean {
  const stack = [value];
  while (stack.length) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    if (Object.prototype.hasOwnProperty.call(v, '__proto__')) return true;
    for (const child of Object.values(v)) stack.push(child);
  }
  return false;
}

/**
 * The body of a batch route: an NDJSON stream is streamed through; otherwise the JSON array
 * (validated by the route's schema with attachValidation) is processed chunk by chunk.
 */
export async function handleBatch<R extends BatchResult>(request: FastifyRequest, reply: FastifyReply, handle: ChunkHandler<R>, options: BatchOptions = {}) {
  const body = request.body as unknown;
  if (body && typeof (body as NodeJS.ReadableStream).pipe === 'function') {
    const config = request.server.ctx.config;
    // A batch that says up front it is too long is refused before anything is read or stored.
    const declared = Number(request.headers['content-length']);
    if (declared > config.NDJSON_MAX_BODY_BYTES) throw tooManyBytes(config.NDJSON_MAX_BODY_BYTES, declared);
    const limits = { maxLineBytes: config.NDJSON_MAX_LINE_BYTES, maxBodyBytes: config.NDJSON_MAX_BODY_BYTES, maxItems: config.NDJSON_MAX_ITEMS };
    return streamNdjsonBatch(body as Readable, reply, handle, request.log, { ...limits, ...options });
  }
  if (request.validationError) {
    const tooMany = Array.isArray(body) && body.length > MAX_JSON_ITEMS;
    throw tooMany
      ? new ProblemError(413, 'too-large', `At most ${MAX_JSON_ITEMS} items in a JSON batch; stream larger batches as NDJSON.`, [
          { field: 'body', message: `more than ${MAX_JSON_ITEMS} items` },
        ])
      : new ProblemError(400, 'validation', 'The body must be a JSON array of items.', [{ field: 'body', message: 'must be an array' }]);
  }
  return runJsonBatch((body as unknown[]).map(refuseInexactNumbers), handle, options.chunk);
}

const itemProblem = z.object({
  status: z.number().int(),
  title: z.string(),
  detail: z.string(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })),
});

/** The JSON answer of a batch route: a summary and one result per item (stored or rejected). */
export function batchResponse<T extends z.ZodRawShape>(outcomes: [string, ...string[]], stored: T) {
  const count = z.number().int();
  return z.object({
    summary: z.object({ total: count, ...Object.fromEntries(outcomes.map((o) => [o, count])), rejected: count }),
    results: z.array(
      z.union([
        z.object({ index: count, outcome: z.enum(outcomes), ...stored }),
        z.object({ index: count, outcome: z.literal('rejected'), problem: itemProblem }),
      ]),
    ),
  });
}
