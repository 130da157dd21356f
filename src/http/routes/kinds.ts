import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import { ROLES } from '../../auth/api-key.js';
import type { InstitutionKindRow, MeasurementKindRow } from '../../repositories/kinds.js';
import { principalOf } from '../plugins/auth.js';
import { pageQuery, pageSchema } from '../pagination.js';

const valueType = z.enum(['enum', 'number', 'boolean']);

const measurementKindOut = z
  .object({
    key: z.string(),
    type: valueType,
    values: z.array(z.string()).optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    description: z.string().nullable(),
  })
  .meta({ id: 'MeasurementKind', description: 'What integrations may measure, and which values are valid.' });

const measurementKindBody = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_.-]{0,62}$/, 'must be 1–63 of a-z 0-9 _ . - starting with a letter'),
  type: valueType,
  values: z.array(z.string().trim().min(1).max(100)).max(100).optional().meta({ description: 'enum only' }),
  min: z.number().optional().meta({ description: 'number only' }),
  max: z.number().optional().meta({ description: 'number only' }),
  description: z.string().trim().max(2000).nullable().optional(),
});

const institutionKindOut = z
  .object({ key: z.string(), label: z.string() })
  .meta({ id: 'InstitutionKind', description: 'A kind of institution that bonus rule windows can name.' });

const institutionKindBody = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'must be 1–63 of a-z 0-9 _ starting with a letter'),
  label: z.string().trim().min(1).max(200),
});

// Kinds are configuration, not personal or money data: every role may read them.
const readers = ROLES;

function toMeasurementKind(k: MeasurementKindRow): z.infer<typeof measurementKindOut> {
  return {
    key: k.key,
    type: k.value_type,
    ...(k.allowed_values ? { values: k.allowed_values } : {}),
    ...(k.min_value !== null ? { min: Number(k.min_value) } : {}),
    ...(k.max_value !== null ? { max: Number(k.max_value) } : {}),
    description: k.description,
  };
}

const toInstitutionKind = (k: InstitutionKindRow) => ({ key: k.key, label: k.label });
const listQuery = z.strictObject(pageQuery.shape);

export const kindRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const kinds = ctx.services.kinds;
  const tags = ['kinds'];

  app.post(
    '/measurement-kinds',
    {
      config: {
        roles: ['admin'],
        problems: {
          409: [{ field: 'body.key', message: 'a measurement kind with this key exists' }],
          422: [{ field: 'body.values', message: 'is required for enum kinds (and only for them); min must not exceed max' }],
        },
      },
      schema: {
        tags,
        summary: 'Create a measurement kind',
        body: measurementKindBody,
        response: { 201: measurementKindOut },
      },
    },
    async (request, reply) =>
      reply.code(201).send(toMeasurementKind(await kinds.createMeasurementKind(principalOf(request), request.body))),
  );

  app.get(
    '/measurement-kinds',
    {
      config: { roles: readers },
      schema: { tags, summary: 'List measurement kinds', querystring: listQuery, response: { 200: pageSchema(measurementKindOut) } },
    },
    async (request) => {
      const page = await kinds.listMeasurementKinds(request.query);
      return { ...page, items: page.items.map(toMeasurementKind) };
    },
  );

  app.get(
    '/measurement-kinds/:key',
    {
      config: { roles: readers },
      schema: {
        tags,
        summary: 'Get a measurement kind',
        params: z.object({ key: z.string().max(64) }),
        response: { 200: measurementKindOut },
      },
    },
    async (request) => toMeasurementKind(await kinds.getMeasurementKind(request.params.key)),
  );

  app.get(
    '/institution-kinds',
    {
      config: { roles: readers },
      schema: { tags, summary: 'List institution kinds', querystring: listQuery, response: { 200: pageSchema(institutionKindOut) } },
    },
    async (request) => {
      const page = await kinds.listInstitutionKinds(request.query);
      return { ...page, items: page.items.map(toInstitutionKind) };
    },
  );

  app.post(
    '/institution-kinds',
    {
      config: { roles: ['admin'], problems: { 409: [{ field: 'body.key', message: 'an institution kind with this key exists' }] } },
      schema: { tags, summary: 'Create an institution kind', body: institutionKindBody, response: { 201: institutionKindOut } },
    },
    async (request, reply) =>
      reply.code(201).send(toInstitutionKind(await kinds.createInstitutionKind(principalOf(request), request.body))),
  );
};
