import { PassThrough, type Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ProblemError } from './problem.js';
import { refusedValueAt } from './schemas.js';
import { ndjsonLines, OverlongLine } from './ndjson-lines.js';
import { RefusedLine } from '../services/batch-items.js';

/**
 * Shared machinery of the batch endpoints: a JSON array (bounded) answered with one JSON
 * document, or an NDJSON stream (unbounded) read in chunks and answered as an NDJSON stream
 * of per-item results. Each chunk is one transaction, so a failure part-way leaves every
 * earlier chunk stored — and already reported to the client.
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
 * the rest of the stream is read on: a bad line never rejects the good ones.
 */
export function streamNdjsonBatch<R extends BatchResult>(
  input: Readable,
  reply: FastifyReply,
  handle: ChunkHandler<R>,
  log: { warn(o: object, m: string): void },
  options: BatchOptions = {},
): FastifyReply {
  const size = options.chunk ?? CHUNK;
  const out = new PassThrough();
  const write = async (text: string) => {
    if (!out.write(text)) await new Promise((r) => out.once('drain', r));
  };
  const summary: Record<string, number> = { accepted: 0, corrected: 0, unchanged: 0, rejected: 0 };
  // One write per chunk: its results, one line each.
  const report = async (results: R[]) => {
    summarise(results, summary);
    if (results.length) await write(results.map((r) => JSON.stringify(r)).join('\n') + '\n');
  };

  void (async () => {
    let index = 0;
    let chunk: unknown[] = [];
    let chunkStart = 0;
    // With `overlap`: the chunk being stored while the next one is read (at most one).
    let inFlight: Promise<R[]> | null = null;
    const settle = async () => {
      const stored = inFlight;
      inFlight = null;
      if (stored) await report(await stored);
    };
    const flush = async () => {
      if (!chunk.length) return;
      const items = chunk;
      chunk = [];
      if (!options.overlap) return report(await handle(items, chunkStart));
      const stored = handle(items, chunkStart, inFlight ?? undefined);
      stored.catch(() => undefined); // observed by settle(); a failure must not go unhandled meanwhile
      await settle();
      inFlight = stored;
    };
    try {
      for await (const lines of ndjsonLines(input as AsyncIterable<Buffer>, options.maxLineBytes ?? MAX_LINE_BYTES)) {
        for (const line of lines) {
          if (typeof line === 'string' && !line.trim()) continue;
          if (!chunk.length) chunkStart = index;
          // A refused line keeps its slot, so indexes stay aligned with lines.
          chunk.push(line instanceof OverlongLine ? new RefusedLine(413, `is longer than ${options.maxLineBytes ?? MAX_LINE_BYTES} bytes`) : parseLine(line));
          index++;
          if (chunk.length === size) await flush();
        }
      }
      await flush();
      await settle();
      await write(JSON.stringify({ summary: { total: index, ...summary } }) + '\n');
    } catch (err) {
      // A chunk still being stored is reported first if it commits: every item reported is stored.
      await settle().catch(() => undefined);
      log.warn({ err: (err as Error).message, index }, 'batch stream stopped part-way');
      const problem = err instanceof ProblemError ? err : new ProblemError(503, 'unavailable', 'Processing stopped part-way; items reported above are stored.');
      await write(JSON.stringify({ error: problem.toBody(), summary: { total: index, ...summary } }) + '\n').catch(() => undefined);
    } finally {
      out.end();
    }
  })();

  return reply.type('application/x-ndjson; charset=utf-8').send(out);
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
    const maxLineBytes = request.server.ctx.config.NDJSON_MAX_LINE_BYTES;
    return streamNdjsonBatch(body as Readable, reply, handle, request.log, { maxLineBytes, ...options });
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
