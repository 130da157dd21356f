import type { RouteOptions } from 'fastify';
import type { Role } from '../../auth/api-key.js';
import type { DeclaredProblems } from './causes.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Problem causes this route adds to the derived ones (see contract/causes.ts). */
    problems?: DeclaredProblems;
    /** Also takes an NDJSON body and then answers NDJSON (the batch endpoints). */
    ndjson?: true;
  }
}

/** What the contract needs to know about one documented operation, read from its route. */
export interface RouteContract {
  method: string;
  /** OpenAPI form: `/v1/funds/{id}`. */
  path: string;
  public: boolean;
  roles: readonly Role[];
  body: boolean;
  params: boolean;
  query: boolean;
  /** The query has a `cursor` (paginated list). */
  cursor: boolean;
  ndjson: boolean;
  /** Media types of a non-JSON 200 body (`schema.produces`). */
  produces: string[];
  /** Success statuses of the route's response schema (200 for a route without one). */
  successes: number[];
  /** Problem statuses the route's response schema lists itself (`403: problemSchema`). */
  schemaProblems: number[];
  declared: DeclaredProblems;
}

const DOCUMENTED_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

export const openApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

function shapeHas(schema: unknown, key: string): boolean {
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  return !!shape && key in shape;
}

const responseStatuses = (schema: Record<string, unknown>) => (schema.response ? Object.keys(schema.response as object).map(Number) : [200]);

/** The contract of a route as Fastify registers it, or null for routes the document hides. */
export function contractOf(route: RouteOptions): RouteContract[] {
  const schema = (route.schema ?? {}) as Record<string, unknown>;
  if (schema.hide || route.url.startsWith('/docs')) return [];
  const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => DOCUMENTED_METHODS.has(m));
  const config = (route.config ?? {}) as { public?: boolean; roles?: readonly Role[]; problems?: DeclaredProblems; ndjson?: true };
  return methods.map((method) => ({
    method,
    path: openApiPath(route.url),
    public: config.public === true,
    // The auth plugin treats a route without roles as admin-only.
    roles: config.roles ?? ['admin'],
    body: schema.body !== undefined,
    params: schema.params !== undefined || /:[A-Za-z]/.test(route.url),
    query: schema.querystring !== undefined,
    cursor: shapeHas(schema.querystring, 'cursor'),
    ndjson: config.ndjson === true,
    produces: Array.isArray(schema.produces) ? (schema.produces as string[]) : [],
    successes: responseStatuses(schema).filter((s) => s < 400),
    schemaProblems: responseStatuses(schema).filter((s) => s >= 400),
    declared: config.problems ?? {},
  }));
}

/** Collects the contract of every route registered after `onRoute` is added (add it first). */
export class ContractRegistry {
  private readonly routes = new Map<string, RouteContract>();

  readonly onRoute = (route: RouteOptions) => {
    for (const contract of contractOf(route)) this.routes.set(`${contract.method} ${contract.path}`, contract);
  };

  get(method: string, path: string): RouteContract | undefined {
    return this.routes.get(`${method.toUpperCase()} ${path}`);
  }

  all(): RouteContract[] {
    return [...this.routes.values()];
  }
}
