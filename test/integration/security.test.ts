import { execFile } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseApiKey } from '../../src/auth/api-key.js';
import { rekeyFromLines } from '../../src/services/cpr-keys.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { allPages, count, createKey, expectProblem, ok } from './registry/helpers.js';

/**
 * CPR HMAC key rotation across restarts on one database (lookups, duplicate detection, batch
 * resolution, the re-keying command and the start-up check), the audit log as auditors read it
 * and its append-only guarantee, and immediate API-key revocation.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const K1 = randomBytes(32);
const K2 = randomBytes(32);
const ring = (...keys: Array<[string, Buffer]>) => keys.map(([id, k]) => `${id}:${k.toString('base64')}`).join(',');
const RING_K1 = { CPR_HMAC_KEYS: ring(['k1', K1]), CPR_HMAC_ACTIVE_KEY_ID: 'k1' };
const RING_BOTH = { CPR_HMAC_KEYS: ring(['k1', K1], ['k2', K2]), CPR_HMAC_ACTIVE_KEY_ID: 'k2' };
const RING_K2 = { CPR_HMAC_KEYS: ring(['k2', K2]), CPR_HMAC_ACTIVE_KEY_ID: 'k2' };

// Birth dates 2019-03-15, 2019-06-01, 2018-11-30, 2019-02-02 (§9); the last is never registered.
const [A, B, C, D] = ['150319-4123', '010619-4321', '301118-4999', '020219-4555'];
const strip = (cpr: string) => cpr.replace('-', '');

let databaseUrl: string;
let t: TestApp;
const ids: Record<string, string> = {};

async function keyStatus(app: TestApp, key?: string) {
  const body = ok(await app.call('GET', '/v1/admin/cpr-keys', undefined, key));
  return Object.fromEntries(body.keys.map((k: { key_id: string }) => [k.key_id, k])) as Record<string, any>;
}

/** The app restarted on the same database with another keyring. */
async function restart(env: Record<string, string>): Promise<TestApp> {
  const next = await createTestApp({ env: { DATABASE_URL: databaseUrl, ...env } });
  await t.close();
  t = next;
  return t;
}

function runCli(args: string[], env: Record<string, string>, input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/rekey-cpr.ts', ...args],
      { cwd: ROOT, env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin!.end(input ?? '');
  });
}

beforeAll(async () => {
  t = await createTestApp({ env: RING_K1 });
  databaseUrl = t.ctx.config.DATABASE_URL!;
  ok(await t.call('PUT', '/v1/measurement-kinds/sprogvurdering', { type: 'enum', values: ['generel'] }), 200);
  ok(await t.call('POST', '/v1/institutions', { code: 'V-1', kind: 'vuggestue', name: 'V1' }), 201);
  ids.a = ok(await t.call('POST', '/v1/children', { cpr: A }), 201).id;
  const imported = ok(await t.call('POST', '/v1/children/batch', [{ cpr: B }, { cpr: strip(C) }]));
  [ids.b, ids.c] = imported.results.map((r: { child_id: string }) => r.child_id);
  await t.settled();
}, 60_000);

afterAll(async () => t?.close());

describe('CPR HMAC key rotation', () => {
  it('stores hashes under the active key, and reports children per key id to admins and auditors only', async () => {
    const status = await keyStatus(t);
    expect(status).toEqual({ k1: { key_id: 'k1', active: true, in_ring: true, children: 3, retirable: false } });
    const auditor = await createKey(t, { role: 'auditor' });
    expect(await keyStatus(t, auditor)).toEqual(status);
    const integration = await createKey(t, { role: 'integration', scope: { kinds: null, institutions: null, enrolments: true } });
    expectProblem(await t.call('GET', '/v1/admin/cpr-keys', undefined, integration), 403);
    const body = JSON.stringify(ok(await t.call('GET', '/v1/admin/cpr-keys')));
    expect(body).not.toContain(K1.toString('base64'));
    expect(body).not.toMatch(/[0-9a-f]{64}/); // no hash
  });

  it('after rotation finds children hashed with the old key, by lookup, duplicate check, bulk import and batch ingest', async () => {
    await restart(RING_BOTH);
    expect(await keyStatus(t)).toMatchObject({ k1: { active: false, children: 3, retirable: false }, k2: { active: true, children: 0 } });

    // Registering an old-key CPR again is a duplicate, one by one (either spelling) and in bulk.
    expectProblem(await t.call('POST', '/v1/children', { cpr: strip(A) }), 409, 'body.cpr');
    expectProblem(await t.call('PATCH', `/v1/children/${ids.c}`, { cpr: B }), 409, 'body.cpr');
    const again = ok(await t.call('POST', '/v1/children/batch', [{ cpr: A }, { cpr: B }]));
    expect(again.results).toEqual([
      { index: 0, outcome: 'unchanged', child_id: ids.a },
      { index: 1, outcome: 'unchanged', child_id: ids.b },
    ]);
    expect(await count(t, 'children')).toBe(3);

    // Batch ingest and enrolment import resolve old-key CPRs (without re-hashing them).
    const enrolled = ok(await t.call('POST', '/v1/enrolments/batch', [{ cpr: C, institution: 'V-1', start: '2019-01-01', end: null }]));
    expect(enrolled.results[0].outcome).toBe('accepted');
    const batch = ok(
      await t.call('POST', '/v1/measurements/batch', [
        { cpr: strip(C), kind: 'sprogvurdering', period: 'age-4', value: 'generel', measured_on: '2023-01-10' },
        { cpr: D, kind: 'sprogvurdering', period: 'age-4', value: 'generel', measured_on: '2023-01-10' },
      ]),
    );
    expect(batch.results[0].outcome).toBe('accepted');
    expect(batch.results[1]).toMatchObject({ outcome: 'rejected' });
    expect(ok(await t.call('GET', `/v1/measurements/${batch.results[0].measurement_id}`)).child_id).toBe(ids.c);
    expect((await keyStatus(t)).k1.children).toBe(3);

    // A lookup finds the child and moves it to the active key, saying so in the audit log.
    expect(ok(await t.call('POST', '/v1/children/lookup', { cpr: A })).id).toBe(ids.a);
    expect(await keyStatus(t)).toMatchObject({ k1: { children: 2 }, k2: { children: 1 } });
    const lookups = ok(await t.call('GET', `/v1/audit-log?action=child.lookup&target_id=${ids.a}`)).items;
    expect(lookups.map((r: { details: unknown }) => r.details)).toEqual([{ rekeyed_from: 'k1' }]);
    expect(ok(await t.call('POST', '/v1/children/lookup', { cpr: A })).id).toBe(ids.a); // now under k2
    expectProblem(await t.call('POST', '/v1/children', { cpr: A }), 409, 'body.cpr');
  });

  it('re-keys from a list of CPRs: counts, idempotent, resumable, never printing a CPR', async () => {
    const lines = [
      '# municipal register extract',
      A, // already moved by the lookup
      JSON.stringify({ cpr: B, name: 'ignored' }),
      '',
      JSON.stringify(strip(C)),
      D, // valid, not registered
      '310223-1234', // impossible date
      '{not json',
    ];
    const seen: number[] = [];
    const report = await rekeyFromLines(t.ctx.services.cprKeys, lines, { batchSize: 2, onBatch: (r) => seen.push(r.committed_through_line) });
    expect(report).toEqual({
      lines: 8,
      invalid: 2,
      invalid_lines: [7, 8],
      rekeyed: 2,
      already_current: 1,
      not_found: 1,
      changed_meanwhile: 0,
      duplicate_child_ids: [],
      committed_through_line: 8,
    });
    expect(seen).toEqual([3, 6]); // one transaction per 2 CPRs
    expect(await keyStatus(t)).toMatchObject({ k1: { children: 0, retirable: true }, k2: { children: 3 } });
    const rekeys = ok(await t.call('GET', '/v1/audit-log?action=cpr.rekey')).items;
    expect(rekeys.map((r: any) => [r.actor_key_id, r.target_id, r.details])).toEqual([
      [null, 'k2', { rekeyed: 1, from: { k1: 1 } }],
      [null, 'k2', { rekeyed: 1, from: { k1: 1 } }],
    ]);

    // Running again changes nothing; resuming after line 3 only looks at the rest.
    const rerun = await rekeyFromLines(t.ctx.services.cprKeys, lines, { batchSize: 100 });
    expect(rerun).toMatchObject({ rekeyed: 0, already_current: 3, not_found: 1, invalid: 2 });
    const resumed = await rekeyFromLines(t.ctx.services.cprKeys, lines, { batchSize: 100, skipLines: 3 });
    expect(resumed).toMatchObject({ lines: 8, rekeyed: 0, already_current: 1, not_found: 1, invalid: 2, invalid_lines: [7, 8] });
    expect(ok(await t.call('GET', '/v1/audit-log?action=cpr.rekey')).items).toHaveLength(2);
  });

  it('leaves a CPR registered twice under different keys alone and reports both children', async () => {
    // Such pairs can only predate the cross-key duplicate check; make one by hand.
    const dupId = (
      await t.ctx.db
        .insertInto('children')
        .values({ birth_date: '2019-03-15', attributes: '{}', cpr_key_id: 'k1', cpr_hmac: createHmac('sha256', K1).update(strip(A)).digest('hex') })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    const counts = await t.ctx.services.cprKeys.rekey(null, [strip(A)]);
    expect(counts).toMatchObject({ rekeyed: 0, already_current: 0, duplicate_child_ids: expect.arrayContaining([ids.a, dupId]) });
    expect(counts.duplicate_child_ids).toHaveLength(2);
    await t.ctx.db.deleteFrom('children').where('id', '=', dupId).execute();
  });

  it('the command line tool prints the status and re-keys a list read from stdin', async () => {
    // Move one child back under k1 to give the command something to do.
    await t.ctx.db
      .updateTable('children')
      .set({ cpr_key_id: 'k1', cpr_hmac: createHmac('sha256', K1).update(strip(B)).digest('hex') })
      .where('id', '=', ids.b!)
      .execute();
    const dataDir = mkdtempSync(join(tmpdir(), 'smb-rekey-'));
    try {
      const env = { ...RING_BOTH, DATABASE_URL: databaseUrl, DATA_DIR: dataDir, NODE_ENV: 'test', ADMIN_BOOTSTRAP_KEY: t.adminKey };
      const status = await runCli(['--status'], env);
      expect(status.code, status.stderr).toBe(0);
      expect(JSON.parse(status.stdout).keys).toEqual([
        { key_id: 'k1', active: false, in_ring: true, children: 1, retirable: false },
        { key_id: 'k2', active: true, in_ring: true, children: 2, retirable: false },
      ]);
      const input = [A, B, C].map((c) => JSON.stringify({ cpr: c })).join('\n') + `\n${D}\n`;
      const res = await runCli(['-', '--batch-size', '2'], env, input);
      expect(res.code, res.stderr).toBe(0);
      expect(JSON.parse(res.stdout)).toMatchObject({ active_key_id: 'k2', rekeyed: 1, already_current: 2, not_found: 1, lines: 4 });
      expect(res.stderr).toContain('committed through line 2: 1 rekeyed');
      for (const out of [status, res]) {
        for (const cpr of [A, B, C, D]) expect(out.stdout + out.stderr).not.toContain(strip(cpr).slice(0, 6));
      }
      expect(await keyStatus(t)).toMatchObject({ k1: { children: 0, retirable: true } });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses to start with a ring lacking a key stored hashes use, naming the key id but no secret', async () => {
    await restart(RING_K2); // k1 retired: no child uses it any more
    expect(ok(await t.call('POST', '/v1/children/lookup', { cpr: C })).id).toBe(ids.c);
    const err = await createTestApp({ env: { DATABASE_URL: databaseUrl, ...RING_K1 } }).then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(/key id\(s\) missing from CPR_HMAC_KEYS: "k2" \(3 children\)/);
    expect(err?.message).not.toContain(K1.toString('base64'));
    expect(err?.message).not.toContain(K2.toString('base64'));
  });
});

describe('audit log', () => {
  let auditor: string;
  beforeAll(async () => {
    auditor = await createKey(t, { role: 'auditor' });
  });

  it('lists records to auditors with filters and cursor pagination; other roles may not', async () => {
    const fund = ok(await t.call('POST', '/v1/funds', { name: 'Audited' }), 201).id;
    ok(await t.call('PATCH', `/v1/funds/${fund}`, { name: 'Audited again' }));
    const { items, pages } = await allPages(t, '/v1/audit-log', 3, auditor);
    expect(pages).toBeGreaterThan(3);
    expect(items.map((r) => r.id)).toEqual([...items.map((r) => r.id)].sort((a, b) => a - b));
    expect(new Set(items.map((r) => r.id)).size).toBe(items.length);

    const forFund = ok(await t.call('GET', `/v1/audit-log?target_type=fund&target_id=${fund}`, undefined, auditor)).items;
    const adminKeyId = parseApiKey(t.adminKey)!.id;
    expect(forFund).toEqual([
      {
        id: expect.any(Number),
        at: expect.any(String),
        actor_key_id: adminKeyId,
        actor_role: 'admin',
        action: 'fund.create',
        target_type: 'fund',
        target_id: fund,
        details: { name: 'Audited' },
      },
      {
        id: expect.any(Number),
        at: expect.any(String),
        actor_key_id: adminKeyId,
        actor_role: 'admin',
        action: 'fund.update',
        target_type: 'fund',
        target_id: fund,
        details: { fields: ['name'] },
      },
    ]);
    const byActor = ok(await t.call('GET', `/v1/audit-log?actor_key_id=${adminKeyId}&action=fund.update`, undefined, auditor)).items;
    expect(byActor.map((r: { target_id: string }) => r.target_id)).toEqual([fund]);

    // Time window: [from, to).
    const at = forFund[1].at as string;
    const window = (q: string) => t.call('GET', `/v1/audit-log?target_id=${fund}&${q}`, undefined, auditor);
    expect(ok(await window(`from=${encodeURIComponent(at)}`)).items.map((r: any) => r.action)).toEqual(['fund.update']);
    expect(ok(await window(`to=${encodeURIComponent(forFund[0].at)}`)).items).toEqual([]);
    expect(ok(await window(`from=${encodeURIComponent(forFund[0].at)}&to=2999-01-01T00:00:00%2B01:00`)).items).toHaveLength(2);

    expectProblem(await t.call('GET', '/v1/audit-log?from=yesterday', undefined, auditor), 400, 'query.from');
    expectProblem(await t.call('GET', '/v1/audit-log?from=2024-02-01T00:00:00Z&to=2024-01-01T00:00:00Z', undefined, auditor), 422, 'query.to');
    expectProblem(await t.call('GET', '/v1/audit-log?cursor=bm9wZQ', undefined, auditor), 422, 'query.cursor');
    expectProblem(await t.call('GET', '/v1/audit-log?actor=x', undefined, auditor), 400);
    const institution = ok(await t.call('POST', '/v1/institutions', { code: 'V-9', kind: 'vuggestue', name: 'V9' }), 201);
    const institutionKey = await createKey(t, { role: 'institution', institution: institution.id });
    const integration = await createKey(t, { role: 'integration', scope: { kinds: null, institutions: null, enrolments: false } });
    for (const key of [institutionKey, integration]) expectProblem(await t.call('GET', '/v1/audit-log', undefined, key), 403);
    expectProblem(await t.call('GET', '/v1/audit-log', undefined, null), 401);
  });

  it('is append-only in the database: no UPDATE, DELETE or TRUNCATE', async () => {
    const before = await count(t, 'audit_log');
    await expect(sql`update audit_log set action = 'nothing happened'`.execute(t.ctx.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`.execute(t.ctx.db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(t.ctx.db)).rejects.toThrow(/append-only/);
    expect(await count(t, 'audit_log')).toBe(before);
  });
});

describe('API-key revocation', () => {
  it('takes effect on the very next request, also for an Idempotency-Key replay', async () => {
    const admin = await createKey(t, { role: 'admin' });
    const post = (key: string) =>
      t.app.inject({
        method: 'POST',
        url: '/v1/funds',
        headers: { authorization: `Bearer ${key}`, 'idempotency-key': 'fund-once' },
        payload: { name: 'Once' },
      });
    expect((await post(admin)).statusCode).toBe(201);
    const replay = await post(admin);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    ok(await t.call('POST', `/v1/api-keys/${parseApiKey(admin)!.id}/revoke`, {}));
    const after = await post(admin);
    expect(after.statusCode).toBe(401);
    expect(after.headers['idempotent-replayed']).toBeUndefined();
    expectProblem(await t.call('GET', '/v1/funds', undefined, admin), 401);
    const revocations = ok(await t.call('GET', `/v1/audit-log?action=api_key.revoke&target_id=${parseApiKey(admin)!.id}`)).items;
    expect(revocations).toHaveLength(1);
  });

  it('takes effect at once in another process on the same database', async () => {
    const other = await createTestApp({ env: { DATABASE_URL: databaseUrl, ...RING_K2 } });
    try {
      const auditor = await createKey(t, { role: 'auditor' });
      ok(await other.call('GET', '/v1/funds', undefined, auditor)); // the other process has seen the key
      ok(await other.call('GET', '/v1/funds', undefined, auditor));
      ok(await t.call('POST', `/v1/api-keys/${parseApiKey(auditor)!.id}/revoke`, {}));
      expectProblem(await other.call('GET', '/v1/funds', undefined, auditor), 401);
    } finally {
      await other.close();
    }
  });
});
