import { PROBLEM_CONTENT_TYPE, ProblemError } from '../problem.js';
import { GENERIC, causesOf, declaredExample, type CauseRef, type GenericCause, type ProblemStatus } from './causes.js';
import type { ContractRegistry, RouteContract } from './registry.js';

/**
 * Completes the OpenAPI document @fastify/swagger generates from the routes: every operation gets
 * an operationId and every problem+json answer it can give (with examples), streamed bodies get
 * their media types, and the document gets servers, tag descriptions and no unused components.
 * Runs as swagger's `transformObject`, so /openapi.json and `npm run openapi` agree.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;

/**
 * Relative: the host that serves this document (`GET /openapi.json`). For the committed copy that is
 * wherever the service runs — http://localhost:3000 for `npm start` with the default HOST and PORT.
 */
export const SERVERS = [{ url: '/', description: 'The service that serves this document (npm start: http://localhost:3000)' }];

export const TAG_DESCRIPTIONS: Record<string, string> = {
  operations: 'Liveness, readiness and the settlement backlog.',
  funds: 'Funds, their deposits and balances.',
  institutions: 'Institutions (the payees), their balances and statements.',
  children: 'Pseudonymous children: registration by CPR or birth date, lookup, passport.',
  enrolments: 'Which institution had a child, and when.',
  kinds: 'Measurement kinds and institution kinds.',
  'api keys': 'API keys and their roles and scopes.',
  measurements: 'Measurements: submissions, corrections, retractions, batches.',
  rules: 'Bonus rules and their immutable versions.',
  awards: 'Awards with their explanations, objections and finalisation.',
  ledger: 'The double-entry, hash-chained ledger: entries, verification, exports.',
  payments: 'Payment runs, payment files (CSV, pain.001), payee details and bank statements.',
  security: 'The audit log and the CPR key rotation status.',
  webhooks: 'Webhook subscriptions, their events and deliveries (signed, retried).',
  reports: 'Who benefits: the social-mobility report (earn rates by origin and group, with small-cell protection).',
};

/** Sent with every answer of the statuses in PROBLEM_HEADERS (hence `required`). */
const HEADERS: Record<string, Json> = {
  'WWW-Authenticate': { description: 'The authentication scheme: `Bearer`.', required: true, schema: { type: 'string', example: 'Bearer' } },
  'Retry-After': { description: 'Seconds to wait before retrying.', required: true, schema: { type: 'integer', minimum: 1, example: 5 } },
  'RateLimit-Limit': { description: 'Requests this API key may send at once (the bucket size).', required: true, schema: { type: 'integer', minimum: 1 } },
  'RateLimit-Remaining': { description: 'Requests left in the bucket.', required: true, schema: { type: 'integer', minimum: 0 } },
  'RateLimit-Reset': { description: 'Seconds until the bucket is full again.', required: true, schema: { type: 'integer', minimum: 0 } },
};

/** Headers each problem status always carries (the test harness checks they are sent). */
export const PROBLEM_HEADERS: Partial<Record<ProblemStatus, string[]>> = {
  401: ['WWW-Authenticate'],
  429: ['Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'],
  503: ['Retry-After'],
};

const SUCCESS: Record<string, string> = { '200': 'OK', '201': 'Created', '204': 'No content' };

/** `GET /v1/funds/{id}/deposits` → `getFundsByIdDeposits`: unique, URL-safe and predictable from the path. */
export function operationIdFor(method: string, path: string): string {
  const words = path
    .split('/')
    .filter((s) => s && s !== 'v1')
    .flatMap((segment) => {
      const param = /^\{(.+)\}$/.exec(segment);
      return param ? ['by', param[1]!] : segment.split(/[-._]/);
    })
    .filter(Boolean);
  return method.toLowerCase() + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

const exampleName = (ref: CauseRef, index: number) =>
  ref.kind === 'shared' ? ref.name : `${ref.status}-${(ref.cause.field ?? 'request').replace(/[^A-Za-z0-9_.-]/g, '_')}-${index}`;

function problemResponse(status: ProblemStatus, causes: CauseRef[]): Json {
  const summaries = causes.map((c) =>
    c.kind === 'shared' ? GENERIC[c.name].summary : c.cause.field ? `${c.cause.field}: ${c.cause.message}` : c.cause.message,
  );
  const examples = Object.fromEntries(
    causes.map((c, i) => [
      exampleName(c, i),
      c.kind === 'shared' ? { $ref: `#/components/examples/${c.name}` } : { summary: summaries[i], value: declaredExample(status, c.cause) },
    ]),
  );
  const title = new ProblemError(status, 'x', '').toBody().title;
  const headers = PROBLEM_HEADERS[status];
  return {
    description: `${title}: ${[...new Set(summaries)].join('; ')}.`,
    ...(headers ? { headers: Object.fromEntries(headers.map((h) => [h, { $ref: `#/components/headers/${h}` }])) } : {}),
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' }, examples } },
  };
}

function completeOperation(operation: Json, method: string, path: string, contract: RouteContract): void {
  operation.operationId ??= operationIdFor(method, path);
  operation.responses ??= {};
  for (const [status, response] of Object.entries(operation.responses as Record<string, Json>)) {
    if (response.description === 'Default Response' && SUCCESS[status]) response.description = SUCCESS[status];
  }
  if (contract.produces.length) {
    const ok = (operation.responses['200'] ??= { description: 'OK' });
    // A route that also answers JSON (it has a 200 schema, which the generator filed under the
    // produced types) keeps that schema as its application/json answer next to the text ones.
    const schema = Object.values((ok.content ?? {}) as Record<string, { schema?: Json }>).find((c) => c.schema && c.schema.type !== 'string')?.schema;
    ok.content = {
      ...(schema ? { 'application/json': { schema } } : {}),
      ...Object.fromEntries(contract.produces.map((type) => [type, { schema: { type: 'string' } }])),
    };
  }
  if (contract.ndjson) {
    const lines = { schema: { type: 'string', description: 'Newline-delimited JSON: one item (request) or result (answer) per line' } };
    operation.requestBody.content['application/x-ndjson'] = lines;
    operation.responses['200'].content['application/x-ndjson'] = lines;
  }
  for (const [status, causes] of causesOf(contract)) {
    const only = causes.length === 1 ? causes[0]! : null;
    operation.responses[String(status)] = only?.kind === 'shared' ? { $ref: `#/components/responses/${only.name}` } : problemResponse(status, causes);
  }
}

/** Every `#/components/<kind>/<name>` reachable from the paths and webhooks (following components into components). */
function reachableComponents(doc: Json): Set<string> {
  const seen = new Set<string>();
  const stack: Json[] = [doc.paths, doc.webhooks];
  while (stack.length) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...node);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/') && !seen.has(value)) {
          seen.add(value);
          const [, , kind, name] = value.split('/');
          stack.push(doc.components?.[kind!]?.[name!]);
        } else stack.push(value);
      }
    }
  }
  return seen;
}

function pruneComponents(doc: Json): void {
  const used = reachableComponents(doc);
  for (const [kind, entries] of Object.entries(doc.components as Record<string, Record<string, Json>>)) {
    if (kind === 'securitySchemes') continue;
    for (const name of Object.keys(entries)) if (!used.has(`#/components/${kind}/${name}`)) delete entries[name];
    if (!Object.keys(entries).length) delete doc.components[kind];
  }
}

/** swagger's transformObject: the generated document, completed from the routes' contracts. */
export function applyContract(doc: Json, registry: ContractRegistry): Json {
  doc.servers = SERVERS;
  for (const schema of Object.values((doc.components?.schemas ?? {}) as Record<string, Json>)) {
    delete schema.$id; // zod's registry ids (`#/components/schemas/X`) are no valid JSON Schema $id
    delete schema.$schema;
  }
  doc.components.examples = Object.fromEntries(Object.entries(GENERIC).map(([name, g]) => [name, { summary: g.summary, value: g.example.toBody() }]));
  doc.components.headers = HEADERS;
  // A status whose only cause is a shared one is answered by reference (401, 413, 429, 503, …).
  doc.components.responses = Object.fromEntries(
    Object.entries(GENERIC).map(([name, g]) => [name, problemResponse(g.status, [{ kind: 'shared', name: name as GenericCause }])]),
  );
  const ids = new Map<string, string>();
  const tags = new Set<string>();
  for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
    for (const [method, operation] of Object.entries(methods)) {
      const contract = registry.get(method, path);
      if (!contract) throw new Error(`contract: ${method.toUpperCase()} ${path} is documented but was not registered`);
      completeOperation(operation, method, path, contract);
      const clash = ids.get(operation.operationId);
      if (clash) throw new Error(`contract: operationId ${operation.operationId} of ${method} ${path} is also ${clash}'s`);
      ids.set(operation.operationId, `${method} ${path}`);
      for (const tag of operation.tags ?? []) tags.add(tag);
    }
  }
  // The webhooks (src/webhooks/openapi.ts) come complete; their operationIds must not clash either.
  for (const [name, methods] of Object.entries((doc.webhooks ?? {}) as Record<string, Record<string, Json>>)) {
    for (const [method, operation] of Object.entries(methods)) {
      const clash = ids.get(operation.operationId);
      if (!operation.operationId || clash)
        throw new Error(`contract: webhook ${name} needs an operationId of its own (${operation.operationId} is also ${clash}'s)`);
      ids.set(operation.operationId, `webhook ${method} ${name}`);
      for (const tag of operation.tags ?? []) tags.add(tag);
    }
  }
  doc.tags = [...tags].map((name) => ({ name, ...(TAG_DESCRIPTIONS[name] ? { description: TAG_DESCRIPTIONS[name] } : {}) }));
  pruneComponents(doc);
  return doc;
}
