import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { QUIET_ENV } from './fuzz/support.js';

/**
 * An NDJSON batch as a whole is bounded (issue 10 follow-up, D179): NDJSON_MAX_BODY_BYTES and
 * NDJSON_MAX_ITEMS. A batch whose Content-Length is over the byte limit is refused before
 * anything is read (413 problem+json naming `body`, nothing stored). A streamed batch that
 * crosses a limit is processed up to it — the lines that end within the bytes, the first
 * NDJSON_MAX_ITEMS items — and its answer ends with `{"error": 413 naming body, "summary"}`:
 * every item reported is stored, none after, and `summary.total` is where to resume. Small limits
 * here stand in for the defaults (1 GiB, 5,000,000 items).
 */
const MAX_BYTES = 4096;
const MAX_ITEMS = 5;
let t: TestApp;
let base: { host: string; port: number };

beforeAll(async () => {
  t = await createTestApp({ env: { ...QUIET_ENV, NDJSON_MAX_BODY_BYTES: String(MAX_BYTES), NDJSON_MAX_ITEMS: String(MAX_ITEMS) } });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = { host: '127.0.0.1', port: (t.app.server.address() as AddressInfo).port };
}, 120_000);
afterAll(async () => t?.close());

const child = (ref: string) => JSON.stringify({ external_ref: ref, birth_date: '2020-01-01' });
const stored = async (prefix: string) =>
  Number((await sql<{ n: string }>`select count(*)::text as n from children where external_ref like ${prefix + '%'}`.execute(t.ctx.db)).rows[0]!.n);
const lines = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

async function injectNdjson(url: string, body: string) {
  return t.app.inject({ method: 'POST', url, payload: body, headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/x-ndjson' } });
}

/**
 * Streams lines (chunked: no Content-Length) from `next` until the server answers, as a client
 * that does not know the limit would; resolves with the answer once it has ended.
 */
function streamUntilAnswered(path: string, next: (i: number) => string, key = t.adminKey): Promise<{ status: number; text: string; sentLines: number }> {
  return new Promise((resolve, reject) => {
    let i = 0;
    let answered = false;
    const req = httpRequest({ ...base, method: 'POST', path, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => {
        answered = true;
        req.destroy();
        resolve({ status: res.statusCode!, text: Buffer.concat(parts).toString('utf8'), sentLines: i });
      });
      res.on('error', reject);
    });
    req.on('error', (err) => (answered ? undefined : reject(err)));
    const writeMore = () => {
      while (!answered && i < 1_000_000) {
        if (!req.write(next(i++) + '\n')) return void req.once('drain', writeMore);
      }
    };
    writeMore();
  });
}

describe('an NDJSON batch over NDJSON_MAX_BODY_BYTES', () => {
  it('declared by Content-Length: 413 problem+json naming body before anything is read; nothing stored', async () => {
    const body = Array.from({ length: 200 }, (_, i) => child(`CL-${i}`)).join('\n');
    expect(Buffer.byteLength(body)).toBeGreaterThan(MAX_BYTES);
    const res = await injectNdjson('/v1/children/batch', body);
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers.connection).toBe('close');
    expect(res.json()).toMatchObject({ status: 413, errors: [{ field: 'body', message: expect.stringContaining(`at most ${MAX_BYTES}`) }] });
    expect(await stored('CL-')).toBe(0);
  });

  it('exactly at the limit is a batch like any other', async () => {
    const item = child('EX-0');
    const body = item + ' '.repeat(MAX_BYTES - Buffer.byteLength(item));
    expect(Buffer.byteLength(body)).toBe(MAX_BYTES);
    const res = await injectNdjson('/v1/children/batch', body);
    expect(res.statusCode).toBe(200);
    expect(lines(res.body).at(-1)).toEqual({ summary: expect.objectContaining({ total: 1, accepted: 1 }) });
  });

  it('streamed (no Content-Length): the lines within the limit are processed, then the answer ends with 413 naming body', async () => {
    // Each line ~60 bytes: the 4 KiB limit falls inside a line after ~68 items; the item limit is lifted here.
    const app = await createTestApp({ env: { ...QUIET_ENV, NDJSON_MAX_BODY_BYTES: String(MAX_BYTES) } });
    try {
      await app.app.listen({ host: '127.0.0.1', port: 0 });
      const saved = base;
      base = { host: '127.0.0.1', port: (app.app.server.address() as AddressInfo).port };
      const line = (i: number) => JSON.stringify({ external_ref: `ST-${String(i).padStart(6, '0')}`, birth_date: '2020-01-01' });
      const answer = await streamUntilAnswered('/v1/children/batch', line, app.adminKey).finally(() => (base = saved));
      expect(answer.status).toBe(200);
      const out = lines(answer.text);
      const last = out.at(-1);
      const within = Math.floor(MAX_BYTES / (line(0).length + 1));
      expect(last.error).toMatchObject({ status: 413, errors: [{ field: 'body', message: `is longer than ${MAX_BYTES} bytes` }] });
      expect(last.summary).toMatchObject({ total: within, accepted: within });
      expect(out.slice(0, -1).map((r) => r.index)).toEqual(Array.from({ length: within }, (_, i) => i));
      expect(answer.sentLines).toBeGreaterThan(within);
      const { rows } = await sql<{ n: string }>`select count(*)::text as n from children where external_ref like 'ST-%'`.execute(app.ctx.db);
      expect(Number(rows[0]!.n)).toBe(within);
      // The server goes on serving.
      expect((await app.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('an NDJSON batch over NDJSON_MAX_ITEMS', () => {
  for (const url of ['/v1/children/batch', '/v1/enrolments/batch', '/v1/measurements/batch']) {
    it(`${url}: the first ${MAX_ITEMS} items are processed, then 413 naming body; the rest is not read`, async () => {
      const prefix = `IT${url.split('/')[2]!.slice(0, 3)}-`;
      const body = Array.from({ length: MAX_ITEMS + 3 }, (_, i) => (url === '/v1/children/batch' ? child(`${prefix}${i}`) : '{}')).join('\n');
      const res = await injectNdjson(url, body);
      expect(res.statusCode).toBe(200);
      const out = lines(res.body);
      expect(out).toHaveLength(MAX_ITEMS + 1);
      expect(out.slice(0, -1).map((r) => r.index)).toEqual([0, 1, 2, 3, 4]);
      expect(out.at(-1)).toMatchObject({
        error: { status: 413, errors: [{ field: 'body', message: `has more than ${MAX_ITEMS} items` }] },
        summary: { total: MAX_ITEMS },
      });
      if (url === '/v1/children/batch') expect(await stored(prefix)).toBe(MAX_ITEMS);
    });
  }

  it('exactly at the limit has no error line (blank lines do not count)', async () => {
    const body = Array.from({ length: MAX_ITEMS }, (_, i) => child(`AT-${i}`)).join('\n\n') + '\n';
    const out = lines((await injectNdjson('/v1/children/batch', body)).body);
    expect(out.at(-1)).toEqual({ summary: expect.objectContaining({ total: MAX_ITEMS, accepted: MAX_ITEMS }) });
    expect(await stored('AT-')).toBe(MAX_ITEMS);
  });

  it('property: whatever the batch, the items reported are the items stored, and the answer names the limit iff one was crossed', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 3 * MAX_ITEMS }), fc.integer({ min: 0, max: 40 }), async (n, pad) => {
        const prefix = `PR${run++}-`;
        const body = Array.from({ length: n }, (_, i) => child(`${prefix}${i}`) + ' '.repeat(pad)).join('\n');
        const res = await injectNdjson('/v1/children/batch', body);
        const bytes = Buffer.byteLength(body);
        if (bytes > MAX_BYTES) {
          expect(res.statusCode).toBe(413);
          expect(await stored(prefix)).toBe(0);
          return;
        }
        const out = lines(res.body);
        const last = out.at(-1);
        const reported = out.slice(0, -1).filter((r) => r.outcome === 'accepted').length;
        expect(await stored(prefix)).toBe(reported);
        expect(reported).toBe(Math.min(n, MAX_ITEMS));
        expect(last.error === undefined).toBe(n <= MAX_ITEMS);
      }),
      { numRuns: 25 },
    );
  });
});
