import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import type { RouteApp } from './route-app.js';
import type { InstitutionRow } from '../../repositories/institutions.js';
import { principalOf } from '../plugins/auth.js';
import { pageQuery, pageSchema } from '../pagination.js';
import { ProblemError } from '../problem.js';
import { idParams, iso, isoDate, timestamp } from '../schemas.js';

/** How requests refer to an institution: its id or its code. Shared with enrolments and API keys. */
export const institutionRef = z.string().trim().min(1).max(64).meta({ description: 'Institution id or code', example: 'V-101' });

const kindKey = z.string().trim().min(1).max(64);

const institutionOut = z
  .object({
    id: z.uuid(),
    code: z.string(),
    kind: z.string(),
    name: z.string(),
    municipality: z.string().nullable(),
    closed_on: z.string().nullable(),
    successor: z.object({ id: z.uuid(), code: z.string() }).nullable(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'Institution', description: 'An institution that raises children and is paid bonuses.' });

const institutionBody = z.strictObject({
  code: z.string().trim().min(1).max(64).meta({ description: 'Unique external identifier, e.g. institutionsnummer' }),
  kind: kindKey.meta({ description: 'An institution kind key (see /v1/institution-kinds)' }),
  name: z.string().trim().min(1).max(200).optional().meta({ description: 'Defaults to the code' }),
  municipality: z.string().trim().min(1).max(200).nullable().optional(),
  closed_on: isoDate.nullable().optional(),
  successor: institutionRef.nullable().optional().meta({ description: 'Who is paid once this one has closed' }),
});

const closeBody = z.strictObject({ closed_on: isoDate, successor: institutionRef.nullable().optional() });

const toInstitution = (i: InstitutionRow): z.infer<typeof institutionOut> => ({
  id: i.id,
  code: i.code,
  kind: i.kind,
  name: i.name,
  municipality: i.municipality,
  closed_on: i.closed_on,
  successor: i.successor_id ? { id: i.successor_id, code: i.successor_code! } : null,
  created_at: iso(i.created_at)!,
  updated_at: iso(i.updated_at)!,
});

const tags = ['institutions'];

// Causes the service adds to the derived problem answers (contract/causes.ts).
const CODE_TAKEN = { field: 'body.code', message: 'an institution with this code exists' };
const UNKNOWN_KIND = { field: 'body.kind', message: 'is not a known institution kind (see /v1/institution-kinds)' };
const BAD_SUCCESSOR = {
  field: 'body.successor',
  message: 'is not a known institution (id or code), is the institution itself, or would make a cycle of successors',
};

export const institutionRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  institutionReadRoutes(app, ctx);
  institutionChangeRoutes(app, ctx);
};

/** Registering, listing and reading institutions. */
function institutionReadRoutes(app: RouteApp, ctx: AppContext) {
  const institutions = ctx.services.institutions;
  app.post(
    '/institutions',
    {
      config: { roles: ['admin'], problems: { 409: [CODE_TAKEN], 422: [UNKNOWN_KIND, BAD_SUCCESSOR] } },
      schema: { tags, summary: 'Register an institution', body: institutionBody, response: { 201: institutionOut } },
    },
    async (request, reply) => reply.code(201).send(toInstitution(await institutions.create(principalOf(request), request.body))),
  );

  app.get(
    '/institutions',
    {
      config: { roles: ['admin', 'auditor'] },
      schema: {
        tags,
        summary: 'List institutions (by code)',
        querystring: z.strictObject({ ...pageQuery.shape, kind: kindKey.optional() }),
        response: { 200: pageSchema(institutionOut) },
      },
    },
    async (request) => {
      const page = await institutions.list(request.query);
      return { ...page, items: page.items.map(toInstitution) };
    },
  );

  app.get(
    '/institutions/:id',
    {
      config: { roles: ['admin', 'auditor', 'institution'], problems: { 403: [{ field: 'params.id', message: 'is not this key’s institution' }] } },
      schema: {
        tags,
        summary: 'Get an institution (an institution key: only its own)',
        params: idParams,
        response: { 200: institutionOut },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      if (principal.role === 'institution' && principal.institutionId !== request.params.id) {
        throw new ProblemError(403, 'forbidden', 'An institution key may only read its own institution.', [
          { field: 'params.id', message: 'is not this key’s institution' },
        ]);
      }
      return toInstitution(await institutions.get(request.params.id));
    },
  );
}

/** Changing an institution (code, kind, closure, successor). */
function institutionChangeRoutes(app: RouteApp, ctx: AppContext) {
  const institutions = ctx.services.institutions;
  app.patch(
    '/institutions/:id',
    {
      config: { roles: ['admin'], problems: { 409: [CODE_TAKEN], 422: [UNKNOWN_KIND, BAD_SUCCESSOR] } },
      schema: {
        tags,
        summary: 'Update an institution (changes to kind, code, closure or successor re-settle affected awards)',
        params: idParams,
        body: institutionBody.partial(),
        response: { 200: institutionOut },
      },
    },
    async (request) => toInstitution(await institutions.update(principalOf(request), request.params.id, request.body)),
  );

  app.post(
    '/institutions/:id/close',
    {
      config: { roles: ['admin'], problems: { 422: [BAD_SUCCESSOR] } },
      schema: {
        tags,
        summary: 'Close an institution, optionally naming its successor',
        params: idParams,
        body: closeBody,
        response: { 200: institutionOut },
      },
    },
    async (request) => toInstitution(await institutions.close(principalOf(request), request.params.id, request.body)),
  );
}
