import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWARD_HEAD_SQL, REVISION_HEAD_SQL } from '../../migrations/0024_export_fragment.js';
import { buildApp, type App } from '../../src/http/app.js';
import { exportRoutes } from '../../src/http/routes/exports.js';
import { available, funders } from '../../src/ledger/accounts.js';
import type { EntryDraft } from '../../src/services/ledger.js';
import { sealAll } from '../../src/services/ledger-sealer.js';
import { explanationSha256 } from '../../src/ledger/explanation.js';
import { sealEntry } from '../../src/ledger/hash-chain.js';
import { sealOnce } from '../../src/services/ledger-sealer.js';
import { createHash } from 'node:crypto';
import { CSV_COLUMNS } from '../../src/services/exports.js';
import { ndjsonLine, ndjsonQuery } from '../../src/repositories/exports.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { assertConforms, checkResponses } from '../support/contract.js';
import { parseCsv } from '../support/csv.js';
import { count, createKey, expectProblem, ok } from './registry/helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NDJSON_KEYS = ['seq', 'entry_id', 'posted_at', 'kind', 'fund_id', 'award_id', 'memo', 'lines', 'explanation_sha256', 'prev_hash', 'hash', 'award'];
/** verify-ledger's verdict on an export whose award explanations all match their entries. */
const okLine = (n: number, seq: number, hash: string, explanations: number) =>
  `OK: ${n} entries verified, last seq ${seq}, last hash ${hash}; ${explanations} explanations match their entries`;
const explanationsIn = (lines: string[]) => lines.filter((l) => JSON.parse(l).explanation_sha256 !== null).length;

let t: TestApp;
/** The app under test, with the export routes (registered here until v1.ts includes them). */
let app: App;
let tmp: string;
let fund1: string;
let fund2: string;
let inst1: string;
let inst2: string;
let ruleId: string;
let auditorKey: string;

async function exportApp(ctx: TestApp['ctx']): Promise<App> {
  const a = checkResponses(await buildApp(ctx));
  if (!a.hasRoute({ method: 'GET', url: '/v1/ledger/export.ndjson' })) await a.register(exportRoutes, { prefix: '/v1', ctx });
  await a.ready();
  return a;
}

async function get(url: string, key: string | null = t.adminKey) {
  const res = await app.inject({ method: 'GET', url, headers: key ? { authorization: `Bearer ${key}` } : {} });
  return { status: res.statusCode, headers: res.headers, text: res.body };
}

/** The export's entries, parsed (asserts a 200 NDJSON answer). */
async function ndjson(query = '', key: string | null = t.adminKey): Promise<any[]> {
  const res = await get(`/v1/ledger/export.ndjson${query}`, key);
  expect(res.status, res.text).toBe(200);
  return res.text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
}

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('npx', ['tsx', 'src/cli/verify-ledger.ts', ...args], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const sum = (lines: Array<{ amount_ore: number }>) => lines.reduce((s, l) => s + BigInt(l.amount_ore), 0n);

beforeAll(async () => {
  t = await createTestApp();
  app = await exportApp(t.ctx);
  tmp = mkdtempSync(join(tmpdir(), 'smb-exports-'));

  ok(await t.call('PUT', '/v1/measurement-kinds/sprogvurdering', { type: 'enum', values: ['generel', 'saerlig'] }), 200);
  fund1 = ok(await t.call('POST', '/v1/funds', { name: 'F1' }), 201).id;
  fund2 = ok(await t.call('POST', '/v1/funds', { name: 'F2' }), 201).id;
  ok(await t.call('POST', `/v1/funds/${fund1}/deposits`, { amount_ore: 100_000_000, funder: 'LBF, "the foundation"', reference: 'r1' }), 201);
  ok(await t.call('POST', `/v1/funds/${fund2}/deposits`, { amount_ore: 5_000_000, funder: 'Other' }), 201);
  ok(await t.call('POST', `/v1/funds/${fund1}/deposits`, { amount_ore: 2_000_000, funder: 'LBF' }), 201);
  inst1 = ok(await t.call('POST', '/v1/institutions', { code: 'V-101', kind: 'vuggestue', name: 'V101' }), 201).id;
  inst2 = ok(await t.call('POST', '/v1/institutions', { code: 'V-102', kind: 'vuggestue', name: 'V102' }), 201).id;
  const c1 = ok(await t.call('POST', '/v1/children', { birth_date: '2019-03-15', external_ref: 'C1' }), 201).id;
  const c2 = ok(await t.call('POST', '/v1/children', { birth_date: '2019-05-01', external_ref: 'C2' }), 201).id;
  ok(await t.call('POST', '/v1/enrolments', { child: c1, institution: 'V-101', start: '2020-01-15', end: '2022-01-15' }), 201);
  ok(await t.call('POST', '/v1/enrolments', { child: c2, institution: 'V-102', start: '2019-06-01', end: '2022-05-01' }), 201);
  ruleId = ok(
    await t.call('POST', '/v1/rules', {
      fund_id: fund1,
      name: 'R1',
      kind: 'sprogvurdering',
      versions: [
        {
          effective_from: '2015-01-01',
          predicate: { op: 'in', values: ['generel'] },
          amount: { fixed_ore: 1_000_000 },
          age_basis: 'months',
          windows: [{ from: 0, to: 36, share_bp: 10000, kinds: ['vuggestue'] }],
        },
      ],
    }),
    201,
  ).id;
  await t.settled();
  for (const child of [c1, c2]) {
    ok(
      await t.call('POST', '/v1/measurements', { child_id: child, kind: 'sprogvurdering', period: 'age-4', value: 'generel', measured_on: '2023-04-20' }),
      201,
    );
  }
  await t.settled();
  ok(await t.call('POST', '/v1/awards/finalise', { fund_id: fund1, reason: 'test: finalise without waiting for the review window' }));
  await t.settled();
  auditorKey = await createKey(t, { role: 'auditor' });
});

afterAll(async () => {
  await app?.close();
  await t?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('NDJSON export', () => {
  it('has one line per entry, exactly the hashed fields plus award, balanced lines, and award explanations', async () => {
    const res = await get('/v1/ledger/export.ndjson');
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/^application\/x-ndjson/);
    expect(String(res.headers['content-disposition'])).toMatch(/^attachment; filename="[^"]+\.ndjson"$/);
    expect(res.text.endsWith('\n')).toBe(true);
    const entries = res.text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));

    const total = await count(t, 'journal_entries');
    expect(total).toBeGreaterThanOrEqual(7); // 3 deposits, 2 reservations, 2 finalisations
    expect(entries).toHaveLength(total);
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(res.headers['x-ledger-head-seq']).toBe(String(total));
    expect(res.headers['x-ledger-head-hash']).toBe(entries[total - 1].hash);

    for (const e of entries) {
      expect(Object.keys(e).sort()).toEqual([...NDJSON_KEYS].sort());
      expect(e.lines.length).toBeGreaterThan(0);
      for (const l of e.lines) {
        expect(Object.keys(l).sort()).toEqual(['account', 'amount_ore']);
        expect(Number.isInteger(l.amount_ore)).toBe(true);
      }
      expect(sum(e.lines)).toBe(0n);
      if (e.award_id === null) expect(e.award).toBeNull();
      else {
        expect(e.award).toMatchObject({ id: e.award_id, rule_id: ruleId, fund_id: fund1, earned: true, amount_ore: 1_000_000 });
        expect(e.award.measurement_id).toMatch(/^[0-9a-f-]{36}$/);
        expect(Number.isInteger(e.award.payout_total_ore) && Number.isInteger(e.award.retained_ore)).toBe(true);
        expect(e.award.explanation).toMatchObject({ earned: true, amount_ore: 1_000_000 });
        expect(Array.isArray(e.award.explanation.payees)).toBe(true);
        // The revision the entry posts (D168): its fields in a fixed order, no status (which changes after posting).
        expect(Object.keys(e.award)).toEqual([
          'id',
          'rule_id',
          'rule_version_id',
          'measurement_id',
          'fund_id',
          'earned',
          'amount_ore',
          'payout_total_ore',
          'retained_ore',
          'revision',
          'computed_at',
          'explanation',
        ]);
        expect(e.award.revision).toBe(1);
      }
    }
    // The stored head of every award is what migration 0024 builds in SQL for rows written before it.
    const { rows: heads } = await sql<{ js: string; sql: string }>`select export_head as js, ${sql.raw(AWARD_HEAD_SQL)} as sql from awards a`.execute(t.ctx.db);
    expect(heads.length).toBeGreaterThan(0);
    for (const h of heads) expect(h.js).toBe(h.sql);
    const withAward = entries.filter((e) => e.award_id !== null);
    expect(new Set(withAward.map((e) => e.award_id)).size).toBe(2);
    expect(withAward.map((e) => e.kind).sort()).toEqual(['finalise', 'finalise', 'reserve', 'reserve']);
    // A memo with a comma and quotes survives (CSV quoting is checked below).
    expect(entries[0].memo).toContain('"the foundation"');
  });

  it('streams from PostgreSQL byte for byte what the embedded database pages assemble (ndjsonLine) from the same rows', async () => {
    expect(t.ctx.database.kind).toBe('postgres');
    const res = await get('/v1/ledger/export.ndjson');
    expect(res.status).toBe(200);
    const head = BigInt(String(res.headers['x-ledger-head-seq']));
    const rows = await ndjsonQuery(t.ctx.db, { toSeq: head }).execute();
    expect(rows.filter((r) => r.award_head !== null).length).toBeGreaterThan(0);
    expect(res.text).toBe(rows.map(ndjsonLine).join(''));
  });

  it('filters by fund, seq range and institution like /v1/ledger/entries', async () => {
    const all = await ndjson();
    const f2 = await ndjson(`?fund_id=${fund2}`);
    expect(f2).toHaveLength(1);
    expect(f2[0].fund_id).toBe(fund2);
    const f1 = await ndjson(`?fund_id=${fund1}`);
    expect(f1.length).toBe(all.length - 1);
    expect(f1.every((e) => e.fund_id === fund1)).toBe(true);

    const range = await ndjson('?from_seq=2&to_seq=4');
    expect(range.map((e) => e.seq)).toEqual([2, 3, 4]);
    expect(range).toEqual(all.slice(1, 4));

    const byInst = await ndjson(`?institution_id=${inst2}`);
    expect(byInst.length).toBeGreaterThan(0);
    expect(byInst.length).toBeLessThan(all.length);
    for (const e of byInst) expect(e.lines.some((l: { account: string }) => l.account.endsWith(`:payable:${inst2}`))).toBe(true);
    expect(byInst.some((e) => e.lines.some((l: { account: string }) => l.account.endsWith(`:payable:${inst1}`)))).toBe(false);

    const listed = ok(await t.call('GET', `/v1/ledger/entries?institution_id=${inst2}&limit=1000`)).items;
    expect(byInst.map((e) => e.entry_id)).toEqual(listed.map((e: { id: string }) => e.id));

    const byAward = await ndjson(`?award_id=${byInst[0].award_id}`);
    expect(byAward.map((e) => e.kind).sort()).toEqual(['finalise', 'reserve']);
    expect(await ndjson('?from_seq=1000000')).toEqual([]);
    expect(await ndjson(`?to_date=2000-01-01`)).toEqual([]);
    expect((await ndjson(`?from_date=2000-01-01&to_date=2999-12-31`)).length).toBe(all.length);
  });

  it('rejects bad filters with problem+json before streaming', async () => {
    for (const [query, status, field] of [
      ['?fund_id=nope', 400, 'query.fund_id'],
      ['?from_seq=0', 400, 'query.from_seq'],
      ['?fund=x', 400, 'query.fund'],
      ['?from_date=2024-02-30', 400, 'query.from_date'],
      ['?from_seq=5&to_seq=4', 422, 'query.to_seq'],
    ] as const) {
      const res = await get(`/v1/ledger/export.ndjson${query}`);
      expectProblem({ status: res.status, headers: res.headers, body: JSON.parse(res.text) }, status, field);
    }
  });
});

describe('CSV export', () => {
  it('has a header and one row per journal line', async () => {
    const res = await get('/v1/ledger/export.csv');
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/^text\/csv/);
    expect(String(res.headers['content-disposition'])).toMatch(/^attachment; filename="[^"]+\.csv"$/);
    const rows = parseCsv(res.text);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    const body = rows.slice(1);
    expect(body).toHaveLength(await count(t, 'journal_lines'));
    for (const r of body) expect(r).toHaveLength(CSV_COLUMNS.length);

    const col = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
    const bySeq = new Map<string, bigint>();
    for (const r of body) bySeq.set(r[col('seq')]!, (bySeq.get(r[col('seq')]!) ?? 0n) + BigInt(r[col('amount_ore')]!));
    expect(bySeq.size).toBe(await count(t, 'journal_entries'));
    for (const total of bySeq.values()) expect(total).toBe(0n);

    const entries = await ndjson();
    const first = body.filter((r) => r[col('seq')] === '1');
    expect(first.map((r) => r[col('line_no')])).toEqual(first.map((_, i) => String(i + 1)));
    expect(first[0]![col('memo')]).toBe(entries[0].memo);
    expect(first[0]![col('hash')]).toBe(entries[0].hash);
    expect(first[0]![col('posted_at')]).toBe(entries[0].posted_at);
    expect(first[0]![col('posted_on')]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(first.map((r) => [r[col('account')], Number(r[col('amount_ore')])])).toEqual(
      entries[0].lines.map((l: { account: string; amount_ore: number }) => [l.account, l.amount_ore]),
    );
  });

  it('takes the same filters', async () => {
    const rows = parseCsv((await get(`/v1/ledger/export.csv?fund_id=${fund2}`)).text).slice(1);
    expect(rows).toHaveLength(2); // one deposit: funders −x, available +x
    expect(new Set(rows.map((r) => r[CSV_COLUMNS.indexOf('fund_id')]))).toEqual(new Set([fund2]));
    const range = parseCsv((await get('/v1/ledger/export.csv?from_seq=2&to_seq=3')).text).slice(1);
    expect(new Set(range.map((r) => r[0]))).toEqual(new Set(['2', '3']));
  });
});

describe('roles', () => {
  it('admin and auditor can export; institution and integration keys cannot', async () => {
    expect((await ndjson('', auditorKey)).length).toBe(await count(t, 'journal_entries'));
    expect((await get('/v1/ledger/export.csv', auditorKey)).status).toBe(200);
    const institution = await createKey(t, { role: 'institution', institution: 'V-101' });
    const integration = await createKey(t, { role: 'integration', scope: { kinds: null, institutions: null, enrolments: true } });
    for (const key of [institution, integration]) {
      for (const path of ['/v1/ledger/export.ndjson', '/v1/ledger/export.csv']) {
        const res = await get(path, key);
        expectProblem({ status: res.status, headers: res.headers, body: JSON.parse(res.text) }, 403);
      }
    }
    const anon = await get('/v1/ledger/export.ndjson', null);
    expect(anon.status).toBe(401);
  });
});

describe('verify-ledger CLI', () => {
  let full: string;
  let lines: string[];
  beforeAll(async () => {
    const res = await get('/v1/ledger/export.ndjson', auditorKey);
    full = join(tmp, 'full.ndjson');
    writeFileSync(full, res.text);
    lines = res.text.trimEnd().split('\n');
  });

  it('says OK on an untampered export', async () => {
    const last = JSON.parse(lines[lines.length - 1]!);
    const r = await runCli([full]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(okLine(lines.length, last.seq, last.hash, explanationsIn(lines)));
  });

  it('says BROKEN at the seq whose amount was changed', async () => {
    const mid = Math.floor(lines.length / 2);
    const entry = JSON.parse(lines[mid]!);
    entry.lines[0].amount_ore += 100;
    const file = join(tmp, 'amount.ndjson');
    writeFileSync(file, [...lines.slice(0, mid), JSON.stringify(entry), ...lines.slice(mid + 1)].join('\n') + '\n');
    const r = await runCli([file]);
    expect(r.code).toBe(1);
    expect(r.stdout.trim()).toMatch(new RegExp(`^BROKEN at seq ${entry.seq}: hash_mismatch \\(expected [0-9a-f]{64}, actual ${entry.hash}\\)$`));
  });

  it('says BROKEN at the entry whose award explanation was altered, though its chain still verifies', async () => {
    const at = lines.findIndex((l) => JSON.parse(l).explanation_sha256 !== null);
    expect(at, 'the export has an entry posting an award').toBeGreaterThanOrEqual(0);
    const entry = JSON.parse(lines[at]!);
    expect(explanationSha256(entry.award.explanation)).toBe(entry.explanation_sha256);
    entry.award.explanation.amount_ore += 1;
    const file = join(tmp, 'explanation.ndjson');
    writeFileSync(file, [...lines.slice(0, at), JSON.stringify(entry), ...lines.slice(at + 1)].join('\n') + '\n');
    const r = await runCli([file]);
    expect(r.code).toBe(1);
    expect(r.stdout.trim()).toMatch(
      new RegExp(`^BROKEN at seq ${entry.seq}: explanation_mismatch \\(expected ${entry.explanation_sha256}, actual [0-9a-f]{64}\\)$`),
    );
  });

  it('says BROKEN where a line was deleted', async () => {
    const mid = Math.floor(lines.length / 2);
    const removed = JSON.parse(lines[mid]!);
    const file = join(tmp, 'deleted.ndjson');
    writeFileSync(file, [...lines.slice(0, mid), ...lines.slice(mid + 1)].join('\n') + '\n');
    const r = await runCli([file]);
    expect(r.code).toBe(1);
    expect(r.stdout.trim()).toBe(`BROKEN at seq ${removed.seq + 1}: seq_gap (expected ${removed.seq}, actual ${removed.seq + 1})`);
  });

  it('verifies a seq range given the previous hash, or trusting the first entry', { timeout: 90_000 }, async () => {
    const res = await get('/v1/ledger/export.ndjson?from_seq=3', auditorKey);
    const file = join(tmp, 'range.ndjson');
    writeFileSync(file, res.text);
    const before = JSON.parse(lines[1]!); // seq 2
    const last = JSON.parse(lines[lines.length - 1]!);
    const ok = okLine(lines.length - 2, last.seq, last.hash, explanationsIn(lines.slice(2)));

    const plain = await runCli([file]);
    expect(plain.code).toBe(1);
    expect(plain.stdout.trim()).toBe('BROKEN at seq 3: seq_gap (expected 1, actual 3)');
    const withPrev = await runCli(['--prev-hash', before.hash, file]);
    expect(withPrev.code, withPrev.stderr).toBe(0);
    expect(withPrev.stdout.trim()).toBe(ok);
    const trusting = await runCli(['--trust-first', file]);
    expect(trusting.code, trusting.stderr).toBe(0);
    expect(trusting.stdout.trim()).toBe(ok);
    const wrongPrev = await runCli(['--prev-hash', 'a'.repeat(64), file]);
    expect(wrongPrev.code).toBe(1);
    expect(wrongPrev.stdout).toMatch(/^BROKEN at seq 3: prev_hash_mismatch/);
  });

  it('exits 2 on usage errors and reports malformed lines', { timeout: 90_000 }, async () => {
    expect((await runCli([])).code).toBe(2);
    expect((await runCli(['--prev-hash', 'xyz', full])).code).toBe(2);
    expect((await runCli([join(tmp, 'missing.ndjson')])).code).toBe(2);
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--trust-first');
    const file = join(tmp, 'garbage.ndjson');
    writeFileSync(file, `${lines[0]}\n{not json\n`);
    const r = await runCli([file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^BROKEN at seq 2: malformed/);
  });
});

describe("an auditor's own verifier (docs/LEDGER.md, verbatim but for the file reading)", () => {
  // Nothing of the project: node:crypto and the documented rule only.
  const jcs = (v: any): string =>
    Array.isArray(v)
      ? `[${v.map(jcs).join(',')}]`
      : v !== null && typeof v === 'object'
        ? `{${Object.keys(v)
            .sort()
            .map((k) => `${JSON.stringify(k)}:${jcs(v[k])}`)
            .join(',')}}`
        : JSON.stringify(v);
  const sha256 = (...parts: string[]) => parts.reduce((h, p) => h.update(p, 'utf8'), createHash('sha256')).digest('hex');
  function verify(text: string) {
    let prev = '0'.repeat(64),
      seq = 0,
      explanations = 0;
    for (const line of text.split('\n').filter(Boolean)) {
      const { prev_hash, hash, award, ...body } = JSON.parse(line);
      if (body.seq !== seq + 1) throw new Error(`seq gap at ${body.seq}`);
      if (prev_hash !== prev) throw new Error(`prev_hash at ${body.seq}`);
      if (sha256(prev, jcs(body)) !== hash) throw new Error(`hash at ${body.seq}`);
      if (body.lines.reduce((s: bigint, l: any) => s + BigInt(l.amount_ore), 0n) !== 0n) throw new Error(`unbalanced at ${body.seq}`);
      if (body.explanation_sha256) {
        if (sha256(jcs(award.explanation)) !== body.explanation_sha256) throw new Error(`explanation at ${body.seq}`);
        explanations++;
      }
      prev = hash;
      seq = body.seq;
    }
    return { entries: seq, lastHash: prev, explanations };
  }

  it('recomputes every entry and every explanation of a real export, and finds an altered explanation', async () => {
    const res = await get('/v1/ledger/export.ndjson', auditorKey);
    const lines = res.text.trimEnd().split('\n');
    const result = verify(res.text);
    expect(result).toEqual({ entries: lines.length, lastHash: res.headers['x-ledger-head-hash'], explanations: explanationsIn(lines) });
    expect(result.explanations).toBeGreaterThan(0);
    const at = lines.findIndex((l) => JSON.parse(l).explanation_sha256 !== null);
    const altered = JSON.parse(lines[at]!);
    altered.award.explanation.payees = [];
    const tampered = [...lines.slice(0, at), JSON.stringify(altered), ...lines.slice(at + 1)].join('\n');
    expect(() => verify(tampered)).toThrow(`explanation at ${altered.seq}`);
  });
});

describe('signed checkpoints', () => {
  it(
    'verify-ledger proves an export matches a checkpoint and a later checkpoint extends an earlier one; a rewrite is caught',
    { timeout: 120_000 },
    async () => {
      const checkpointing = { keyring: t.ctx.signingKeys, intervalMs: 0 };
      await sealOnce(t.ctx.db, 2000, checkpointing); // a checkpoint of the head now
      const fund = ok(await t.call('POST', '/v1/funds', { name: 'checkpointed' }), 201).id as string;
      ok(await t.call('POST', `/v1/funds/${fund}/deposits`, { amount_ore: 500, funder: 'later' }), 201);
      await sealOnce(t.ctx.db, 2000, checkpointing); // and one after the deposit
      const cps = ok(await t.call('GET', '/v1/ledger/checkpoints?limit=1000', undefined, auditorKey)).items;
      expect(cps.length).toBeGreaterThanOrEqual(2);
      const [earlier, later] = [cps[cps.length - 2], cps[cps.length - 1]];
      expect(later.seq).toBeGreaterThan(earlier.seq);
      const keys = ok(await t.call('GET', '/v1/ledger/checkpoints/keys', undefined, auditorKey)).items;
      const key = keys.find((k: { key_id: string }) => k.key_id === later.key_id);
      expect(key).toBeDefined();
      const [cp1, cp2, pem] = [join(tmp, 'cp1.json'), join(tmp, 'cp2.json'), join(tmp, 'key.pem')];
      writeFileSync(cp1, JSON.stringify(earlier));
      writeFileSync(cp2, JSON.stringify(later));
      writeFileSync(pem, key.public_key_pem);
      const res = await get('/v1/ledger/export.ndjson', auditorKey);
      const file = join(tmp, 'checkpointed.ndjson');
      writeFileSync(file, res.text);

      const good = await runCli([file, '--checkpoint', cp2, '--checkpoint', cp1, '--public-key', pem]);
      expect(good.code, good.stderr + good.stdout).toBe(0);
      expect(good.stdout).toContain(`OK: checkpoint seq ${earlier.seq} signed by key ${earlier.key_id} matches the export`);
      expect(good.stdout).toContain(`OK: checkpoint seq ${later.seq} extends checkpoint seq ${earlier.seq}`);

      // History rewritten with fresh hashes: the chain alone verifies, the kept checkpoint does not.
      const lines = res.text
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l));
      lines[0].memo = `${lines[0].memo} (rewritten)`;
      let prev = '0'.repeat(64);
      for (const e of lines) {
        const { prev_hash: _p, hash: _h, award: _a, ...body } = e;
        e.prev_hash = prev;
        e.hash = sealEntry(prev, body).hash;
        prev = e.hash;
      }
      const rewritten = join(tmp, 'rewritten.ndjson');
      writeFileSync(rewritten, lines.map((e) => JSON.stringify(e)).join('\n') + '\n');
      expect((await runCli([rewritten])).code).toBe(0);
      const caught = await runCli([rewritten, '--checkpoint', cp1, '--public-key', pem]);
      expect(caught.code).toBe(1);
      expect(caught.stdout).toMatch(new RegExp(`CHECKPOINT seq ${earlier.seq}: hash_mismatch`));

      // A checkpoint whose hash was changed no longer carries a valid signature.
      writeFileSync(cp1, JSON.stringify({ ...earlier, hash: lines[0].hash }));
      const forged = await runCli([file, '--checkpoint', cp1, '--public-key', pem]);
      expect(forged.code).toBe(1);
      expect(forged.stdout).toContain(`CHECKPOINT seq ${earlier.seq}: bad_signature`);
    },
  );
});

describe('a large export', () => {
  const N = 20_000;
  it('streams in many chunks over real HTTP and verifies', { timeout: 180_000 }, async () => {
    const fund = ok(await t.call('POST', '/v1/funds', { name: 'bulk' }), 201).id as string;
    for (let i = 0; i < N; i += 1000) {
      const drafts: EntryDraft[] = Array.from({ length: 1000 }, (_, j) => {
        const x = BigInt(100 + i + j);
        return {
          kind: 'deposit',
          fundId: fund,
          memo: `bulk ${i + j}`,
          lines: [
            { account: funders(fund), amount: -x },
            { account: available(fund), amount: x },
          ],
        };
      });
      await t.ctx.db.transaction().execute((trx) => t.ctx.services.ledger.post(trx, drafts));
    }
    await sealAll(t.ctx.db);
    const total = await count(t, 'journal_entries');
    expect(total).toBeGreaterThanOrEqual(N);

    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/v1/ledger/export.ndjson`, { headers: { authorization: `Bearer ${auditorKey}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let chunks = 0;
    let text = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks++;
      text += decoder.decode(value, { stream: true });
    }
    text += decoder.decode();
    expect(chunks).toBeGreaterThan(10);
    assertConforms('GET', '/v1/ledger/export.ndjson', { status: res.status, headers: Object.fromEntries(res.headers), body: text });

    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(total);
    const bulk = lines.map((l) => JSON.parse(l)).filter((e) => e.fund_id === fund);
    expect(bulk).toHaveLength(N);
    expect(bulk[N - 1].lines).toEqual([
      { account: `fund:${fund}:funders`, amount_ore: -(100 + N - 1) },
      { account: `fund:${fund}:available`, amount_ore: 100 + N - 1 },
    ]);

    const file = join(tmp, 'large.ndjson');
    writeFileSync(file, text);
    const r = await runCli([file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(okLine(total, total, String(res.headers.get('x-ledger-head-hash')), explanationsIn(text.trimEnd().split('\n'))));

    const csv = await get('/v1/ledger/export.csv', auditorKey);
    expect(csv.text.trimEnd().split('\r\n')).toHaveLength((await count(t, 'journal_lines')) + 1);
  });
});

describe('an entry that posted a superseded revision of its award', () => {
  it('exports that revision — its amounts, revision number and explanation — and the chain commits to that explanation', async () => {
    const child = ok(await t.call('POST', '/v1/children', { birth_date: '2019-04-01', external_ref: 'C-SUPERSEDED' }), 201).id;
    ok(await t.call('POST', '/v1/enrolments', { child, institution: 'V-101', start: '2019-06-01', end: '2022-04-01' }), 201);
    const measure = async (value: string, status: number) => {
      ok(await t.call('POST', '/v1/measurements', { child_id: child, kind: 'sprogvurdering', period: 'age-4', value, measured_on: '2023-04-20' }), status);
      await t.settled();
    };
    await measure('generel', 201); // earned: reserved (revision 1)
    await measure('saerlig', 200); // corrected, not earned: the reservation released (revision 2)
    const { rows } = await sql<{ id: string }>`select id from awards where child_id = ${child}`.execute(t.ctx.db);
    expect(rows).toHaveLength(1);
    const entries = await ndjson(`?award_id=${rows[0]!.id}`, auditorKey);
    expect(entries.map((e) => [e.kind, e.award.revision])).toEqual([
      ['reserve', 1],
      ['release', 2],
    ]);
    const [first, second] = entries;
    expect(first.award).toMatchObject({ revision: 1, earned: true, amount_ore: 1_000_000, explanation: { earned: true, amount_ore: 1_000_000 } });
    expect(first.award.payout_total_ore + first.award.retained_ore).toBe(1_000_000);
    expect(first.award.payout_total_ore).toBeGreaterThan(0);
    expect(second.award).toMatchObject({ revision: 2, earned: false, amount_ore: 0, payout_total_ore: 0, explanation: { earned: false } });
    for (const e of entries) expect(explanationSha256(e.award.explanation)).toBe(e.explanation_sha256);
    expect(first.award.computed_at < second.award.computed_at).toBe(true);
    // Migration 0024 builds the same head for a superseded revision written before it (with the
    // revision row's own computed_at, which PostgreSQL's clock stamped).
    const { rows: heads } = await sql<{ moved: string; built: string }>`
      select r.export_head as moved, ${sql.raw(REVISION_HEAD_SQL)} as built from award_revisions r join awards a on a.id = r.award_id
       where r.award_id = ${rows[0]!.id} and r.revision = 1`.execute(t.ctx.db);
    const withoutTime = (h: string) => h.replace(/"computed_at":"[^"]+"/, '"computed_at":…');
    expect(withoutTime(heads[0]!.built)).toBe(withoutTime(heads[0]!.moved));
  });
});
