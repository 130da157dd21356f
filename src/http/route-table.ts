import type { RouteOptions } from 'fastify';

/**
 * The routes of the app as patterns, to answer "which methods serve this concrete path?" the way
 * find-my-way routes a request: segment by segment, a static segment outranks a parameter, and a
 * parameter outranks a wildcard. A concrete path belongs to the most specific pattern that matches
 * it under any method; only the methods of that pattern serve it (PATCH /v1/measurements/batch:
 * POST /v1/measurements/batch owns the path, GET /v1/measurements/{id} does not serve it). A
 * method whose route would refuse the path's parameters (its params schema) does not serve it
 * either; when no method is left, the path is not found at all.
 */
interface ParamsSchema {
  safeParse(value: unknown): { success: boolean };
}

interface Pattern {
  method: string;
  segments: string[];
  params: ParamsSchema | null;
}

/** 0 static, 1 parameter, 2 wildcard: lower is more specific. */
type Rank = number[];

function compareRank(a: Rank, b: Rank): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The rank of `pattern` for these path segments and the parameters it binds, or null if it does not match. */
function match(pattern: string[], path: string[]): { rank: Rank; params: Record<string, string> } | null {
  const rank: Rank = [];
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    if (p === '*') {
      rank.push(2);
      params['*'] = path.slice(i).map(decode).join('/');
      return { rank, params };
    }
    const s = path[i];
    if (s === undefined) return null;
    if (p.startsWith(':')) {
      if (s === '') return null;
      rank.push(1);
      params[p.slice(1)] = decode(s);
    } else if (p === s) rank.push(0);
    else return null;
  }
  return pattern.length === path.length ? { rank, params } : null;
}

export class RouteTable {
  private readonly patterns: Pattern[] = [];

  /** An `onRoute` hook: records every route (HEAD routes Fastify adds for GET included). */
  readonly onRoute = (route: RouteOptions): void => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const params = (route.schema?.params as ParamsSchema | undefined) ?? null;
    const segments = route.url.split('/');
    for (const method of methods)
      this.patterns.push({ method: method.toUpperCase(), segments, params: typeof params?.safeParse === 'function' ? params : null });
  };

  /** The methods that serve `path` (owned by its most specific pattern), in registration order. */
  methodsServing(path: string): string[] {
    const segments = path.split('/');
    let best: Rank | null = null;
    let owners: Array<{ method: string; params: Record<string, string>; schema: ParamsSchema | null }> = [];
    for (const p of this.patterns) {
      const m = match(p.segments, segments);
      if (!m) continue;
      const order = best === null ? -1 : compareRank(m.rank, best);
      if (order > 0) continue;
      if (order < 0) {
        best = m.rank;
        owners = [];
      }
      owners.push({ method: p.method, params: m.params, schema: p.params });
    }
    const methods = owners.filter((o) => !o.schema || o.schema.safeParse(o.params).success).map((o) => o.method);
    return [...new Set(methods)];
  }
}
