import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { components } from '../../openapi/openapi.js';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { createContext } from '../context.js';
import { buildApp } from '../http/app.js';
import { startProcessing } from '../../workers/runtime.js';
import { generateApiKey } from '../auth/api-key.js';
import { waitForSettlement } from '../services/settlement-idle.js';
import { createDatabaseOn, dropDatabaseOn } from '../db/server-databases.js';
import { apiClient, type AnswerHook, type ApiClient, type Body } from './client.js';

/**
 * Runs settlement vectors (format: docs/SETTLEMENT.md §10) through the public HTTP API only: a
 * fresh, empty database per vector, an admin key for setup, the real routes, validation and auth
 * — through `app.inject` or a real port on loopback — and the real workers (in-process queue, or
 * BullMQ when REDIS_URL is set), waiting for settlement to finish after each step. Every call goes
 * through a client typed from the committed contract (./client.ts).
 */

export interface Vector {
  name: string;
  description?: string;
  setup: {
    measurement_kinds?: Array<{ key: string; type: string; values?: string[]; min?: number; max?: number }>;
    funds?: Array<{ ref: string; deposits_ore?: number[] }>;
    institutions?: Array<{ code: string; kind: string; name?: string; closed_on?: string; successor?: string }>;
    children?: Array<{ ref: string; birth_date: string; attributes?: Record<string, unknown> }>;
    enrolments?: Array<{ child: string; institution: string; start: string; end: string | null }>;
    rules?: Array<{
      ref: string;
      fund: string;
      /** A single-kind rule's kind, or `requires` for a composite rule (SETTLEMENT.md §11). */
      kind?: string;
      periods?: string[];
      requires?: Record<string, { kind: string; period: string }>;
      versions: unknown[];
    }>;
  };
  steps: Array<{
    actions: Array<{
      measure?: { child: string; kind: string; period: string; value: string | number | boolean; measured_on: string };
      retract?: { child: string; kind: string; period: string };
      enrol?: { child: string; institution: string; start: string; end: string | null };
      deposit?: { fund: string; amount_ore: number };
    }>;
    finalize?: boolean;
    expect: Expectation;
  }>;
}

interface Expectation {
  awards?: Array<{
    rule: string;
    child: string;
    /** Null for a composite rule's award (per rule and child). */
    period: string | null;
    earned?: boolean;
    amount_ore?: number;
    awaiting_funds?: boolean;
    payouts?: Record<string, number>;
    retained_ore?: number;
  }>;
  only_these_awards?: boolean;
  funds?: Record<string, { available_ore?: number; reserved_ore?: number; payable_ore?: number }>;
  institutions?: Record<string, { payable_ore?: number }>;
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
  /** `inject` (default): no socket; `http`: the app listens on a loopback port and is called with fetch. */
  transport?: 'inject' | 'http';
  /** Sees every answer (the tests check each against the OpenAPI document). */
  onAnswer?: AnswerHook;
}

type RuleVersionBody = components['schemas']['RuleVersionInput'];
type Award = components['schemas']['Award'];
type Attributes = NonNullable<Body<'/v1/children'>['attributes']>;

class ApiError extends Error {}

/** The data of a successful call, or an ApiError naming the call, the status and the problem. */
async function must<T>(what: string, call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok || data === undefined) {
    const problem = error as { detail?: string; errors?: unknown } | undefined;
    throw new ApiError(`${what} → ${response.status}: ${problem?.detail ?? ''} ${JSON.stringify(problem?.errors ?? [])}`);
  }
  return data;
}

/** One vector against a fresh database: build the app, run setup and steps, compare. */
export async function runVector(vector: Vector, target: Target): Promise<VectorResult> {
  const admin = generateApiKey();
  const fresh = target.databaseUrl ? await createDatabaseOn(target.databaseUrl, 'smb_vec') : null;
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    ...(fresh ? { DATABASE_URL: fresh.url } : {}),
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
    let baseUrl: string | undefined;
    if (target.transport === 'http') {
      await app.listen({ port: 0, host: '127.0.0.1' });
      baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    }
    const client = apiClient({ app, ...(baseUrl ? { baseUrl } : {}), apiKey: admin.key, ...(target.onAnswer ? { onAnswer: target.onAnswer } : {}) });
    const differences = await drive(client, vector, () => waitForSettlement(ctx.db, ctx.queue));
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

interface Refs {
  funds: Map<string, string>;
  institutions: Map<string, string>;
  children: Map<string, string>;
  rules: Map<string, string>;
  /** Ids of the composite rules: their awards are per (rule, child) and read `period: null`. */
  composite: Set<string>;
}

const ref = (map: Map<string, string>, what: string, r: string) => {
  const id = map.get(r);
  if (!id) throw new Error(`unknown ${what} reference '${r}'`);
  return id;
};

async function setUp(api: ApiClient, s: Vector['setup']): Promise<Refs> {
  const refs: Refs = { funds: new Map(), institutions: new Map(), children: new Map(), rules: new Map(), composite: new Set() };
  await declareKinds(api, s.measurement_kinds ?? []);
  for (const f of s.funds ?? []) {
    const fund = await must('create fund', api.POST('/v1/funds', { body: { name: f.ref } satisfies Body<'/v1/funds'> }));
    refs.funds.set(f.ref, fund.id);
    for (const amount of f.deposits_ore ?? []) {
      await must(
        'deposit',
        api.POST('/v1/funds/{id}/deposits', {
          params: { path: { id: fund.id } },
          body: { amount_ore: amount, funder: 'vector setup' } satisfies Body<'/v1/funds/{id}/deposits'>,
        }),
      );
    }
  }
  await setUpInstitutions(api, s.institutions ?? [], refs);
  for (const c of s.children ?? []) {
    const body = { birth_date: c.birth_date, external_ref: c.ref, attributes: (c.attributes ?? {}) as Attributes } satisfies Body<'/v1/children'>;
    refs.children.set(c.ref, (await must('register child', api.POST('/v1/children', { body }))).id);
  }
  for (const e of s.enrolments ?? []) await enrol(api, refs, e);
  for (const r of s.rules ?? []) {
    const body = {
      fund_id: ref(refs.funds, 'fund', r.fund),
      name: r.ref,
      ...(r.kind !== undefined ? { kind: r.kind } : {}),
      ...(r.requires ? { requires: r.requires } : {}),
      ...(r.periods ? { periods: r.periods } : {}),
      versions: r.versions as RuleVersionBody[],
    } satisfies Body<'/v1/rules'>;
    const id = (await must('create rule', api.POST('/v1/rules', { body }))).id;
    refs.rules.set(r.ref, id);
    if (r.requires) refs.composite.add(id);
  }
  return refs;
}

/**
 * A vector's kinds replace any built-in (catalogue) kind of the same key and carry no period or
 * age constraints (docs/SETTLEMENT.md §10): PUT replaces a built-in kind whole, periods included;
 * other keys are created.
 */
async function declareKinds(api: ApiClient, kinds: NonNullable<Vector['setup']['measurement_kinds']>): Promise<void> {
  const builtIn = new Set((await must('list kinds', api.GET('/v1/measurement-kinds', { params: { query: { limit: 1000 } } }))).items.map((k) => k.key));
  for (const { key, ...kind } of kinds) {
    if (builtIn.has(key)) {
      await must(
        'replace kind',
        api.PUT('/v1/measurement-kinds/{key}', { params: { path: { key } }, body: kind as Body<'/v1/measurement-kinds/{key}', 'put'> }),
      );
    } else {
      await must('create kind', api.POST('/v1/measurement-kinds', { body: { key, ...kind } as Body<'/v1/measurement-kinds'> }));
    }
  }
}

async function setUpInstitutions(api: ApiClient, list: NonNullable<Vector['setup']['institutions']>, refs: Refs): Promise<void> {
  // Institution kinds are a configurable list: register any the vector uses.
  const kinds = await must('list institution kinds', api.GET('/v1/institution-kinds', { params: { query: { limit: 1000 } } }));
  const known = new Set(kinds.items.map((k) => k.key));
  for (const i of list) {
    if (known.has(i.kind)) continue;
    await must('create institution kind', api.POST('/v1/institution-kinds', { body: { key: i.kind, label: i.kind } satisfies Body<'/v1/institution-kinds'> }));
    known.add(i.kind);
  }
  // Successors may refer to institutions listed later: create all, then close.
  for (const i of list) {
    const inst = await must(
      'create institution',
      api.POST('/v1/institutions', { body: { code: i.code, kind: i.kind, name: i.name ?? i.code } satisfies Body<'/v1/institutions'> }),
    );
    refs.institutions.set(i.code, inst.id);
  }
  for (const i of list.filter((x) => x.closed_on)) {
    await must(
      'close institution',
      api.POST('/v1/institutions/{id}/close', {
        params: { path: { id: ref(refs.institutions, 'institution', i.code) } },
        body: { closed_on: i.closed_on!, ...(i.successor ? { successor: i.successor } : {}) } satisfies Body<'/v1/institutions/{id}/close'>,
      }),
    );
  }
}

const enrol = (api: ApiClient, refs: Refs, e: { child: string; institution: string; start: string; end: string | null }) =>
  must(
    'enrol',
    api.POST('/v1/enrolments', {
      body: { child: ref(refs.children, 'child', e.child), institution: e.institution, start: e.start, end: e.end } satisfies Body<'/v1/enrolments'>,
    }),
  );

async function act(api: ApiClient, refs: Refs, action: Vector['steps'][number]['actions'][number], step: number): Promise<void> {
  if (action.measure) {
    const m = action.measure;
    const body = {
      child_id: ref(refs.children, 'child', m.child),
      kind: m.kind,
      period: m.period,
      value: m.value,
      measured_on: m.measured_on,
    } satisfies Body<'/v1/measurements'>;
    await must('measure', api.POST('/v1/measurements', { body }));
  } else if (action.retract) {
    const m = action.retract;
    const body = { child_id: ref(refs.children, 'child', m.child), kind: m.kind, period: m.period } satisfies Body<'/v1/measurements/retract'>;
    await must('retract', api.POST('/v1/measurements/retract', { body }));
  } else if (action.enrol) {
    await enrol(api, refs, action.enrol);
  } else if (action.deposit) {
    const { fund, amount_ore } = action.deposit;
    const body = { amount_ore, funder: 'vector step' } satisfies Body<'/v1/funds/{id}/deposits'>;
    await must('deposit', api.POST('/v1/funds/{id}/deposits', { params: { path: { id: ref(refs.funds, 'fund', fund) } }, body }));
  } else {
    throw new Error(`step ${step}: unknown action ${Object.keys(action).join(',')}`);
  }
}

async function drive(api: ApiClient, vector: Vector, settled: () => Promise<void>): Promise<string[]> {
  const refs = await setUp(api, vector.setup);
  await settled();
  const differences: string[] = [];
  for (const [index, step] of vector.steps.entries()) {
    for (const action of step.actions) await act(api, refs, action, index + 1);
    await settled();
    if (step.finalize) {
      // `finalize: true` finalises every funded, unheld provisional award of the vector's funds now.
      for (const fundId of refs.funds.values()) {
        const body = { fund_id: fundId, reason: `vector ${vector.name}, step ${index + 1}: finalize` } satisfies Body<'/v1/awards/finalise'>;
        await must('finalise', api.POST('/v1/awards/finalise', { body }));
      }
      await settled();
    }
    differences.push(...(await check(api, step.expect, refs, index + 1)));
  }
  return differences;
}

/** Every page of a list (`fetchPage(cursor)`), in order. */
async function listAll<T>(fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; next_cursor: string | null }>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return items;
}

const sortedByKey = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));

async function check(api: ApiClient, expect: Expectation, refs: Refs, step: number): Promise<string[]> {
  const diffs: string[] = [];
  const diff = (where: string, field: string, want: unknown, got: unknown) => {
    if (JSON.stringify(want) !== JSON.stringify(got))
      diffs.push(`step ${step} ${where} ${field}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
  };
  const ruleIds = new Set(refs.rules.values());
  const awards = (
    await listAll((cursor) => must('list awards', api.GET('/v1/awards', { params: { query: { limit: 1000, ...(cursor ? { cursor } : {}) } } })))
  ).filter((a) => ruleIds.has(a.rule_id));
  const periods = new Map<string, string>();
  for (const childId of new Set(awards.map((a) => a.child_id))) {
    const list = (cursor: string | undefined) =>
      must('list measurements', api.GET('/v1/measurements', { params: { query: { child_id: childId, limit: 1000, ...(cursor ? { cursor } : {}) } } }));
    for (const m of await listAll(list)) periods.set(m.id, m.period);
  }
  const matched = new Set<string>();
  for (const want of expect.awards ?? []) {
    const where = `award ${want.rule}/${want.child}/${want.period}`;
    const periodOf = (a: Award) => (refs.composite.has(a.rule_id) ? null : periods.get(a.measurement_id));
    const got = awards.find((a) => a.rule_id === refs.rules.get(want.rule) && a.child_id === refs.children.get(want.child) && periodOf(a) === want.period);
    if (!got) {
      diffs.push(`step ${step} ${where}: missing`);
      continue;
    }
    matched.add(got.id);
    compareAward(want, got, (field, w, g) => diff(where, field, w, g));
  }
  if (expect.only_these_awards) {
    for (const a of awards) if (!matched.has(a.id)) diffs.push(`step ${step}: unexpected award ${a.id} (rule ${a.rule_id})`);
  }
  diffs.push(...(await checkBalances(api, expect, refs, diff, step)));
  return diffs;
}

function compareAward(want: NonNullable<Expectation['awards']>[number], got: Award, diff: (field: string, want: unknown, got: unknown) => void): void {
  for (const field of ['earned', 'amount_ore', 'awaiting_funds', 'retained_ore'] as const) {
    if (want[field] !== undefined) diff(field, want[field], got[field]);
  }
  if (want.payouts !== undefined) {
    const payouts = Object.fromEntries(got.payouts.filter((p) => p.amount_ore !== 0).map((p) => [p.code, p.amount_ore]));
    diff('payouts', sortedByKey(want.payouts), sortedByKey(payouts));
  }
}

async function checkBalances(
  api: ApiClient,
  expect: Expectation,
  refs: Refs,
  diff: (where: string, field: string, want: unknown, got: unknown) => void,
  step: number,
): Promise<string[]> {
  const missing: string[] = [];
  for (const [fundRef, want] of Object.entries(expect.funds ?? {})) {
    const b = await must('fund balances', api.GET('/v1/funds/{id}/balances', { params: { path: { id: ref(refs.funds, 'fund', fundRef) } } }));
    for (const field of ['available_ore', 'reserved_ore', 'payable_ore'] as const) {
      if (want[field] !== undefined) diff(`fund ${fundRef}`, field, want[field], b[field]);
    }
  }
  for (const [code, want] of Object.entries(expect.institutions ?? {})) {
    const id = refs.institutions.get(code);
    if (!id) {
      missing.push(`step ${step} institution ${code}: unknown`);
      continue;
    }
    const b = await must('institution balances', api.GET('/v1/institutions/{id}/balances', { params: { path: { id } } }));
    if (want.payable_ore !== undefined) diff(`institution ${code}`, 'payable_ore', want.payable_ore, b.payable_ore);
  }
  return missing;
}
