/**
 * Every response the integration suite receives is checked against the committed OpenAPI
 * document (openapi/openapi.json): the status must be declared for the operation, the media type
 * must be one it declares for that status, a JSON body must validate against its schema (ajv,
 * JSON Schema 2020-12 as OpenAPI 3.1 uses), and headers the document marks required must be
 * there. A response to a path or method the document does not have must still be a problem.
 * `checkResponses(app)` wraps `app.inject` so a test fails on the first answer that breaks it.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';

type Json = any;

const DOC_URL = new URL('../../openapi/openapi.json', import.meta.url);
/** The committed OpenAPI document, parsed. */
export const DOC = JSON.parse(readFileSync(DOC_URL, 'utf8')) as Json;

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
addFormats(ajv);
ajv.addSchema({ ...DOC, $id: 'openapi' });

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
const validators = new Map<string, ValidateFunction>();
function validatorAt(...parts: string[]): ValidateFunction {
  const ref = `openapi#/${pointer(...parts)}`;
  let v = validators.get(ref);
  if (!v) validators.set(ref, (v = ajv.compile({ $ref: ref })));
  return v;
}

interface Template {
  path: string;
  regex: RegExp;
  params: number;
}

// Static segments win over parameters, as in Fastify's router (`/children/lookup` before `/children/{id}`).
const TEMPLATES: Template[] = Object.keys(DOC.paths)
  .map((path) => ({
    path,
    regex: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
    params: (path.match(/\{/g) ?? []).length,
  }))
  .sort((a, b) => a.params - b.params);

/** The documented operation a request reached: path template and method, or null. */
export function operationFor(method: string, url: string): { path: string; method: string; operation: Json } | null {
  const path = url.split('?')[0]!;
  const m = (method.toUpperCase() === 'HEAD' ? 'GET' : method).toLowerCase();
  for (const t of TEMPLATES) {
    if (t.regex.test(path) && DOC.paths[t.path][m]) return { path: t.path, method: m, operation: DOC.paths[t.path][m] };
  }
  return null;
}

/** A node of the document with its `$ref` (JSON pointer, escapes undone) followed. */
export const deref = (node: Json): Json => {
  if (!node?.$ref) return node;
  return node.$ref
    .split('/')
    .slice(1)
    .reduce((o: Json, k: string) => o?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], DOC);
};

export interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

const mediaType = (headers: Record<string, unknown>) =>
  String(headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
const errorsOf = (v: ValidateFunction) =>
  (v.errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || '/'} ${e.message}`)
    .join('; ');

function checkBody(parts: string[], type: string, text: string): string | null {
  if (type !== 'application/json' && !type.endsWith('+json')) return null; // CSV, NDJSON: the media type is the contract
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `the ${type} body is not JSON`;
  }
  const v = validatorAt(...parts, 'content', type, 'schema');
  return v(body) ? null : `the body does not match the schema: ${errorsOf(v)}`;
}

/** What is wrong with an answer to `method url` by the committed document ([] when nothing). */
export function contractViolations(method: string, url: string, answer: Answer): string[] {
  const found = operationFor(method, url);
  const type = mediaType(answer.headers);
  if (!found) {
    if (answer.status < 400) return []; // undocumented routes: docs UI, /metrics, /openapi.json
    if (url === '/app' || url.startsWith('/app/')) return []; // the dashboard: HTML pages for people, outside the API contract (DECISIONS 145)
    if (type !== 'application/problem+json') return [`undocumented ${answer.status} answered ${type || 'no content type'}, not a problem`];
    const v = validatorAt('components', 'schemas', 'Problem');
    return v(JSON.parse(answer.body)) ? [] : [`the problem does not match the Problem schema: ${errorsOf(v)}`];
  }
  const status = String(answer.status);
  const where = `${found.method.toUpperCase()} ${found.path}`;
  if (!found.operation.responses[status]) {
    return [`${where} answered ${status}, which the document does not declare (declared: ${Object.keys(found.operation.responses).join(', ')})`];
  }
  const response = deref(found.operation.responses[status]);
  const parts =
    response === found.operation.responses[status]
      ? ['paths', found.path, found.method, 'responses', status]
      : found.operation.responses[status].$ref
          .split('/')
          .slice(1)
          .map((k: string) => k.replace(/~1/g, '/'));
  const out: string[] = [];
  for (const [name, header] of Object.entries((response.headers ?? {}) as Record<string, Json>)) {
    if (deref(header).required && answer.headers[name.toLowerCase()] === undefined) out.push(`${where} ${status} lacks the header ${name}`);
  }
  if (!answer.body.length || method.toUpperCase() === 'HEAD') return out;
  const content = response.content ?? {};
  if (!content[type]) return [...out, `${where} ${status} answered ${type || 'no content type'}; declared: ${Object.keys(content).join(', ') || 'no body'}`];
  const bodyProblem = checkBody(parts, type, answer.body);
  return bodyProblem ? [...out, `${where} ${status}: ${bodyProblem}`] : out;
}

export class ContractViolation extends Error {
  override name = 'ContractViolation';
}

/** Throws when the answer breaks the document (the message names the request and each fault). */
export function assertConforms(method: string, url: string, answer: Answer): void {
  const faults = contractViolations(method, url, answer);
  if (faults.length) {
    throw new ContractViolation(`${method.toUpperCase()} ${url} → ${answer.status}: ${faults.join(' | ')}\nbody: ${answer.body.slice(0, 400)}`);
  }
}

/** Wraps `app.inject` (promise form) so that every answer is checked against the document. */
export function checkResponses<A extends { inject: (...args: any[]) => any }>(app: A): A {
  const inject = app.inject.bind(app) as (...args: any[]) => any;
  (app as { inject: unknown }).inject = (opts?: InjectOptions | string, callback?: unknown) => {
    if (opts === undefined || callback !== undefined || typeof opts === 'function') return inject(opts, callback);
    const o = typeof opts === 'string' ? { url: opts } : (opts as { method?: string; url?: string; path?: string });
    const method = o.method ?? 'GET';
    const url = o.url ?? o.path ?? '/';
    return (inject(opts) as Promise<LightMyRequestResponse>).then((res) => {
      assertConforms(String(method), String(url), { status: res.statusCode, headers: res.headers as Record<string, unknown>, body: res.body });
      return res;
    });
  };
  return app;
}

/**
 * What is wrong with a webhook the service sent, by the committed document's `webhooks`: its
 * type must have an entry, the body must validate against that entry's request body schema, and
 * every header parameter the entry declares must be there and match its schema ([] when nothing).
 */
export function webhookViolations(body: string, headers: Record<string, string | undefined>): string[] {
  let parsed: Json;
  try {
    parsed = JSON.parse(body);
  } catch {
    return ['the webhook body is not JSON'];
  }
  const type = String(parsed?.type);
  const operation = DOC.webhooks?.[type]?.post;
  if (!operation) return [`the document has no webhooks entry for the event type ${type}`];
  const out: string[] = [];
  for (const p of (operation.parameters ?? []).map(deref) as Json[]) {
    if (p.in !== 'header') continue;
    const value = headers[String(p.name).toLowerCase()];
    if (value === undefined) {
      if (p.required) out.push(`${type}: the header ${p.name} is missing`);
      continue;
    }
    const v = ajv.compile(p.schema);
    if (!v(value)) out.push(`${type}: the header ${p.name} does not match its schema: ${errorsOf(v)}`);
  }
  const v = validatorAt('webhooks', type, 'post', 'requestBody', 'content', 'application/json', 'schema');
  if (!v(parsed)) out.push(`${type}: the body does not match the schema: ${errorsOf(v)}`);
  return out;
}
