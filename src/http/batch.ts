import { StringDecoder } from 'node:string_decoder';
import { PassThrough, type Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ProblemError } from './problem.js';
import { unstorableAt } from './schemas.js';

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

export interface BatchOptions {
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

const LINE_BREAK = /\r\n|\n|\r/; // as readline splits

/**
 * The lines of a byte stream, a batch per read (readline's per-line events cost more than the
 * JSON parse of a short line). A CRLF split across two reads yields an extra empty line, which
 * the caller skips like every blank line.
 */
async function* ndjsonLines(input: Readable): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const data of input as AsyncIterable<Buffer | string>) {
    const lines = (rest + (typeof data === 'string' ? data : decoder.write(data))).split(LINE_BREAK);
    rest = lines.pop()!;
    yield lines;
  }
  rest += decoder.end();
  if (rest) yield [rest];
}

/** Reads NDJSON from `input`, answers NDJSON on the reply; memory is bounded by two chunks. */
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
      for await (const lines of ndjsonLines(input)) {
        for (const line of lines) {
          if (!line.trim()) continue;
          if (!chunk.length) chunkStart = index;
          try {
            const item: unknown = JSON.parse(line);
            // Text the database cannot store (NUL, a lone surrogate) would fail the whole chunk: reject the line.
            // Decoded UTF-8 holds neither, and a raw NUL is not JSON: only a \u escape can produce them.
            // A `__proto__` key is refused, as Fastify's JSON parser refuses it in a JSON body
            // (a schema would otherwise drop it silently: the stored item would differ from the sent one).
            const refused = (line.includes('__proto__') && hasProtoKey(item)) || (line.includes('\\u') && unstorableAt(item, 'line') !== null);
            chunk.push(refused ? Symbol.for('malformed') : item);
          } catch {
            // Keep the slot so indexes stay aligned with lines; the handler rejects a non-object.
            chunk.push(Symbol.for('malformed'));
          }
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

/** A malformed NDJSON line arrives at the handler as this marker. */
export const isMalformed = (v: unknown) => v === Symbol.for('malformed');

/**
 * The body of a batch route: an NDJSON stream is streamed through; otherwise the JSON array
 * (validated by the route's schema with attachValidation) is processed chunk by chunk.
 */
export async function handleBatch<R extends BatchResult>(request: FastifyRequest, reply: FastifyReply, handle: ChunkHandler<R>, options: BatchOptions = {}) {
  const body = request.body as unknown;
  if (body && typeof (body as NodeJS.ReadableStream).pipe === 'function') {
    return streamNdjsonBatch(body as Readable, reply, handle, request.log, options);
  }
  if (request.validationError) {
    const tooMany = Array.isArray(body) && body.length > MAX_JSON_ITEMS;
    throw tooMany
      ? new ProblemError(413, 'too-large', `At most ${MAX_JSON_ITEMS} items in a JSON batch; stream larger batches as NDJSON.`, [
          { field: 'body', message: `more than ${MAX_JSON_ITEMS} items` },
        ])
      : new ProblemError(400, 'validation', 'The body must be a JSON array of items.', [{ field: 'body', message: 'must be an array' }]);
  }
  return runJsonBatch(body as unknown[], handle, options.chunk);
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
