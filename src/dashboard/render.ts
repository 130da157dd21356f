import type { FastifyReply } from 'fastify';
import type { Principal } from '../auth/principal.js';
import type { Helpers } from './format.js';
import { navFor } from './nav.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in dashboard user (set by the dashboard's session hook). */
    dashboardPrincipal: Principal | null;
  }
  interface FastifyInstance {
    /** The templates' helpers, instants in the business time zone (set by the dashboard plugin). */
    dashboardHelpers: Helpers;
  }
}

/** Renders a page (its template puts itself in layout.eta) with the signed-in principal's navigation. */
export function render(reply: FastifyReply, template: string, data: Record<string, unknown>, status = 200) {
  const p = reply.request.dashboardPrincipal;
  return reply
    .code(status)
    .view(template, { ...data, h: reply.server.dashboardHelpers, principal: p, nav: p ? navFor(p) : [], path: reply.request.url.split('?')[0] });
}

/** Renders a fragment for htmx (no layout). */
export function fragment(reply: FastifyReply, template: string, data: Record<string, unknown>) {
  return reply.view(template, { ...data, h: reply.server.dashboardHelpers });
}
