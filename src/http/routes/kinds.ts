import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import { ROLES } from '../../auth/api-key.js';
import type { InstitutionKindRow, KindPeriodRow } from '../../repositories/kinds.js';
import type { KindWithPeriods } from '../../services/kinds.js';
import { principalOf } from '../plugins/auth.js';
import { pageQuery, pageSchema } from '../pagination.js';
import { isoDate } from '../schemas.js';

const valueType = z.enum(['enum', 'number', 'boolean']);
const KEY = /^[a-z][a-z0-9_.-]{0,62}$/;
const keyMessage = 'must be 1–63 of a-z 0-9 _ . - starting with a letter';
const months = z.number().int().min(-1200).max(1200);

const periodOut = z
  .object({
    period: z.string(),
    basis: z.enum(['age', 'grade']),
    grade: z.number().int().nullable(),
    from_months: z.number().int(),
    to_months: z.number().int(),
    typical_months: z.number().int(),
    early_years: z.number().int(),
    late_years: z.number().int(),
    valid_from: z.string().nullable(),
    valid_to: z.string().nullable(),
    description: z.string().nullable(),
    origin: z.enum(['api', 'catalogue']),
  })
  .meta({
    id: 'MeasurementPeriod',
    description:
      'A period of a measurement kind and when it is plausibly measured: basis age — measured_on in [birth + from_months, birth + to_months); ' +
      'basis grade — relative to 1 August of the year the child turns 6 + grade, widened by early_years/late_years (docs/INDICATORS.md).',
  });

const periodBody = z
  .strictObject({
    period: z.string().regex(KEY, keyMessage),
    basis: z.enum(['age', 'grade']),
    grade: z.number().int().min(-6).max(12).optional().meta({ description: 'basis grade only (0 = børnehaveklasse)' }),
    from_months: months,
    to_months: months,
    typical_months: months.optional().meta({ description: 'when it is usually measured; default from_months' }),
    early_years: z.number().int().min(0).max(5).optional().meta({ description: 'basis grade only' }),
    late_years: z.number().int().min(0).max(5).optional().meta({ description: 'basis grade only' }),
    valid_from: isoDate.nullable().optional(),
    valid_to: isoDate.nullable().optional(),
    description: z.string().trim().max(2000).nullable().optional(),
  })
  .meta({ description: 'A period to declare (see MeasurementPeriod).' });

const measurementKindOut = z
  .object({
    key: z.string(),
    type: valueType,
    values: z.array(z.string()).optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    description: z.string().nullable(),
    unit: z.string().nullable(),
    source: z.string().nullable(),
    family: z.string().nullable(),
    valid_from: z.string().nullable(),
    valid_to: z.string().nullable(),
    origin: z.enum(['api', 'catalogue']).meta({ description: 'catalogue: installed from the indicator catalogue and not replaced since' }),
    periods: z.array(periodOut).meta({ description: 'empty: any period is accepted, with no age constraint' }),
  })
  .meta({ id: 'MeasurementKind', description: 'What integrations may measure, which values are valid, and when each period is measured.' });

const kindFields = {
  type: valueType,
  values: z.array(z.string().trim().min(1).max(100)).max(100).optional().meta({ description: 'enum only' }),
  min: z.number().optional().meta({ description: 'number only' }),
  max: z.number().optional().meta({ description: 'number only' }),
  description: z.string().trim().max(2000).nullable().optional(),
  unit: z.string().trim().min(1).max(100).nullable().optional(),
  source: z.string().trim().min(1).max(200).nullable().optional().meta({ description: 'e.g. municipality, stil, star, dst, institution' }),
  family: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,62}$/, 'must be 1–63 of a-z 0-9 _ starting with a letter')
    .nullable()
    .optional(),
  valid_from: isoDate.nullable().optional().meta({ description: 'first date a measured_on may have' }),
  valid_to: isoDate.nullable().optional().meta({ description: 'measured_on must be before this date' }),
  periods: z.array(periodBody).max(200).optional().meta({ description: 'omitted or empty: any period, no age constraint' }),
};

const measurementKindBody = z.strictObject({ key: z.string().regex(KEY, keyMessage), ...kindFields });
const measurementKindPutBody = z.strictObject(kindFields);

const institutionKindOut = z
  .object({ key: z.string(), label: z.string() })
  .meta({ id: 'InstitutionKind', description: 'A kind of institution that bonus rule windows can name.' });

const institutionKindBody = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'must be 1–63 of a-z 0-9 _ starting with a letter'),
  label: z.string().trim().min(1).max(200),
});

// Kinds are configuration, not personal or money data: every role may read them.
const readers = ROLES;

function toPeriod(p: KindPeriodRow): z.infer<typeof periodOut> {
  const { kind_key: _kind, ...rest } = p;
  return rest;
}

function toMeasurementKind(k: KindWithPeriods): z.infer<typeof measurementKindOut> {
  return {
    key: k.key,
    type: k.value_type,
    ...(k.allowed_values ? { values: k.allowed_values } : {}),
    ...(k.min_value !== null ? { min: Number(k.min_value) } : {}),
    ...(k.max_value !== null ? { max: Number(k.max_value) } : {}),
    description: k.description,
    unit: k.unit,
    source: k.source,
    family: k.family,
    valid_from: k.valid_from,
    valid_to: k.valid_to,
    origin: k.origin,
    periods: k.periods.map(toPeriod),
  };
}

const toInstitutionKind = (k: InstitutionKindRow) => ({ key: k.key, label: k.label });
const listQuery = z.strictObject(pageQuery.shape);
const kindListQuery = z.strictObject({ ...pageQuery.shape, family: z.string().max(64).optional() });
const keyParams = z.object({ key: z.string().max(64) });

const tags = ['kinds'];

export const kindRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  await measurementKindRoutes(app, { ctx });
  await institutionKindRoutes(app, { ctx });
};

// Causes the service adds to the derived problem answers (contract/causes.ts).
const INVALID_KIND = {
  field: 'body.values',
  message: 'values are for enum kinds only and required there; min not above max; periods and validity dates must fit',
};
const CREATE_PROBLEMS = { 409: [{ field: 'body.key', message: 'a measurement kind with this key exists' }], 422: [INVALID_KIND] };
const REPLACE_PROBLEMS = {
  409: [{ field: 'params.key', message: 'The measurement kind cannot be replaced: measurements of it are stored (or a rule uses it).' }],
  422: [INVALID_KIND],
};
const PERIOD_PROBLEMS = {
  409: [{ field: 'body.period', message: 'the kind has a period with this name' }],
  422: [{ field: 'body.to_months', message: 'the range, grade, typical age or early/late years do not fit the basis' }],
};

const measurementKindRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const kinds = ctx.services.kinds;

  app.post(
    '/measurement-kinds',
    {
      config: { roles: ['admin'], problems: CREATE_PROBLEMS },
      schema: {
        tags,
        summary: 'Create a measurement kind',
        body: measurementKindBody,
        response: { 201: measurementKindOut },
      },
    },
    async (request, reply) => reply.code(201).send(toMeasurementKind(await kinds.createMeasurementKind(principalOf(request), request.body))),
  );

  app.put(
    '/measurement-kinds/:key',
    {
      config: { roles: ['admin'], problems: REPLACE_PROBLEMS },
      schema: {
        tags,
        summary: 'Replace a measurement kind',
        description:
          'Replaces all of an existing kind (type, values, range, metadata and periods) while no measurement and no rule uses it; ' +
          "otherwise 409. A kind replaced without periods accepts any period (this is how the vector runner declares a vector's kinds). " +
          'Create a kind with POST.',
        params: keyParams,
        body: measurementKindPutBody,
        response: { 200: measurementKindOut },
      },
    },
    async (request) => toMeasurementKind(await kinds.replaceMeasurementKind(principalOf(request), { key: request.params.key, ...request.body })),
  );

  app.post(
    '/measurement-kinds/:key/periods',
    {
      config: { roles: ['admin'], problems: PERIOD_PROBLEMS },
      schema: {
        tags,
        summary: 'Add a period to a measurement kind',
        description: 'From then on the kind accepts only its declared periods, each within its age or grade range.',
        params: keyParams,
        body: periodBody,
        response: { 201: periodOut },
      },
    },
    async (request, reply) => reply.code(201).send(toPeriod(await kinds.addPeriod(principalOf(request), request.params.key, request.body))),
  );

  app.get(
    '/measurement-kinds',
    {
      config: { roles: readers },
      schema: { tags, summary: 'List measurement kinds', querystring: kindListQuery, response: { 200: pageSchema(measurementKindOut) } },
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
        params: keyParams,
        response: { 200: measurementKindOut },
      },
    },
    async (request) => toMeasurementKind(await kinds.getMeasurementKind(request.params.key)),
  );
};

const institutionKindRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const kinds = ctx.services.kinds;

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
    async (request, reply) => reply.code(201).send(toInstitutionKind(await kinds.createInstitutionKind(principalOf(request), request.body))),
  );
};
