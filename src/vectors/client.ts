import createClient, { type Client } from 'openapi-fetch';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { paths } from '../../openapi/openapi.js';

/** What the client needs of the app: Fastify's `inject` (the built app, src/http/app.ts). */
export interface Injectable {
  inject(opts: InjectOptions): Promise<LightMyRequestResponse>;
}

/**
 * An HTTP client typed from the committed contract: openapi-fetch over the types openapi-typescript
 * generates from openapi/openapi.json (`npm run openapi`). A path, parameter, body field or answer
 * field the document no longer has is a type error in every caller, so drift breaks the build.
 */
export type ApiClient = Client<paths>;

/**
 * The JSON body of `POST` (or another method) on a path. openapi-fetch infers its options
 * argument, and TypeScript skips the excess-property check on inferred arguments, so a field the
 * document does not have would pass unnoticed: callers write `body: {…} satisfies Body<'/v1/…'>`.
 */
export type Body<P extends keyof paths, M extends 'post' | 'patch' | 'put' = 'post'> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? B
  : never;

/** What a caller may want to see of every exchange (the tests check it against the document). */
export type AnswerHook = (method: string, url: string, answer: { status: number; headers: Record<string, string>; body: string }) => void;

/** A fetch that hands the request to `app.inject`: the same routes, validation and auth, no socket. */
export function injectFetch(app: Injectable): (request: Request) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url);
    const payload = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    const res = await app.inject({
      method: request.method as 'GET',
      url: url.pathname + url.search,
      headers: Object.fromEntries(request.headers),
      ...(payload ? { payload } : {}),
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, String(v));
    }
    const empty = res.statusCode === 204 || res.statusCode === 304 || request.method === 'HEAD';
    return new Response(empty ? null : res.rawPayload, { status: res.statusCode, headers });
  };
}

/** Calls `hook` with every answer (read from a clone, so the caller still gets the body). */
function observed(fetchImpl: (request: Request) => Promise<Response>, hook: AnswerHook): (request: Request) => Promise<Response> {
  return async (request) => {
    const response = await fetchImpl(request);
    const url = new URL(request.url);
    hook(request.method, url.pathname + url.search, {
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body: await response.clone().text(),
    });
    return response;
  };
}

export interface ClientOptions {
  /** `http://127.0.0.1:<port>` for a listening server; omitted: through `app.inject`. */
  baseUrl?: string;
  app?: Injectable;
  apiKey: string;
  onAnswer?: AnswerHook;
}

export function apiClient(opts: ClientOptions): ApiClient {
  if (!opts.baseUrl && !opts.app) throw new Error('apiClient needs a baseUrl or an app');
  const base = opts.baseUrl ? (request: Request) => fetch(request) : injectFetch(opts.app!);
  return createClient<paths>({
    baseUrl: opts.baseUrl ?? 'http://inject.local',
    fetch: opts.onAnswer ? observed(base, opts.onAnswer) : base,
    headers: { authorization: `Bearer ${opts.apiKey}` },
  });
}
