import { randomBytes } from 'node:crypto';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { createContext } from '../context.js';
import { buildApp, type App } from '../http/app.js';
import { startProcessing } from '../../workers/runtime.js';
import { generateApiKey } from '../auth/api-key.js';
import { waitForSettlement } from '../services/settlement-idle.js';
import { createDatabaseOn, dropDatabaseOn } from '../db/server-databases.js';

/**
 * Runs the settlement vectors of ../shared/vectors (format: ../shared/spec/VECTORS.md)
 * through the public HTTP API only: a fresh, empty database per vector, an admin key for
 * setup, the real routes, validation and auth, and the real workers (in-process queue, or
 * BullMQ when REDIS_URL is set), waiting for the queue to drain after each step.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface Vector {
  name: string;
  description?: string;
  setup: {
    measurement_kinds?: Array<{ key: string; type: string; values?: string[]; min?: number; max?: number }>;
    funds?: Array<{ ref: string; deposits_ore?: number[] }>;
    institutions?: Array<{ code: string; kind: string; name?: string; closed_on?: string; successor?: string }>;
    children?: Array<{ ref: string; birth_date: string; attributes?: Record<string, unknown> }>;
    enrolments?: Array<{ child: string; institution: string; start: string; end: string | null }>;
    rules?: Array<{ ref: string; fund: string; kind: string; periods?: string[]; versions: unknown[] }>;
  };
  steps: Array<{
    actions: Array<Record<string, any>>;
    finalize?: boolean;
    expect: {
      awards?: Array<{
        rule: string;
        child: string;
        period: string;
        earned?: boolean;
        amount_ore?: number;
        awaiting_funds?: boolean;
        payouts?: Record<string, number>;
        retained_ore?: number;
      }>;
      only_these_awards?: boolean;
      funds?: Record<string, { available_ore?: number; reserved_ore?: number; payable_ore?: number }>;
      institutions?: Record<string, { payable_ore?: number }>;
    };
  }>;
}

export interface VectorResult {
  name: string;
  ok: boolean;
  differences: string[];
}

export interface Target {
  /** Admin (maintenance) database URL; a fresh database is created on it per vector. Unset: embedded PGlite in memory. */
  databaseUrl?: string | undefined;
  redisUrl?: string | undefined;
}

class ApiError extends Error {}

/** One vector against a fresh database: build the app, run setup and steps, compare. */
export async function runVector(vector: Vector, target: Target): Promise<VectorResult> {
  const admin = generateApiKey();
  const fresh = target.databaseUrl ? await createDatabaseOn(target.databaseUrl, 'smb_vec') : null;
  const dbUrl = fresh?.url;
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    ...(dbUrl ? { DATABASE_URL: dbUrl } : {}),
    ...(target.redisUrl ? { REDIS_URL: target.redisUrl, QUEUE_PREFIX: `vec${randomBytes(4).toString('hex')}` } : {}),
    ADMIN_BOOTSTRAP_KEY: admin.key,
    OUTBOX_POLL_MS: '20',
    PG_POOL_MAX: '4',
  });
  const ctx = await createContext(config, createLogger('silent'), { inMemory: true });
  const processing = await startProcessing(ctx);
  const app = await buildApp(ctx);
  await app.ready();
  try {
    const differences = await drive(app, admin.key, vector, () => waitForSettlement(ctx.db, ctx.queue));
    return { name: vector.name, ok: differences.length === 0, differences };
  } catch (err) {
    return { name: vector.name, ok: false, differences: [`could not run: ${(err as Error).message}`] };
  } finally {
    await app.close();
    await processing.stop();
    await ctx.close();
    if (fresh) await dropDatabaseOn(target.databaseUrl!, fresh.name);
  }
}

type Call = (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => Promise<any>;

/** The vector's references (fund refs, institution codes, child refs, rule refs) → ids. */
interface Refs {
  funds: Map<string, string>;
  institutions: Map<string, string>;
  children: Map<string, string>;
  rules: Map<string, string>;
}

function ref(map: Map<string, string>, what: string, r: string): string {
  const id = map.get(r);
  if (!id) throw new Error(`unknown ${what} reference '${r}'`);
  return id;
}

/** Calls the API as the admin; an error answer throws, naming the problem's fields. */
function apiCaller(app: App, key: string): Call {
  return async (method, url, body) => {
    const res = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${key}` },
      ...(body !== undefined ? { payload: body as object } : {}),
    });
    const parsed = res.body ? JSON.parse(res.body) : undefined;
    if (res.statusCode >= 400) {
      throw new ApiError(`${method} ${url} → ${res.statusCode}: ${parsed?.detail ?? ''} ${JSON.stringify(parsed?.errors ?? [])}`);
    }
    return parsed;
  };
}

/**
 * A vector's kinds replace any built-in (catalogue) kind of the same key and carry no period or
 * age constraints (VECTORS.md): PUT replaces a built-in kind whole, periods included; other keys
 * are created.
 */
async function declareKinds(call: Call, kinds: NonNullable<Vector['setup']['measurement_kinds']>): Promise<void> {
  const builtIn = new Set<string>((await call('GET', '/v1/measurement-kinds?limit=1000')).items.map((k: any) => k.key));
  for (const { key, ...kind } of kinds) {
    if (builtIn.has(key)) await call('PUT', `/v1/measurement-kinds/${encodeURIComponent(key)}`, kind);
    else await call('POST', '/v1/measurement-kinds', { key, ...kind });
  }
}

const enrol = (call: Call, refs: Refs, e: { child: string; institution: string; start: string; end: string | null }) =>
  call('POST', '/v1/enrolments', { child: ref(refs.children, 'child', e.child), institution: e.institution, start: e.start, end: e.end });

async function setUpFunds(call: Call, s: Vector['setup'], refs: Refs): Promise<void> {
  for (const f of s.funds ?? []) {
    const fund = await call('POST', '/v1/funds', { name: f.ref });
    refs.funds.set(f.ref, fund.id);
    for (const amount of f.deposits_ore ?? []) {
      await call('POST', `/v1/funds/${fund.id}/deposits`, { amount_ore: amount, funder: 'vector setup' });
    }
  }
}

async function setUpInstitutions(call: Call, s: Vector['setup'], refs: Refs): Promise<void> {
  // Institution kinds are a configurable list: register any the vector uses.
  const knownKinds = new Set<string>((await call('GET', '/v1/institution-kinds?limit=1000')).items.map((k: any) => k.key));
  for (const i of s.institutions ?? []) {
    if (!knownKinds.has(i.kind)) {
      await call('POST', '/v1/institution-kinds', { key: i.kind, label: i.kind });
      knownKinds.add(i.kind);
    }
  }
  // Successors may refer to institutions listed later: create all, then close.
  for (const i of s.institutions ?? []) {
    const inst = await call('POST', '/v1/institutions', { code: i.code, kind: i.kind, name: i.name ?? i.code });
    refs.institutions.set(i.code, inst.id);
  }
  for (const i of s.institutions ?? []) {
    if (i.closed_on) {
      await call('POST', `/v1/institutions/${refs.institutions.get(i.code)}/close`, {
        closed_on: i.closed_on,
        ...(i.successor ? { successor: i.successor } : {}),
      });
    }
  }
}

/** The vector's setup through the API: kinds, funds, institutions, children, enrolments, rules. */
async function setUp(call: Call, s: Vector['setup']): Promise<Refs> {
  const refs: Refs = { funds: new Map(), institutions: new Map(), children: new Map(), rules: new Map() };
  await declareKinds(call, s.measurement_kinds ?? []);
  await setUpFunds(call, s, refs);
  await setUpInstitutions(call, s, refs);
  for (const c of s.children ?? []) {
    const child = await call('POST', '/v1/children', { birth_date: c.birth_date, external_ref: c.ref, attributes: c.attributes ?? {} });
    refs.children.set(c.ref, child.id);
  }
  for (const e of s.enrolments ?? []) await enrol(call, refs, e);
  for (const r of s.rules ?? []) {
    const rule = await call('POST', '/v1/rules', {
      fund_id: ref(refs.funds, 'fund', r.fund),
      name: r.ref,
      kind: r.kind,
      ...(r.periods ? { periods: r.periods } : {}),
      versions: r.versions,
    });
    refs.rules.set(r.ref, rule.id);
  }
  return refs;
}

/** One action of a step: measure, retract, enrol or deposit. */
async function act(call: Call, refs: Refs, action: Record<string, any>, step: number): Promise<void> {
  if (action.measure) {
    const m = action.measure;
    await call('POST', '/v1/measurements', {
      child_id: ref(refs.children, 'child', m.child),
      kind: m.kind,
      period: m.period,
      value: m.value,
      measured_on: m.measured_on,
    });
  } else if (action.retract) {
    const m = action.retract;
    await call('POST', '/v1/measurements/retract', { child_id: ref(refs.children, 'child', m.child), kind: m.kind, period: m.period });
  } else if (action.enrol) {
    await enrol(call, refs, action.enrol);
  } else if (action.deposit) {
    await call('POST', `/v1/funds/${ref(refs.funds, 'fund', action.deposit.fund)}/deposits`, {
      amount_ore: action.deposit.amount_ore,
      funder: 'vector step',
    });
  } else {
    throw new Error(`step ${step}: unknown action ${Object.keys(action).join(',')}`);
  }
}

/** Setup, then each step's actions, settlement, optional finalisation, and its expectations. */
async function drive(app: App, key: string, vector: Vector, settled: () => Promise<void>): Promise<string[]> {
  const call = apiCaller(app, key);
  const refs = await setUp(call, vector.setup);
  await settled();
  const differences: string[] = [];
  for (const [index, step] of vector.steps.entries()) {
    for (const action of step.actions) await act(call, refs, action, index + 1);
    await settled();
    if (step.finalize) {
      await call('POST', '/v1/awards/finalise', {});
      await settled();
    }
    differences.push(...(await check(call, step.expect, refs, index + 1)));
  }
  return differences;
}

async function listAll(call: (m: 'GET', u: string) => Promise<any>, url: string): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  do {
    const page: any = await call('GET', `${url}${url.includes('?') ? '&' : '?'}limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}

async function check(
  call: (m: 'GET', u: string) => Promise<any>,
  expect: Vector['steps'][number]['expect'],
  refs: Refs,
  step: number,
): Promise<string[]> {
  const diffs: string[] = [];
  const diff = (where: string, field: string, want: unknown, got: unknown) => {
    if (JSON.stringify(want) !== JSON.stringify(got)) diffs.push(`step ${step} ${where} ${field}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
  };
  const ruleIds = new Set(refs.rules.values());
  const allAwards = (await listAll(call, '/v1/awards')).filter((a) => ruleIds.has(a.rule_id));
  const measurements = new Map<string, any>();
  for (const childId of new Set(allAwards.map((a) => a.child_id))) {
    for (const m of await listAll(call, `/v1/measurements?child_id=${childId}`)) measurements.set(m.id, m);
  }
  const matched = new Set<string>();
  for (const want of expect.awards ?? []) {
    const where = `award ${want.rule}/${want.child}/${want.period}`;
    const ruleId = refs.rules.get(want.rule);
    const childId = refs.children.get(want.child);
    const got = allAwards.find(
      (a) => a.rule_id === ruleId && a.child_id === childId && measurements.get(a.measurement_id)?.period === want.period,
    );
    if (!got) {
      diffs.push(`step ${step} ${where}: missing`);
      continue;
    }
    matched.add(got.id);
    if (want.earned !== undefined) diff(where, 'earned', want.earned, got.earned);
    if (want.amount_ore !== undefined) diff(where, 'amount_ore', want.amount_ore, got.amount_ore);
    if (want.awaiting_funds !== undefined) diff(where, 'awaiting_funds', want.awaiting_funds, got.awaiting_funds);
    if (want.retained_ore !== undefined) diff(where, 'retained_ore', want.retained_ore, got.retained_ore);
    if (want.payouts !== undefined) {
      const payouts = Object.fromEntries(got.payouts.filter((p: any) => p.amount_ore !== 0).map((p: any) => [p.code, p.amount_ore]));
      const sorted = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
      diff(where, 'payouts', sorted(want.payouts), sorted(payouts));
    }
  }
  if (expect.only_these_awards) {
    for (const a of allAwards) if (!matched.has(a.id)) diffs.push(`step ${step}: unexpected award ${a.id} (rule ${a.rule_id})`);
  }
  for (const [fundRef, want] of Object.entries(expect.funds ?? {})) {
    const b = await call('GET', `/v1/funds/${refs.funds.get(fundRef)}/balances`);
    for (const field of ['available_ore', 'reserved_ore', 'payable_ore'] as const) {
      if (want[field] !== undefined) diff(`fund ${fundRef}`, field, want[field], b[field]);
    }
  }
  for (const [code, want] of Object.entries(expect.institutions ?? {})) {
    const id = refs.institutions.get(code);
    if (!id) {
      diffs.push(`step ${step} institution ${code}: unknown`);
      continue;
    }
    const b = await call('GET', `/v1/institutions/${id}/balances`);
    if (want.payable_ore !== undefined) diff(`institution ${code}`, 'payable_ore', want.payable_ore, b.payable_ore);
  }
  return diffs;
}
