import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import view from '@fastify/view';
import { Eta } from 'eta';
import { fileURLToPath } from 'node:url';
import type { AppContext } from '../context.js';
import { ProblemError } from '../http/problem.js';
import type { DashboardSessionService } from '../services/dashboard-sessions.js';
import { loadAssets } from './assets.js';
import { helpersFor } from './format.js';
import { render } from './render.js';
import { pageRoutes } from './pages.js';

export const SESSION_COOKIE = 'smb_session';

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/**
 * The dashboard at /app/ (issue 13): server-rendered pages (eta through @fastify/view), htmx
 * for partial updates, uPlot for charts — all served from this process. Signed in with an API
 * key, then a session cookie (HttpOnly, SameSite=Strict, Secure behind TLS); docs/SECURITY.md.
 * Its routes are outside the API (hidden from the OpenAPI document, no Bearer key); the API
 * never reads the cookie.
 */
export async function dashboard(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const sessions = ctx.services.dashboardSessions;
  const assets = loadAssets();
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 4096 });
  await app.register(view, {
    engine: { eta: new Eta({ views: fileURLToPath(new URL('./views', import.meta.url)), cache: ctx.config.NODE_ENV === 'production' }) },
    templates: fileURLToPath(new URL('./views', import.meta.url)),
  });
  app.decorateRequest('dashboardPrincipal', null);
  app.decorate('dashboardHelpers', helpersFor(ctx.config.BUSINESS_TIME_ZONE));
  app.addHook('onRoute', (route) => {
    route.config = { ...route.config, public: true };
    route.schema = { ...route.schema, hide: true };
  });
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('content-security-policy', CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin'); // not no-referrer: Chromium then sends `Origin: null` with the sign-in form
    reply.header('x-frame-options', 'DENY');
    if (!request.url.startsWith('/app/assets/')) reply.header('cache-control', 'no-store');
    return payload;
  });
  app.addHook('onRequest', async (request, reply) => {
    const url = request.url.split('?')[0]!;
    if (url.startsWith('/app/assets/') || url === '/app/login') return;
    request.dashboardPrincipal = await sessions.principal(request.cookies[SESSION_COOKIE]);
    if (request.dashboardPrincipal) return;
    if (request.headers['hx-request']) return reply.code(401).header('hx-redirect', '/app/login').send();
    return reply.redirect('/app/login', 303);
  });
  app.setErrorHandler((err: FastifyError | ProblemError, request, reply) => {
    const status = err instanceof ProblemError ? err.status : (err.statusCode ?? 500);
    if (status >= 500) request.log.error({ err }, 'dashboard page failed');
    // An institution must not learn that another's page exists: "forbidden" reads as not found.
    const shown = status === 403 ? 404 : status;
    return render(reply, 'error.eta', { title: shown === 404 ? 'Not found' : 'Something went wrong', status: shown }, shown);
  });

  app.get('/app/assets/:name', async (request, reply) => {
    const asset = assets.get((request.params as { name: string }).name);
    if (!asset) return reply.code(404).type('text/plain; charset=utf-8').send('not found');
    return reply.type(asset.type).header('cache-control', 'public, max-age=3600').send(asset.body);
  });
  await loginRoutes(app, sessions, ctx);
  await pageRoutes(app, ctx);
}

/** A POST must come from the dashboard's own pages (CSRF defence in depth beside SameSite=Strict). */
export function sameOrigin(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') return false;
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  return origin === `${request.protocol}://${request.headers.host}`;
}

async function loginRoutes(app: FastifyInstance, sessions: DashboardSessionService, ctx: AppContext) {
  app.get('/app/login', async (_request, reply) => render(reply, 'login.eta', { title: 'Sign in', error: null }));
  app.post('/app/login', async (request, reply) => {
    if (!sameOrigin(request)) return render(reply, 'login.eta', { title: 'Sign in', error: 'The request did not come from this page.' }, 403);
    const body = request.body as { key?: unknown } | undefined;
    const key = typeof body?.key === 'string' ? body.key.trim() : '';
    const opened = key.length > 0 && key.length <= 200 ? await sessions.open(key) : null;
    if (!opened)
      return render(
        reply,
        'login.eta',
        { title: 'Sign in', error: 'This key is unknown, revoked, or not one the dashboard accepts (admin, auditor or institution).' },
        401,
      );
    reply.setCookie(SESSION_COOKIE, opened.token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: ctx.config.NODE_ENV === 'production' || request.protocol === 'https',
      path: '/app',
      expires: opened.expiresAt,
    });
    return reply.redirect('/app/', 303);
  });
  app.post('/app/logout', async (request, reply) => {
    if (!sameOrigin(request)) return reply.code(403).send();
    await sessions.close(request.cookies[SESSION_COOKIE]);
    reply.clearCookie(SESSION_COOKIE, { path: '/app' });
    return reply.redirect('/app/login', 303);
  });
}
