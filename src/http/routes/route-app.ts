import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/** The Fastify instance a route plugin registers on (zod type provider), for plugins split into parts. */
export type RouteApp = Parameters<FastifyPluginAsyncZod>[0];
