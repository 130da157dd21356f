import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { camtXml } from '../support/iso20022.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { createKey, ok } from './registry/helpers.js';
import { parseApiKey } from '../../src/auth/api-key.js';
import { businessDate } from '../../src/services/business-date.js';
import { createLanguageRule, send } from './fuzz/support.js';

/**
 * The authorisation matrix of SETTLEMENT.md §7, generated from the OpenAPI document the app
 * serves: every path + method is called with every kind of caller, and the answer is checked
 * against the table below. A route that the table does not classify fails the run, so a new
 * route cannot slip in unreviewed.
 *
 * The table is written from the text of §7, not from the routes' config:
 *   admin        — everything;
 *   integration  — submit measurements (and, where granted, enrolments) for the kinds and
 *                  institutions in its scope; read back what it submitted;
 *   institution  — read its own awards, explanations and statements; object to its own awards;
 *   auditor      — read everything money-related (ledger, awards, explanations, payment runs,
 *                  exports); change nothing.
 * Where §7 is silent the choice is written next to the entry.
 */
type Role = 'admin' | 'integration' | 'institution' | 'auditor';
type Ids = Record<
  | 'fund'
  | 'instA'
  | 'instB'
  | 'childA'
  | 'cprA'
  | 'childB'
  | 'enrolA'
  | 'enrolThrowaway'
  | 'measA'
  | 'measThrowaway'
  | 'rule'
  | 'awardA'
  | 'awardB'
  | 'objection'
  | 'run'
  | 'keyThrowaway'
  | 'payeeChange'
  | 'statement'
  | 'webhookInst'
  | 'webhookInteg'
  | 'deliveryInst'
  | 'deliveryInteg',
  string
>;

/**
 * How a caller of the right role but the wrong object is answered:
 * 403/404 — refused (404 where existence itself must not leak, e.g. another institution's award);
 * 'filtered' — a 2xx list that must not contain the other side's objects;
 * 'item-403' — a batch answered 200 whose every item is rejected with a 403 problem;
 * 'unscoped' — not restricted per object (configuration such as kinds; see the note per entry);
 * 'as-unknown' — answered exactly as the same request naming objects that do not exist (same
 *   status, same problem body but for `instance`): an existence oracle would tell them apart;
 * 'item-as-unknown' — the same, per item of a batch.
 */
type ObjectCheck = 403 | 404 | 'filtered' | 'item-403' | 'unscoped' | 'as-unknown' | 'item-as-unknown';

interface Access {
  roles: Role[];
  public?: true;
  /** Required when institution is allowed: what the key of another institution gets. */
  otherInstitution?: ObjectCheck;
  /** Required when integration is allowed: what an integration whose scope excludes the objects gets. */
  outOfScope?: ObjectCheck;
  query?: string;
  body?: (ids: Ids, role: Role) => unknown;
  /** Path id other than the default object of the resource (destructive calls use throwaway objects). */
  id?: keyof Ids;
}

const ADMIN: Access = { roles: ['admin'], body: () => ({}) };
const MONEY_READ: Access = { roles: ['admin', 'auditor'] };
// Institution award reads: another institution's award is "not found", never "forbidden".
const AWARD_READ: Access = { roles: ['admin', 'auditor', 'institution'], otherInstitution: 404 };
// Configuration (kinds) is neither personal nor money data; every key needs it to form valid requests.
const CONFIG_READ: Access = { roles: ['admin', 'integration', 'institution', 'auditor'], otherInstitution: 'unscoped', outOfScope: 'unscoped' };
const WEBHOOK_READ: Access = { roles: ['admin', 'auditor', 'institution', 'integration'], otherInstitution: 404, outOfScope: 404 };
const WEBHOOK_OWN: Access = { roles: ['admin', 'institution', 'integration'], otherInstitution: 404, outOfScope: 404 };
const measurementItem = (ids: Ids) => ({ child_id: ids.childA, kind: 'sprogvurdering', period: 'age-4', value: 'generel', measured_on: '2023-04-20' });
const enrolmentItem = (ids: Ids) => ({ child: ids.childA, institution: 'V-1', start: '2019-09-01', end: '2022-03-01' });

const enrolmentBatchItem = (ids: Ids) => ({ child_id: ids.childA, institution: 'V-1', start: '2019-09-01', end: '2022-03-01' });

const TABLE: Record<string, Access> = {
  'GET /healthz': { roles: [], public: true },
  'GET /readyz': { roles: [], public: true },

  'POST /v1/funds': ADMIN,
  'GET /v1/funds': MONEY_READ,
  'GET /v1/funds/{id}': MONEY_READ,
  'PATCH /v1/funds/{id}': ADMIN,
  'POST /v1/funds/{id}/deposits': ADMIN,
  'GET /v1/funds/{id}/deposits': MONEY_READ,
  'GET /v1/funds/{id}/balances': MONEY_READ,

  'POST /v1/institutions': ADMIN,
  // Institutions are the payees of every award and payment line: money-related for the auditor.
  'GET /v1/institutions': MONEY_READ,
  // An institution reads its own record (its statement names it); another's is refused.
  'GET /v1/institutions/{id}': { roles: ['admin', 'auditor', 'institution'], otherInstitution: 403 },
  'PATCH /v1/institutions/{id}': ADMIN,
  'POST /v1/institutions/{id}/close': ADMIN,
  'GET /v1/institutions/{id}/balances': { roles: ['admin', 'auditor', 'institution'], otherInstitution: 403 },
  'GET /v1/institutions/{id}/statement': {
    roles: ['admin', 'auditor', 'institution'],
    otherInstitution: 403,
    query: 'from=2019-01-01&to=2030-01-01',
  },

  'POST /v1/children': ADMIN,
  'GET /v1/children': { roles: ['admin'] },
  'POST /v1/children/batch': { roles: ['admin'], body: () => [{ external_ref: 'matrix-batch', birth_date: '2018-01-01' }] },
  // §9: "so integrations can look a child up by CPR" — §7: only children in its scope (enrolled
  // at one of its institutions). Any other CPR, registered or not, gets the same answer.
  'POST /v1/children/lookup': { roles: ['admin', 'integration'], outOfScope: 'as-unknown', body: (ids) => ({ cpr: ids.cprA }) },
  'GET /v1/children/{id}': { roles: ['admin', 'integration'], outOfScope: 'as-unknown' },
  'PATCH /v1/children/{id}': ADMIN,
  // The passport carries the child's awards and their inputs: money-related, never a CPR HMAC.
  'GET /v1/children/{id}/passport': MONEY_READ,

  // Integrations submit enrolments "where granted", for institutions in scope.
  'POST /v1/enrolments': { roles: ['admin', 'integration'], outOfScope: 403, body: enrolmentItem },
  'POST /v1/enrolments/batch': { roles: ['admin', 'integration'], outOfScope: 'item-403', body: (ids) => [enrolmentBatchItem(ids)] },
  // An institution reads the enrolments its award explanations are computed from (its own only).
  'GET /v1/enrolments': { roles: ['admin', 'institution'], otherInstitution: 'filtered' },
  // Another institution's enrolment is refused; outside an integration's scope it does not exist.
  'GET /v1/enrolments/{id}': { roles: ['admin', 'integration', 'institution'], otherInstitution: 403, outOfScope: 'as-unknown' },
  'PATCH /v1/enrolments/{id}': { roles: ['admin', 'integration'], outOfScope: 'as-unknown', body: () => ({ start: '2019-09-01' }) },
  'POST /v1/enrolments/{id}/end': { roles: ['admin', 'integration'], outOfScope: 'as-unknown', body: () => ({ end: '2023-01-01' }) },
  // Deleting is not submitting: admin only.
  'DELETE /v1/enrolments/{id}': { roles: ['admin'], id: 'enrolThrowaway' },

  'POST /v1/measurement-kinds': ADMIN,
  // Replacing a kind that measurements use is refused (409) even for the admin: past authorisation.
  'PUT /v1/measurement-kinds/{key}': { roles: ['admin'], body: () => ({ type: 'boolean' }) },
  // A period every measurement of this file fits (sprogvurdering age-4 at any age up to 100).
  'POST /v1/measurement-kinds/{key}/periods': { roles: ['admin'], body: () => ({ period: 'age-4', basis: 'age', from_months: 0, to_months: 1200 }) },
  'GET /v1/measurement-kinds': CONFIG_READ,
  'GET /v1/measurement-kinds/{key}': CONFIG_READ,
  'GET /v1/institution-kinds': CONFIG_READ,
  'POST /v1/institution-kinds': ADMIN,

  'POST /v1/api-keys': ADMIN,
  'GET /v1/api-keys': { roles: ['admin'] },
  'GET /v1/api-keys/{id}': { roles: ['admin'], id: 'keyThrowaway' },
  'POST /v1/api-keys/{id}/revoke': { roles: ['admin'], id: 'keyThrowaway' },

  // A child outside the scope is an unknown child (its birth date must not show either).
  'POST /v1/measurements': { roles: ['admin', 'integration'], outOfScope: 'as-unknown', body: measurementItem },
  'POST /v1/measurements/batch': { roles: ['admin', 'integration'], outOfScope: 'item-as-unknown', body: (ids) => [measurementItem(ids)] },
  // A retraction is a submission (of a withdrawal).
  'POST /v1/measurements/retract': {
    roles: ['admin', 'integration'],
    outOfScope: 'as-unknown',
    body: (ids) => ({ child_id: ids.childA, kind: 'sprogvurdering', period: 'age-5' }),
  },
  // Measurements are the inputs of awards (their explanations quote them): the auditor reads them.
  'GET /v1/measurements': { roles: ['admin', 'integration', 'auditor'], outOfScope: 'filtered' },
  'GET /v1/measurements/{id}': { roles: ['admin', 'integration', 'auditor'], outOfScope: 'as-unknown' },

  'POST /v1/rules': ADMIN,
  'GET /v1/rules': MONEY_READ,
  'GET /v1/rules/{id}': MONEY_READ,
  // Issue 13: an institution reads the rules that pay it (its own only) and its statement as CSV;
  // the outcome report covers, for an institution key, only children once enrolled there.
  'GET /v1/institutions/{id}/rules': { roles: ['admin', 'auditor', 'institution'], otherInstitution: 403 },
  'GET /v1/institutions/{id}/statement.csv': {
    roles: ['admin', 'auditor', 'institution'],
    otherInstitution: 403,
    query: 'from=2019-01-01&to=2030-01-01',
  },
  'GET /v1/reports/outcomes': { roles: ['admin', 'auditor', 'institution'], otherInstitution: 'filtered' },
  // Issue 13: the fund's liability forecast is money data (admin, auditor); an assumed rate is
  // rule configuration (admin); an institution reads its own pipeline only.
  'GET /v1/funds/{id}/forecast': MONEY_READ,
  'PUT /v1/rules/{id}/assumed-rate': { roles: ['admin'], body: () => ({ rate: '0.4' }) },
  'GET /v1/institutions/{id}/pipeline': { roles: ['admin', 'auditor', 'institution'], otherInstitution: 403 },
  'POST /v1/rules/{id}/versions': ADMIN,
  // Issue 12: pending children (internal ids, what they miss) are money-related (future awards);
  // an institution sees only children it had in one of the rule's windows.
  'GET /v1/rules/{id}/pending': { roles: ['admin', 'auditor', 'institution'], otherInstitution: 'filtered' },
  // Rule templates are published configuration (the proposal's default rules), readable by the
  // roles that read rules or awards; only an admin turns one into a rule of a fund.
  'GET /v1/rule-templates': { roles: ['admin', 'auditor', 'institution'], otherInstitution: 'unscoped' },
  'GET /v1/rule-templates/{key}': { roles: ['admin', 'auditor', 'institution'], otherInstitution: 'unscoped' },
  'POST /v1/rule-templates/{key}/rules': { roles: ['admin'], body: (ids) => ({ fund_id: ids.fund }) },

  'GET /v1/awards': { roles: ['admin', 'auditor', 'institution'], otherInstitution: 'filtered' },
  'GET /v1/awards/{id}': AWARD_READ,
  'GET /v1/awards/{id}/revisions': AWARD_READ,
  'GET /v1/awards/{id}/objections': AWARD_READ,
  'POST /v1/awards/{id}/objections': { roles: ['admin', 'institution'], otherInstitution: 404, body: () => ({ reason: 'matrix' }) },
  'POST /v1/awards/finalise': ADMIN,
  'POST /v1/objections/{id}/resolve': ADMIN,

  'GET /v1/ledger/entries': MONEY_READ,
  'GET /v1/ledger/verify': MONEY_READ,
  'GET /v1/ledger/checkpoints': MONEY_READ,
  'GET /v1/ledger/checkpoints/keys': MONEY_READ,
  'GET /v1/ledger/export.ndjson': MONEY_READ,
  'GET /v1/ledger/export.csv': MONEY_READ,

  'POST /v1/funds/{id}/payment-runs': ADMIN,
  'GET /v1/payment-runs': MONEY_READ,
  'GET /v1/payment-runs/{id}': MONEY_READ,
  'GET /v1/payment-runs/{id}/file': MONEY_READ,
  'POST /v1/payment-runs/{id}/confirm': { roles: ['admin'] },
  'POST /v1/payment-runs/{id}/cancel': { roles: ['admin'] },

  // The settlement backlog is the state of the money still to be computed.
  'GET /v1/settlement/status': MONEY_READ,
  // Children per CPR key id and which keys are retirable: oversight of the key rotation, read-only,
  // and no CPR HMAC in it (§7: the auditor never sees one).
  'GET /v1/admin/cpr-keys': MONEY_READ,

  // Issue 15. Payee details are money-related (where the money goes): admin changes them — with a
  // second admin key approving — the auditor reads them, an institution reads its own.
  'GET /v1/institutions/{id}/payee-details': { roles: ['admin', 'auditor', 'institution'], otherInstitution: 403 },
  'POST /v1/institutions/{id}/payee-details': { roles: ['admin'], body: () => ({ cvr: '61126228', account: { type: 'nemkonto' } }) },
  'GET /v1/payee-detail-changes': MONEY_READ,
  'POST /v1/payee-detail-changes/{id}/approve': ADMIN,
  'POST /v1/payee-detail-changes/{id}/reject': ADMIN,
  'PUT /v1/funds/{id}/account': { roles: ['admin'], body: () => ({ name: 'F', iban: 'DK5000400440116243' }) },
  'GET /v1/funds/{id}/account': MONEY_READ,
  'GET /v1/payment-runs/{id}/file.xml': MONEY_READ,
  'POST /v1/bank-statements': ADMIN,
  'GET /v1/bank-statements': MONEY_READ,
  'GET /v1/bank-statements/{id}': MONEY_READ,
  // Webhooks: an institution or integration key subscribes to its own events and sees only its
  // own subscriptions (another's is "not found"); the auditor reads every subscription and log.
  'POST /v1/webhooks': {
    roles: ['admin', 'institution', 'integration'],
    otherInstitution: 'unscoped',
    outOfScope: 'unscoped',
    body: (_ids, role) => ({ url: 'http://127.0.0.1:9/matrix', events: role === 'integration' ? ['measurement.settled'] : ['award.finalised'] }),
  },
  'GET /v1/webhooks': { roles: ['admin', 'auditor', 'institution', 'integration'], otherInstitution: 'filtered', outOfScope: 'filtered' },
  'GET /v1/webhooks/{id}': WEBHOOK_READ,
  'PATCH /v1/webhooks/{id}': { ...WEBHOOK_OWN, body: () => ({ description: 'matrix' }) },
  'GET /v1/webhooks/{id}/deliveries': WEBHOOK_READ,
  'GET /v1/webhooks/{id}/log': WEBHOOK_READ,
  'POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver': WEBHOOK_OWN,
  // A new signing secret: only who may change the subscription; another owner's is "not found".
  'POST /v1/webhooks/{id}/rotate-secret': { ...WEBHOOK_OWN, body: () => ({ overlap_hours: 1 }) },
};

/** Routes known by shape before they exist: the audit log (being added) is admin + auditor. */
const PATTERNS: Array<{ match: RegExp; access: Access }> = [{ match: /^GET \/v1\/audit[\w/{}.-]*$/, access: MONEY_READ }];

function accessOf(op: string): Access | undefined {
  return TABLE[op] ?? PATTERNS.find((p) => p.match.test(op))?.access;
}

/** Which object a path parameter names, from the collection segment before it. */
const RESOURCE_IDS: Record<string, keyof Ids | 'kindKey' | 'templateKey'> = {
  'rule-templates': 'templateKey',
  funds: 'fund',
  institutions: 'instA',
  children: 'childA',
  enrolments: 'enrolA',
  'measurement-kinds': 'kindKey',
  'api-keys': 'keyThrowaway',
  'payee-detail-changes': 'payeeChange',
  'bank-statements': 'statement',
  measurements: 'measA',
  rules: 'rule',
  awards: 'awardA',
  objections: 'objection',
  'payment-runs': 'run',
};

type Caller = 'none' | 'revoked' | 'auditor' | 'institution (other)' | 'institution (own)' | 'integration (out of scope)' | 'integration (in scope)' | 'admin';
// Admin last: the only role allowed on destructive calls, so the others run against intact objects.
const CALLERS: Caller[] = [
  'none',
  'revoked',
  'auditor',
  'institution (other)',
  'institution (own)',
  'integration (out of scope)',
  'integration (in scope)',
  'admin',
];
const ROLE_OF: Record<Caller, Role | null> = {
  none: null,
  revoked: null,
  auditor: 'auditor',
  'institution (other)': 'institution',
  'institution (own)': 'institution',
  'integration (out of scope)': 'integration',
  'integration (in scope)': 'integration',
  admin: 'admin',
};

type OpenApi = { paths: Record<string, Record<string, unknown>> };
const operationsOf = (doc: OpenApi) =>
  Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.keys(methods)
      .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map((m) => `${m.toUpperCase()} ${path}`),
  );
/**
 * vitest declares tests before beforeAll runs, so they are declared from the committed document
 * (kept equal to the routes by test/integration/openapi.test.ts); the first test also classifies
 * what the running app serves, so a route added without regenerating the document still fails.
 */
const DOCUMENTED_OPS = operationsOf(JSON.parse(readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8')) as OpenApi);
let t: TestApp;
const ids = {} as Ids;
const keys = {} as Record<Exclude<Caller, 'none'>, string>;

async function deliveryOf(subscriptionId: string): Promise<string> {
  const { rows } = await sql<{ id: string }>`select id from webhook_deliveries where subscription_id = ${subscriptionId} limit 1`.execute(t.ctx.db);
  if (!rows[0]) throw new Error(`no delivery for subscription ${subscriptionId}`);
  return rows[0].id;
}

async function servedOperations(app: TestApp): Promise<string[]> {
  return operationsOf(ok(await app.call('GET', '/openapi.json', undefined, null)) as OpenApi);
}

beforeAll(async () => {
  t = await createTestApp({ env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' } });
  ok(await t.call('PUT', '/v1/measurement-kinds/sprogvurdering', { type: 'enum', values: ['generel', 'saerlig'] }), 200);
  const fund = ok(await t.call('POST', '/v1/funds', { name: 'F' }), 201);
  ok(await t.call('POST', `/v1/funds/${fund.id}/deposits`, { amount_ore: 50_000_000, funder: 'LBF' }), 201);
  const instA = ok(await t.call('POST', '/v1/institutions', { code: 'V-1', kind: 'vuggestue', name: 'V1' }), 201);
  const instB = ok(await t.call('POST', '/v1/institutions', { code: 'V-2', kind: 'vuggestue', name: 'V2' }), 201);
  const childA = ok(await t.call('POST', '/v1/children', { cpr: '150319-4123' }), 201);
  const childB = ok(await t.call('POST', '/v1/children', { birth_date: '2019-05-01' }), 201);
  const childT = ok(await t.call('POST', '/v1/children', { birth_date: '2019-06-01' }), 201);
  const enrolA = ok(await t.call('POST', '/v1/enrolments', { child: childA.id, institution: 'V-1', start: '2019-09-01', end: '2022-03-01' }), 201);
  ok(await t.call('POST', '/v1/enrolments', { child: childB.id, institution: 'V-2', start: '2019-09-01', end: '2022-03-01' }), 201);
  const enrolT = ok(await t.call('POST', '/v1/enrolments', { child: childT.id, institution: 'V-1', start: '2019-09-01' }), 201);
  const rule = await createLanguageRule(t, fund.id);
  keys['integration (in scope)'] = await createKey(t, {
    role: 'integration',
    scope: { kinds: ['sprogvurdering'], institutions: ['V-1'], enrolments: true },
  });
  // Same kinds, but only institution V-2: every object of V-1 (child A, its enrolment) is outside.
  keys['integration (out of scope)'] = await createKey(t, {
    role: 'integration',
    scope: { kinds: ['sprogvurdering'], institutions: ['V-2'], enrolments: true },
  });
  keys['institution (own)'] = await createKey(t, { role: 'institution', institution: 'V-1' });
  keys['institution (other)'] = await createKey(t, { role: 'institution', institution: 'V-2' });
  keys.auditor = await createKey(t, { role: 'auditor' });
  keys.admin = t.adminKey;
  keys.revoked = await createKey(t, { role: 'admin' });
  ok(await t.call('POST', `/v1/api-keys/${parseApiKey(keys.revoked)!.id}/revoke`, {}));
  const throwawayKey = await createKey(t, { role: 'auditor' });

  // Subscriptions of the own institution and the in-scope integration, made before the events
  // below so that each has a delivery (to a closed port: it only has to exist).
  const webhookInst = ok(
    await t.call('POST', '/v1/webhooks', { url: 'http://127.0.0.1:9/v1', events: ['award.finalised'] }, keys['institution (own)']),
    201,
  ).id;
  const webhookInteg = ok(
    await t.call('POST', '/v1/webhooks', { url: 'http://127.0.0.1:9/i', events: ['measurement.settled'] }, keys['integration (in scope)']),
    201,
  ).id;
  const proposer = await createKey(t, { role: 'admin' });
  const payeeChange = ok(
    await t.call('POST', `/v1/institutions/${instB.id}/payee-details`, { cvr: '61126228', account: { type: 'nemkonto' } }, proposer),
    201,
  ).id;
  const camt = camtXml('camt.054', { messageId: 'MATRIX', iban: 'DK5000400440116243', entries: [{ amountOre: 1n, creditDebit: 'DBIT' }] });
  const statement = ok(await send(t, 'POST', '/v1/bank-statements', { payload: camt, contentType: 'application/xml' }), 201).statement_id;

  const submit = async (body: object, key: string) => ok(await t.call('POST', '/v1/measurements', body, key), 201).measurement.id as string;
  const measA = await submit(measurementItem({ childA: childA.id } as Ids), keys['integration (in scope)']);
  const measT = await submit(
    { child_id: childA.id, kind: 'sprogvurdering', period: 'age-5', value: 'saerlig', measured_on: '2024-04-20' },
    keys['integration (in scope)'],
  );
  await submit({ child_id: childB.id, kind: 'sprogvurdering', period: 'age-4', value: 'generel', measured_on: '2023-04-20' }, t.adminKey);
  await t.settled();
  ok(await t.call('POST', '/v1/awards/finalise', { fund_id: fund.id, reason: 'test: finalise without waiting for the review window' }));
  await t.settled();
  const awards = ok(await t.call('GET', '/v1/awards?status=final')).items as Array<{ id: string; child_id: string }>;
  const run = ok(await t.call('POST', `/v1/funds/${fund.id}/payment-runs`, { cutoff_on: businessDate(new Date(), 'Europe/Copenhagen') }), 201);
  const awardA = awards.find((a) => a.child_id === childA.id)!.id;
  const objection = ok(await t.call('POST', `/v1/awards/${awardA}/objections`, { reason: 'setup' }), 201);
  Object.assign(ids, {
    fund: fund.id,
    instA: instA.id,
    instB: instB.id,
    childA: childA.id,
    cprA: '150319-4123',
    childB: childB.id,
    enrolA: enrolA.id,
    enrolThrowaway: enrolT.id,
    measA,
    measThrowaway: measT,
    rule: rule.id,
    awardA,
    awardB: awards.find((a) => a.child_id === childB.id)!.id,
    objection: objection.id,
    run: run.id,
    keyThrowaway: parseApiKey(throwawayKey)!.id,
    payeeChange,
    statement,
    webhookInst,
    webhookInteg,
    deliveryInst: await deliveryOf(webhookInst),
    deliveryInteg: await deliveryOf(webhookInteg),
  } satisfies Ids);
}, 120_000);
afterAll(async () => t?.close());

/** The same objects, none of which exists: fresh ids, and a valid CPR nobody is registered with. */
function unknownIds(): Ids {
  const fresh = Object.fromEntries(Object.keys(ids).map((k) => [k, randomUUID()])) as Ids;
  return { ...fresh, cprA: '010190-1234' };
}

/** Subscriptions belong to one party: each caller is pointed at the one its kind of key owns (or is refused). */
function ownedObject(segment: string, caller: Caller): keyof Ids | undefined {
  const integ = caller.startsWith('integration');
  if (segment === 'webhooks') return integ ? 'webhookInteg' : 'webhookInst';
  if (segment === 'deliveries') return integ ? 'deliveryInteg' : 'deliveryInst';
  return undefined;
}

function urlOf(op: string, access: Access, caller: Caller = 'admin', objects: Ids = ids): { method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT'; url: string } {
  const [method, path] = op.split(' ') as ['GET' | 'POST', string];
  const segments = path.split('/');
  const url = segments
    .map((segment, i) => {
      if (!/^\{\w+\}$/.test(segment)) return segment;
      const owned = ownedObject(segments[i - 1]!, caller);
      if (owned) return ids[owned];
      const resource = RESOURCE_IDS[segments[i - 1]!];
      if (!resource) throw new Error(`${op}: no test object for a ${segments[i - 1]} id — add one to RESOURCE_IDS`);
      if (resource === 'kindKey') return 'sprogvurdering';
      if (resource === 'templateKey') return 'no-cash-benefits-18-21';
      return objects[access.id ?? resource];
    })
    .join('/');
  return { method, url: access.query ? `${url}?${access.query}` : url };
}

type Res = { status: number; body: any; headers: Record<string, unknown> };

function expectProblem(res: Res, status: number) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, title: expect.any(String), type: expect.any(String) });
}

/** Objects of institution V-1 that neither V-2's key nor an integration scoped to V-2 may see. */
const privateIds = () => [ids.awardA, ids.enrolA, ids.measA, ids.childA, ids.webhookInst, ids.webhookInteg];

function expectObjectCheck(check: ObjectCheck, res: { status: number; body: any; headers: Record<string, unknown> }) {
  switch (check) {
    case 403:
    case 404:
      return expectProblem(res, check);
    case 'filtered': {
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const text = JSON.stringify(res.body);
      for (const id of privateIds()) expect(text).not.toContain(id);
      return;
    }
    case 'item-403': {
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.results.length).toBeGreaterThan(0);
      for (const r of res.body.results) expect(r).toMatchObject({ outcome: 'rejected', problem: { status: 403 } });
      return;
    }
    case 'unscoped':
      expect([401, 403, 404], JSON.stringify(res.body)).not.toContain(res.status);
  }
}

/** The answer about an object outside the caller's scope equals the answer about one that does not exist. */
function expectAsUnknown(check: 'as-unknown' | 'item-as-unknown', res: Res, unknown: Res) {
  const shape = (r: Res) => {
    const { instance: _, ...body } = r.body ?? {};
    return { status: r.status, type: String(r.headers['content-type']), body };
  };
  if (check === 'as-unknown') {
    expect([404, 422], JSON.stringify(unknown.body)).toContain(unknown.status);
    expectProblem(res, unknown.status);
    expect(shape(res)).toEqual(shape(unknown));
    return;
  }
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.results.length).toBeGreaterThan(0);
  for (const r of unknown.body.results) expect(r).toMatchObject({ outcome: 'rejected', problem: { status: 422 } });
  expect(res.body).toEqual(unknown.body);
}

describe('§7 matrix generated from the OpenAPI document', () => {
  it('classifies every route the API serves, and nothing it does not', async () => {
    const served = await servedOperations(t);
    expect(served.length).toBeGreaterThan(60);
    expect(
      DOCUMENTED_OPS.filter((op) => !accessOf(op)),
      'documented routes missing from the §7 table',
    ).toEqual([]);
    expect(
      served.filter((op) => !accessOf(op)),
      'routes missing from the §7 table',
    ).toEqual([]);
    expect(
      Object.keys(TABLE).filter((op) => !served.includes(op)),
      'table entries for routes that do not exist',
    ).toEqual([]);
    for (const op of served) {
      const a = accessOf(op)!;
      // Institution and integration access is always per object: the table must say how.
      if (a.roles.includes('institution')) expect(a.otherInstitution, `${op}: otherInstitution`).toBeDefined();
      if (a.roles.includes('integration')) expect(a.outOfScope, `${op}: outOfScope`).toBeDefined();
    }
  });

  for (const op of DOCUMENTED_OPS) {
    describe(op, () => {
      for (const caller of CALLERS) {
        it(`as ${caller}`, async () => {
          const access = accessOf(op);
          expect(access, `${op} is not in the §7 table`).toBeDefined();
          const { method, url } = urlOf(op, access!, caller);
          const key = caller === 'none' ? null : keys[caller];
          const role = ROLE_OF[caller] ?? 'admin';
          const res = await t.call(method, url, method === 'GET' || method === 'DELETE' ? undefined : (access!.body?.(ids, role) ?? {}), key);
          if (access!.public) {
            expect(res.status, JSON.stringify(res.body)).toBe(200);
            return;
          }
          if (ROLE_OF[caller] === null) {
            expectProblem(res, 401);
            expect(res.headers['www-authenticate']).toBe('Bearer');
            return;
          }
          if (!access!.roles.includes(ROLE_OF[caller]!)) return expectProblem(res, 403);
          if (caller === 'institution (other)') return expectObjectCheck(access!.otherInstitution!, res);
          if (caller === 'integration (out of scope)') {
            const check = access!.outOfScope!;
            if (check !== 'as-unknown' && check !== 'item-as-unknown') return expectObjectCheck(check, res);
            const unknown = urlOf(op, access!, caller, unknownIds());
            const body = method === 'GET' || method === 'DELETE' ? undefined : (access!.body?.(unknownIds(), role) ?? {});
            return expectAsUnknown(check, res, await t.call(unknown.method, unknown.url, body, key));
          }
          // Allowed, on objects the caller may see: past authorisation and the object checks.
          expect([401, 403, 404], `${res.status} ${JSON.stringify(res.body)}`).not.toContain(res.status);
          if (access!.body && op.endsWith('/batch')) for (const r of res.body.results) expect(r.outcome).not.toBe('rejected');
        });
      }
    });
  }
});

describe('object-level checks beyond the matrix', () => {
  it('an integration cannot submit a kind outside its scope (403 naming body.kind; per item in a batch)', async () => {
    ok(await t.call('POST', '/v1/measurement-kinds', { key: 'nationaltest', type: 'number', min: 0, max: 100 }), 201);
    const narrow = await createKey(t, { role: 'integration', scope: { kinds: ['nationaltest'], institutions: null, enrolments: false } });
    const res = await t.call('POST', '/v1/measurements', measurementItem(ids), narrow);
    expectProblem(res, 403);
    expect(res.body.errors[0].field).toBe('body.kind');
    const batch = ok(await t.call('POST', '/v1/measurements/batch', [measurementItem(ids)], narrow));
    expect(batch.results[0]).toMatchObject({ outcome: 'rejected', problem: { status: 403, errors: [{ field: 'kind' }] } });
  });

  it('an integration without the enrolment grant cannot write enrolments even in scope', async () => {
    const noGrant = await createKey(t, { role: 'integration', scope: { kinds: null, institutions: ['V-1'], enrolments: false } });
    expectProblem(await t.call('POST', '/v1/enrolments', enrolmentItem(ids), noGrant), 403);
    expectProblem(await t.call('PATCH', `/v1/enrolments/${ids.enrolA}`, { start: '2019-09-01' }, noGrant), 403);
  });

  it('a CPR lookup by an integration finds only children in its scope: a child never enrolled anywhere is as unknown as an unregistered CPR', async () => {
    const loner = ok(await t.call('POST', '/v1/children', { cpr: '020318-4567' }), 201);
    const lookup = (cpr: string, key: string) => t.call('POST', '/v1/children/lookup', { cpr }, key);
    expect(ok(await lookup('020318-4567', t.adminKey)).id).toBe(loner.id);
    for (const caller of ['integration (in scope)', 'integration (out of scope)'] as const) {
      const [never, unknown] = [await lookup('020318-4567', keys[caller]), await lookup('030318-4567', keys[caller])];
      expectProblem(never, 404);
      expect({ ...never.body, instance: undefined }).toEqual({ ...unknown.body, instance: undefined });
      expectProblem(await t.call('GET', `/v1/children/${loner.id}`, undefined, keys[caller]), 404);
    }
    // Enrolled at V-1: the V-1 integration finds it; the V-2 one still gets "not found".
    ok(await t.call('POST', '/v1/enrolments', { child: loner.id, institution: 'V-1', start: '2019-01-01', end: '2019-06-01' }), 201);
    expect(ok(await lookup('020318-4567', keys['integration (in scope)'])).id).toBe(loner.id);
    expectProblem(await lookup('020318-4567', keys['integration (out of scope)']), 404);
    // An integration scoped to every institution sees every child.
    const everywhere = await createKey(t, { role: 'integration', scope: { kinds: null, institutions: null, enrolments: false } });
    expect(ok(await lookup('150319-4123', everywhere)).id).toBe(ids.childA);
  });

  it('a measurement for a child outside the scope does not reveal the child’s birth date (same answer as an unknown child)', async () => {
    const out = keys['integration (out of scope)'];
    for (const measured_on of ['2000-01-01', '2023-04-20']) {
      const item = { kind: 'sprogvurdering', period: 'age-9', value: 'generel', measured_on };
      for (const ref of [{ cpr: ['150319-4123', '010190-1234'] }, { child_id: [ids.childA, randomUUID()] }]) {
        const [field, [inner, unknown]] = Object.entries(ref)[0]! as [string, [string, string]];
        const a = await t.call('POST', '/v1/measurements', { ...item, [field]: inner }, out);
        const b = await t.call('POST', '/v1/measurements', { ...item, [field]: unknown }, out);
        expectProblem(a, 422);
        expect(a.body.errors).toEqual([{ field: `body.${field}`, message: expect.stringContaining('unknown child') }]);
        expect({ ...a.body, instance: undefined }).toEqual({ ...b.body, instance: undefined });
      }
    }
  });

  it('an institution key cannot widen a list to another institution', async () => {
    expectProblem(await t.call('GET', `/v1/awards?institution_id=${ids.instA}`, undefined, keys['institution (other)']), 403);
    expectProblem(await t.call('GET', `/v1/enrolments?institution=V-1`, undefined, keys['institution (other)']), 403);
  });
});
