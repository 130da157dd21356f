import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it, inject } from 'vitest';
import { runVector, type Vector } from '../../../src/vectors/runner.js';
import { defaultVectorSources, selectVectors } from '../../../src/vectors/sources.js';
import { assertConforms } from '../../support/contract.js';

// The project's test/vectors, and ../shared/vectors when it exists (a file name runs once, shared first).
const vectors: Vector[] = selectVectors(defaultVectorSources()).files.map(({ file }) => JSON.parse(readFileSync(file, 'utf8')) as Vector);

describe('settlement vectors through the HTTP API', () => {
  it('has vectors to run', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(12);
  });

  // Both queues and both ways of reaching the API; every answer is checked against the document.
  for (const [queue, transport] of [
    ['in-process', 'inject'],
    ['bullmq', 'http'],
  ] as const) {
    describe(`on PostgreSQL with the ${queue} queue, through ${transport === 'http' ? 'a loopback port' : 'app.inject'}`, () => {
      for (const vector of vectors) {
        it(vector.name, async () => {
          const result = await runVector(vector, {
            databaseUrl: inject('databaseAdminUrl'),
            redisUrl: queue === 'bullmq' ? inject('redisUrl') : undefined,
            transport,
            onAnswer: assertConforms,
          });
          expect(result.differences).toEqual([]);
          expect(result.ok).toBe(true);
        });
      }
    });
  }
});

describe('the vector runner reports wrong expectations', () => {
  const wrong = (): Vector => {
    const v = structuredClone(vectors.find((x) => x.name.startsWith('split by days'))!);
    const award = v.steps[0]!.expect.awards![0]!;
    award.payouts = { ...award.payouts, 'D-001': award.payouts!['D-001']! + 1 };
    v.steps[0]!.expect.funds!.F1!.available_ore! -= 1;
    return v;
  };

  it('sees every answer (the hook the suite checks the contract with) and refuses one the document does not declare', async () => {
    const statuses: number[] = [];
    const v = vectors.find((x) => x.name.startsWith('split by days'))!;
    const seen = await runVector(v, { databaseUrl: inject('databaseAdminUrl'), onAnswer: (_m, _u, a) => void statuses.push(a.status) });
    expect(seen.ok).toBe(true);
    expect(statuses.length).toBeGreaterThan(10);
    const refused = await runVector(v, {
      databaseUrl: inject('databaseAdminUrl'),
      onAnswer: (method, url, a) => assertConforms(method, url, { ...a, status: a.status === 201 ? 299 : a.status }),
    });
    expect(refused.ok).toBe(false);
    expect(refused.differences.join()).toMatch(/answered 299, which the document does not declare/);
  });

  it('fails a vector whose expected payout is off by one øre, naming the field', async () => {
    const result = await runVector(wrong(), { databaseUrl: inject('databaseAdminUrl') });
    expect(result.ok).toBe(false);
    expect(result.differences.join('\n')).toMatch(/payouts/);
    expect(result.differences.join('\n')).toMatch(/available_ore/);
  });

  it('exits non-zero from the command line and prints the closing count', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smb-vec-'));
    const file = join(dir, 'wrong.json');
    writeFileSync(file, JSON.stringify(wrong()));
    const run = promisify(execFile);
    const err = await run('npx', ['tsx', 'src/cli/vectors.ts', file], {
      env: { ...process.env, DATABASE_URL: '', REDIS_URL: '' },
    }).then(
      () => null,
      (e: { code: number; stdout: string }) => e,
    );
    expect(err).not.toBeNull();
    expect(err!.code).toBe(1);
    expect(err!.stdout).toMatch(/^FAIL /m);
    expect(err!.stdout.trim().split('\n').at(-1)).toBe('0 passed, 1 failed');
    // A fresh process that loads tsx, starts PGlite and migrates: on the shared 2-core machine under
    // a load of 14 this took over 60 s; the bound is for a hang, not for speed.
  }, 180_000);
});
