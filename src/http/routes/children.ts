import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import type { ChildRow } from '../../repositories/children.js';
import { principalOf } from '../plugins/auth.js';
import { pageQuery, pageSchema } from '../pagination.js';
import { idParams, iso, isoDate, timestamp } from '../schemas.js';

const attributeValue = z.union([z.string().max(200), z.number(), z.boolean(), z.null()]);
const attributes = z
  .record(z.string().min(1).max(64), attributeValue)
  .refine((a) => Object.keys(a).length <= 50, 'at most 50 attributes')
  .meta({ description: 'Flat object of JSON primitives used by rule multipliers', example: { restgruppe_origin: true } });

// Validated (and turned into a birth date and an HMAC) by the service; never echoed back.
const cpr = z.string().max(32).meta({ description: 'CPR number DDMMYY-SSSS (dash optional); only its keyed HMAC is stored' });

const childOut = z
  .object({
    id: z.uuid(),
    external_ref: z.string().nullable(),
    birth_date: z.string(),
    attributes: z.record(z.string(), attributeValue),
    has_cpr: z.boolean(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'Child', description: 'A pseudonymous child. Its CPR (or CPR hash) is never returned.' });

const childBody = z.strictObject({
  cpr: cpr.optional(),
  birth_date: isoDate.optional().meta({ description: 'Required without cpr; with cpr it must match the CPR' }),
  external_ref: z.string().trim().min(1).max(200).nullable().optional(),
  attributes: attributes.optional(),
});

const toChild = (c: ChildRow): z.infer<typeof childOut> => ({
  id: c.id,
  external_ref: c.external_ref,
  birth_date: c.birth_date,
  attributes: c.attributes,
  has_cpr: c.has_cpr,
  created_at: iso(c.created_at)!,
  updated_at: iso(c.updated_at)!,
});

const tags = ['children'];
const SCOPED_LOOKUP =
  'An integration key scoped to institutions finds only children with an enrolment at one of them; any other ' +
  'CPR — registered or not — is 404, the same answer.';
const SCOPED_READ = 'An integration key scoped to institutions sees only children with an enrolment at one of them (others: 404).';

// Causes the service adds to the derived problem answers (contract/causes.ts).
const INVALID_CPR = { field: 'body.cpr', message: 'is not a valid CPR number (an impossible date, or one in the future)' };
const CHILD_PROBLEMS = {
  409: [
    { field: 'body.cpr', message: 'a child with this CPR exists' },
    { field: 'body.external_ref', message: 'a child with this external reference exists' },
  ],
  422: [INVALID_CPR, { field: 'body.birth_date', message: 'is required unless cpr is given, must match the CPR, and may not be in the future' }],
};

export const childRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const children = ctx.services.children;

  app.post(
    '/children',
    {
      config: { roles: ['admin'], problems: CHILD_PROBLEMS },
      schema: {
        tags,
        summary: 'Register a child by CPR (birth date derived) or by birth date',
        body: childBody,
        response: { 201: childOut },
      },
    },
    async (request, reply) => reply.code(201).send(toChild(await children.register(principalOf(request), request.body))),
  );

  app.get(
    '/children',
    {
      config: { roles: ['admin'] },
      schema: {
        tags,
        summary: 'List children',
        querystring: z.strictObject({ ...pageQuery.shape, external_ref: z.string().trim().min(1).max(200).optional() }),
        response: { 200: pageSchema(childOut) },
      },
    },
    async (request) => {
      const page = await children.list(request.query);
      return { ...page, items: page.items.map(toChild) };
    },
  );

  // POST, so that the CPR travels in the body and never in a URL (URLs end up in logs).
  app.post(
    '/children/lookup',
    {
      config: {
        roles: ['admin', 'integration'],
        problems: { 404: [{ field: 'body.cpr', message: 'A child with this CPR was not found' }], 422: [INVALID_CPR] },
      },
      schema: {
        tags,
        summary: 'Find a child by CPR',
        description: SCOPED_LOOKUP,
        body: z.strictObject({ cpr }),
        response: { 200: childOut },
      },
    },
    async (request) => toChild(await children.lookup(principalOf(request), request.body.cpr)),
  );

  app.get(
    '/children/:id',
    {
      config: { roles: ['admin', 'integration'] },
      schema: { tags, summary: 'Get a child', description: SCOPED_READ, params: idParams, response: { 200: childOut } },
    },
    async (request) => toChild(await children.get(principalOf(request), request.params.id)),
  );

  app.patch(
    '/children/:id',
    {
      config: { roles: ['admin'], problems: CHILD_PROBLEMS },
      schema: {
        tags,
        summary: 'Update a child (attributes are replaced as a whole; changes re-settle its awards)',
        params: idParams,
        body: childBody,
        response: { 200: childOut },
      },
    },
    async (request) => toChild(await children.update(principalOf(request), request.params.id, request.body)),
  );
};
