import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import { ROLES } from '../../auth/api-key.js';
import type { ApiKeyRow } from '../../repositories/api-keys.js';
import { principalOf } from '../plugins/auth.js';
import { pageQuery, pageSchema } from '../pagination.js';
import { idParams, iso, timestamp } from '../schemas.js';
import { institutionRef } from './institutions.js';

const role = z.enum(ROLES);

const scopeOut = z.object({
  kinds: z.array(z.string()).nullable(),
  institutions: z.array(z.string()).nullable(),
  enrolments: z.boolean(),
});

const apiKeyOut = z
  .object({
    id: z.uuid(),
    name: z.string(),
    role,
    institution_id: z.uuid().nullable(),
    scope: scopeOut.nullable(),
    created_at: timestamp,
    revoked_at: timestamp.nullable(),
  })
  .meta({ id: 'ApiKey', description: 'An API key (its secret is never shown again after creation).' });

const apiKeyCreated = apiKeyOut.extend({ key: z.string().meta({ description: 'The full key; shown only in this response' }) }).meta({ id: 'ApiKeyCreated' });

const apiKeyBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  role,
  institution: institutionRef.optional().meta({ description: 'Institution keys only: the institution (id or code)' }),
  scope: z
    .strictObject({
      kinds: z.array(z.string().trim().min(1).max(64)).max(1000).nullable().meta({ description: 'Measurement kinds; null = all' }),
      institutions: z.array(institutionRef).max(1000).nullable().meta({ description: 'Ids or codes; null = all' }),
      enrolments: z.boolean().default(false).meta({ description: 'May submit enrolments' }),
    })
    .optional()
    .meta({ description: 'Integration keys only (required for them)' }),
});

const toApiKey = (k: ApiKeyRow): z.infer<typeof apiKeyOut> => ({
  id: k.id,
  name: k.name,
  role: k.role,
  institution_id: k.institution_id,
  scope: k.scope,
  created_at: iso(k.created_at)!,
  revoked_at: iso(k.revoked_at),
});

const tags = ['api keys'];

// Causes the service adds to the derived problem answers (contract/causes.ts).
const CREATE_PROBLEMS = {
  422: [
    { field: 'body.institution', message: 'is required for institution keys (and only for them), and must be a known institution' },
    { field: 'body.scope', message: 'is required for integration keys (and only for them); its kinds and institutions must exist' },
  ],
};

export const apiKeyRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const apiKeys = ctx.services.apiKeys;

  app.post(
    '/api-keys',
    {
      config: { roles: ['admin'], problems: CREATE_PROBLEMS },
      schema: { tags, summary: 'Create an API key (the key is returned once)', body: apiKeyBody, response: { 201: apiKeyCreated } },
    },
    async (request, reply) => {
      const created = await apiKeys.create(principalOf(request), request.body);
      return reply.code(201).send({ ...toApiKey(created), key: created.key });
    },
  );

  app.get(
    '/api-keys',
    {
      config: { roles: ['admin'] },
      schema: { tags, summary: 'List API keys', querystring: z.strictObject(pageQuery.shape), response: { 200: pageSchema(apiKeyOut) } },
    },
    async (request) => {
      const page = await apiKeys.list(request.query);
      return { ...page, items: page.items.map(toApiKey) };
    },
  );

  app.get(
    '/api-keys/:id',
    {
      config: { roles: ['admin'] },
      schema: { tags, summary: 'Get an API key', params: idParams, response: { 200: apiKeyOut } },
    },
    async (request) => toApiKey(await apiKeys.get(request.params.id)),
  );

  app.post(
    '/api-keys/:id/revoke',
    {
      config: { roles: ['admin'] },
      schema: { tags, summary: 'Revoke an API key (effective immediately)', params: idParams, response: { 200: apiKeyOut } },
    },
    async (request) => toApiKey(await apiKeys.revoke(principalOf(request), request.params.id)),
  );
};
