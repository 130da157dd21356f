import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { institutionsFor, population } from './population.js';
import { defaultRules, MEASUREMENT_KINDS } from './seed.js';

/**
 * `npm run seed -- --demo`: a small demo population put into a running service through its
 * public HTTP API (so it works on the embedded default while `npm start` holds the database):
 * institutions, a fund with a deposit a little short of what the awards need (so some await
 * funds), the default rules, children with enrolments and measurements; then it waits for
 * settlement, finalises half of the provisional awards, makes a payment run and confirms it, and
 * creates an auditor key and an institution key for the dashboard.
 */
export interface DemoOptions {
  baseUrl: string;
  adminKey: string;
  children: number;
  seed: number;
  today: string;
  dataDir: string;
  say: (line: string) => void;
}

export async function seedDemo(o: DemoOptions): Promise<{ fundId: string; keysFile: string }> {
  const api = client(o.baseUrl, o.adminKey);
  for (const k of MEASUREMENT_KINDS) {
    if ((await api.call('GET', `/v1/measurement-kinds/${encodeURIComponent(k.key)}`)).status === 404) await api.ok('POST', '/v1/measurement-kinds', k);
  }
  const institutions = institutionsFor(o.children);
  for (const inst of institutions) {
    const res = await api.call('POST', '/v1/institutions', inst);
    if (res.status !== 201 && res.status !== 409) throw new Error(`institution ${inst.code}: ${res.status} ${res.text}`);
  }
  const fund = (await api.ok('POST', '/v1/funds', { name: 'Mobilitetsfonden (demo)' })) as { id: string };
  // Enough for most awards, not all: the overview then shows awards waiting for funds.
  await api.ok('POST', `/v1/funds/${fund.id}/deposits`, { amount_ore: o.children * 1_000_000, funder: 'Landsbyggefonden', reference: 'DEMO' });
  for (const rule of defaultRules(fund.id)) await api.ok('POST', '/v1/rules', rule);
  const people = [...population({ children: o.children, seed: o.seed, today: o.today })];
  await batches(
    api,
    '/v1/children/batch',
    people.map((p) => p.child),
  );
  await batches(
    api,
    '/v1/enrolments/batch',
    people.flatMap((p) => p.enrolments.map((e) => ({ child_ref: e.child_ref, institution: e.institution, start: e.start, end: e.end }))),
  );
  await batches(
    api,
    '/v1/measurements/batch',
    people.flatMap((p) => p.measurements),
  );
  o.say(`stored ${people.length} children, ${institutions.length} institutions; settling …`);
  await waitIdle(api);
  const provisional = (await api.ok('GET', `/v1/awards?fund_id=${fund.id}&status=provisional&limit=500`)) as { items: Array<{ id: string }> };
  const half = provisional.items.filter((_, i) => i % 2 === 0).map((a) => a.id);
  const finalised = (await api.ok('POST', '/v1/awards/finalise', {
    fund_id: fund.id,
    award_ids: half,
    reason: 'demo: half of the awards finalised early so that a payment run has something to pay',
  })) as { finalised: number };
  const run = (await api.ok('POST', `/v1/funds/${fund.id}/payment-runs`, { cutoff_on: o.today })) as { id: string };
  await api.ok('POST', `/v1/payment-runs/${run.id}/confirm`, {});
  o.say(`finalised ${finalised.finalised} awards early and paid them in payment run ${run.id}`);
  const auditor = (await api.ok('POST', '/v1/api-keys', { name: 'demo auditor', role: 'auditor' })) as { key: string };
  const institution = (await api.ok('POST', '/v1/api-keys', {
    name: 'demo institution',
    role: 'institution',
    institution: institutions.find((i) => i.kind === 'vuggestue')!.code,
  })) as { key: string };
  const keysFile = join(o.dataDir, 'demo-keys.txt');
  writeFileSync(keysFile, `auditor ${auditor.key}\ninstitution ${institution.key}\n`, { mode: 0o600 });
  chmodSync(keysFile, 0o600);
  return { fundId: fund.id, keysFile };
}

function client(base: string, key: string) {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, text: await res.text() };
  };
  return {
    call,
    async ok(method: string, path: string, body?: unknown): Promise<unknown> {
      const res = await call(method, path, body);
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
      return JSON.parse(res.text);
    },
  };
}

async function batches(api: ReturnType<typeof client>, path: string, items: unknown[]) {
  for (let i = 0; i < items.length; i += 5000) {
    const out = (await api.ok('POST', path, items.slice(i, i + 5000))) as { results: Array<{ outcome: string }> };
    const rejected = out.results.filter((r) => r.outcome === 'rejected').length;
    if (rejected) throw new Error(`${path}: ${rejected} items rejected`);
  }
}

async function waitIdle(api: ReturnType<typeof client>) {
  for (let quiet = 0; quiet < 2;) {
    const s = (await api.ok('GET', '/v1/settlement/status')) as { idle: boolean };
    quiet = s.idle ? quiet + 1 : 0;
    await new Promise((r) => setTimeout(r, 200));
  }
}
