import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import type { RouteApp } from './route-app.js';
import type { EnrolmentRow } from '../../repositories/enrolments.js';
import { principalOf } from '../plugins/auth.js';
import { pageQuery, pageSchema } from '../pagination.js';
import { idParams, iso, isoDate, timestamp } from '../schemas.js';
import { institutionRef } from './institutions.js';

const enrolmentOut = z
  .object({
    id: z.uuid(),
    child_id: z.uuid(),
    institution_id: z.uuid(),
    institution_code: z.string(),
    start: z.string(),
    end: z.string().nullable(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'Enrolment', description: 'A child at an institution over the half-open span [start, end); end null = ongoing.' });

const end = isoDate.nullable().meta({ description: 'First day no longer enrolled (exclusive); null = ongoing' });

const toEnrolment = (e: EnrolmentRow): z.infer<typeof enrolmentOut> => ({
  id: e.id,
  child_id: e.child_id,
  institution_id: e.institution_id,
  institution_code: e.institution_code,
  start: e.start_on,
  end: e.end_on,
  created_at: iso(e.created_at)!,
  updated_at: iso(e.updated_at)!,
});

const tags = ['enrolments'];
// Integration keys may write where their scope grants enrolments and the institution (checked per object).
const writers = ['admin', 'integration'] as const;

// Causes the service adds to the derived problem answers (contract/causes.ts).
const OUT_OF_SCOPE = { field: 'body.institution', message: 'this institution is outside the key’s scope' };
const OUTSIDE = { field: 'params.id', message: 'this enrolment is outside the key’s scope' };
const OVERLAP = { field: 'body.start', message: 'overlaps another enrolment of this child at this institution' };
const ENDED = { field: 'body.end', message: 'the enrolment has already ended; correct it with PATCH' };
const UNKNOWN_CHILD = { field: 'body.child', message: 'is not a known child' };
const UNKNOWN_INSTITUTION = { field: 'body.institution', message: 'is not a known institution (id or code)' };
const SPAN = { field: 'body.end', message: 'must be after start (the span is [start, end))' };
const LIST_PROBLEMS = {
  403: [{ field: 'query.institution', message: 'an institution key may only list its own enrolments' }],
  422: [{ field: 'query.institution', message: 'is not a known institution (id or code)' }],
};

export const enrolmentRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  enrolmentWriteAndReadRoutes(app, ctx);
  enrolmentChangeRoutes(app, ctx);
};

/** Adding, listing and reading enrolments. */
function enrolmentWriteAndReadRoutes(app: RouteApp, ctx: AppContext) {
  const enrolments = ctx.services.enrolments;
  app.post(
    '/enrolments',
    {
      config: { roles: writers, problems: { 403: [OUT_OF_SCOPE], 409: [OVERLAP], 422: [UNKNOWN_CHILD, UNKNOWN_INSTITUTION, SPAN] } },
      schema: {
        tags,
        summary: 'Enrol a child at an institution',
        body: z.strictObject({ child: z.uuid(), institution: institutionRef, start: isoDate, end: end.optional() }),
        response: { 201: enrolmentOut },
      },
    },
    async (request, reply) => reply.code(201).send(toEnrolment(await enrolments.add(principalOf(request), request.body))),
  );

  app.get(
    '/enrolments',
    {
      config: { roles: ['admin', 'institution'], problems: LIST_PROBLEMS },
      schema: {
        tags,
        summary: 'List enrolments (an institution key: only its own institution)',
        querystring: z.strictObject({ ...pageQuery.shape, child: z.uuid().optional(), institution: institutionRef.optional() }),
        response: { 200: pageSchema(enrolmentOut) },
      },
    },
    async (request) => {
      const page = await enrolments.list(principalOf(request), request.query);
      return { ...page, items: page.items.map(toEnrolment) };
    },
  );

  app.get(
    '/enrolments/:id',
    {
      config: { roles: ['admin', 'integration', 'institution'], problems: { 403: [OUTSIDE] } },
      schema: {
        tags,
        summary: 'Get an enrolment',
        description: 'An integration key (with the enrolment grant) reads only enrolments at its institutions; others are 404, as an unknown id.',
        params: idParams,
        response: { 200: enrolmentOut },
      },
    },
    async (request) => toEnrolment(await enrolments.get(principalOf(request), request.params.id)),
  );
}

/** Correcting, ending and deleting an enrolment. */
function enrolmentChangeRoutes(app: RouteApp, ctx: AppContext) {
  const enrolments = ctx.services.enrolments;
  app.patch(
    '/enrolments/:id',
    {
      config: { roles: writers, problems: { 403: [OUT_OF_SCOPE], 409: [OVERLAP], 422: [UNKNOWN_INSTITUTION, SPAN] } },
      schema: {
        tags,
        summary: 'Correct an enrolment (re-settles the child’s awards)',
        params: idParams,
        body: z.strictObject({ institution: institutionRef, start: isoDate, end }).partial(),
        response: { 200: enrolmentOut },
      },
    },
    async (request) => toEnrolment(await enrolments.correct(principalOf(request), request.params.id, request.body)),
  );

  app.post(
    '/enrolments/:id/end',
    {
      config: { roles: writers, problems: { 403: [OUT_OF_SCOPE], 409: [ENDED], 422: [SPAN] } },
      schema: {
        tags,
        summary: 'End an ongoing enrolment',
        params: idParams,
        body: z.strictObject({ end: isoDate }),
        response: { 200: enrolmentOut },
      },
    },
    async (request) => toEnrolment(await enrolments.end(principalOf(request), request.params.id, request.body.end)),
  );

  app.delete(
    '/enrolments/:id',
    {
      config: { roles: ['admin'] },
      schema: {
        tags,
        summary: 'Delete an enrolment entered by mistake (audited; re-settles the child’s awards)',
        params: idParams,
        response: { 204: z.null().meta({ description: 'Deleted' }) },
      },
    },
    async (request, reply) => {
      await enrolments.remove(principalOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
}
