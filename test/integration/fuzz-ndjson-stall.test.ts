import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { QUIET_ENV } from './fuzz/support.js';

/**
 * A hostile NDJSON batch — one line of many MiB with no line break — over real HTTP. The reader
 * must take time linear in the body (issue 10: it re-split the accumulated rest on every read,
 * 27.9 s for 50 MiB) and keep the event loop free for other requests meanwhile (/healthz took
 * 5.4 s). The bounds are on throughput and on the slowest concurrent /healthz, both printed.
 */
const MiB = 1024 * 1024;
let t: TestApp;
let base: { host: string; port: number };

beforeAll(async () => {
  t = await createTestApp({ env: QUIET_ENV });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const address = t.app.server.address() as AddressInfo;
  base = { host: '127.0.0.1', port: address.port };
}, 120_000);
afterAll(async () => t?.close());

/** POSTs `mib` MiB of `x` (no line break) as NDJSON, written in 1 MiB pieces; resolves with the answer and seconds taken. */
function postHostileBatch(path: string, mib: number): Promise<{ status: number; text: string; seconds: number }> {
  const piece = Buffer.alloc(MiB, 'x');
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { ...base, method: 'POST', path, headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/x-ndjson' } },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () =>
          resolve({ status: res.statusCode!, text: Buffer.concat(parts).toString('utf8'), seconds: Number(process.hrtime.bigint() - started) / 1e9 }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    let sent = 0;
    const writeMore = () => {
      while (sent < mib) {
        sent++;
        if (!req.write(piece)) return void req.once('drain', writeMore);
      }
      req.end();
    };
    writeMore();
  });
}

function getHealth(): Promise<number> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = httpRequest({ ...base, method: 'GET', path: '/healthz' }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(Number(process.hrtime.bigint() - started) / 1e6) : reject(new Error(`healthz ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The one line of a hostile batch is refused as too long; nothing else happens. */
function expectOneLongLineRefused(text: string) {
  const out = text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(out).toHaveLength(2);
  expect(out[0]).toMatchObject({ index: 0, outcome: 'rejected', problem: { status: 413, errors: [{ field: 'line' }] } });
  expect(out[1].error).toBeUndefined();
  expect(out[1].summary).toMatchObject({ total: 1, rejected: 1, accepted: 0 });
}

describe('a hostile NDJSON batch: one line of many MiB, no line break', () => {
  it('is read in linear time: 50 MiB at ≥ 10 MiB/s, and no slower per MiB than 10 MiB', async () => {
    const small = await postHostileBatch('/v1/children/batch', 10);
    expect(small.status).toBe(200);
    expectOneLongLineRefused(small.text);
    const big = await postHostileBatch('/v1/measurements/batch', 50);
    expect(big.status).toBe(200);
    expectOneLongLineRefused(big.text);
    const rate = (mib: number, s: number) => mib / s;
    console.log(`hostile NDJSON read: 10 MiB at ${rate(10, small.seconds).toFixed(1)} MiB/s, 50 MiB at ${rate(50, big.seconds).toFixed(1)} MiB/s`);
    // Quadratic reading measured 1.8 MiB/s at 50 MiB (and 4.2 at 20): far below either bound.
    expect(rate(50, big.seconds)).toBeGreaterThanOrEqual(10);
    // Linear: five times the bytes costs at most about five times the time (a quadratic reader, 25×).
    expect(big.seconds).toBeLessThan(small.seconds * 5 * 3 + 1);
  }, 120_000);

  it('leaves the server responsive: /healthz answers fast while the batch is read', async () => {
    const upload = postHostileBatch('/v1/children/batch', 50);
    let done = false;
    void upload.finally(() => (done = true));
    const latencies: number[] = [];
    while (!done) latencies.push(await getHealth());
    const answer = await upload;
    expect(answer.status).toBe(200);
    expectOneLongLineRefused(answer.text);
    const worst = Math.max(...latencies);
    console.log(`/healthz during a 50 MiB hostile batch: ${latencies.length} requests, slowest ${worst.toFixed(1)} ms`);
    // The batch must actually have been read while /healthz was asked, or this proves nothing.
    expect(latencies.length).toBeGreaterThanOrEqual(3);
    // Before the fix the loop was blocked for seconds at a time (5.4 s measured).
    expect(worst).toBeLessThan(1_000);
  }, 120_000);
});

describe('NDJSON_MAX_LINE_BYTES (default 64 KiB)', () => {
  /** A child item padded with spaces inside the JSON to exactly `bytes` bytes. */
  const itemOf = (ref: string, bytes: number) => {
    const text = JSON.stringify({ external_ref: ref, birth_date: '2018-01-01' });
    return text.slice(0, -1) + ' '.repeat(bytes - Buffer.byteLength(text)) + '}';
  };

  it('a line of exactly the limit is an item; one byte more is refused as that item (413, `line`) and the next line still stored', async () => {
    const limit = t.ctx.config.NDJSON_MAX_LINE_BYTES;
    expect(limit).toBe(64 * 1024);
    const payload = [itemOf('line-at-limit', limit), itemOf('line-over-limit', limit + 1), itemOf('line-after', 100)].join('\r\n');
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/children/batch',
      headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/x-ndjson' },
      payload,
    });
    const out = res.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out.slice(0, 3).map((r) => [r.index, r.outcome])).toEqual([
      [0, 'accepted'],
      [1, 'rejected'],
      [2, 'accepted'],
    ]);
    expect(out[1].problem).toMatchObject({ status: 413, title: 'Payload too large', errors: [{ field: 'line', message: `is longer than ${limit} bytes` }] });
    expect(out[3].summary).toMatchObject({ total: 3, accepted: 2, rejected: 1 });
    const stored = await t.ctx.db.selectFrom('children').select('external_ref').where('external_ref', 'like', 'line-%').orderBy('external_ref').execute();
    expect(stored.map((c) => c.external_ref)).toEqual(['line-after', 'line-at-limit']);
  });
});
