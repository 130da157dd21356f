import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import { decodeCursor, pageOf, pageQuery, pageSchema } from '../pagination.js';
import { oreOut } from '../schemas.js';
import { problems } from '../problem.js';
import { SEQ_DATE_ORDER, exportQuery, toFilter } from './exports.js';

export const entrySchema = z
  .object({
    seq: z.number().int(),
    id: z.uuid(),
    posted_at: z.string(),
    posted_on: z.string(),
    kind: z.string(),
    fund_id: z.uuid().nullable(),
    award_id: z.uuid().nullable(),
    memo: z.string().nullable(),
    prev_hash: z.string(),
    hash: z.string(),
    award_revision: z.number().int().nullable(),
    explanation_sha256: z.string().nullable(),
    lines: z.array(z.object({ account: z.string(), amount_ore: z.number().int() })),
  })
  .meta({ id: 'JournalEntry' });

type EntryWithLines = Awaited<ReturnType<AppContext['services']['ledgerAudit']['entries']>>[number];
export const presentEntry = (e: EntryWithLines) => ({
  seq: oreOut(e.seq),
  id: e.id,
  posted_at: e.posted_at.toISOString(),
  posted_on: e.posted_on,
  kind: e.kind,
  fund_id: e.fund_id,
  award_id: e.award_id,
  memo: e.memo,
  prev_hash: e.prev_hash,
  hash: e.hash,
  award_revision: e.award_revision,
  explanation_sha256: e.explanation_sha256,
  lines: e.lines.map((l) => ({ account: l.account, amount_ore: oreOut(l.amount_ore) })),
});

export const checkpointSchema = z
  .object({
    seq: z.number().int(),
    hash: z.string(),
    sealed_at: z.string(),
    key_id: z.string(),
    signature: z.string().describe('Ed25519 signature (base64) of the RFC 8785 JSON of {seq, hash, sealed_at, key_id}'),
  })
  .meta({ id: 'LedgerCheckpoint' });

const seqParam = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

const journalRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/ledger/entries',
    {
      config: { roles: ['admin', 'auditor'], problems: { 422: SEQ_DATE_ORDER } },
      schema: {
        tags: ['ledger'],
        summary: 'Journal entries with their lines, in sequence order',
        querystring: exportQuery.extend(pageQuery.shape),
        response: { 200: pageSchema(entrySchema) },
      },
    },
    async (req) => {
      const q = req.query;
      const after = decodeCursor(q.cursor);
      if (after !== null && !/^\d+$/.test(after)) throw problems.invalid('query.cursor', 'is not a cursor from this API');
      const { cursor: _cursor, limit: _limit, ...filters } = q;
      const rows = await ctx.services.ledgerAudit.entries(toFilter(filters), after === null ? null : BigInt(after), q.limit + 1);
      const page = pageOf(rows, q.limit, (r) => r.seq.toString());
      return { items: page.items.map(presentEntry), next_cursor: page.next_cursor };
    },
  );

  app.get(
    '/ledger/verify',
    {
      config: { roles: ['admin', 'auditor'] },
      schema: {
        tags: ['ledger'],
        summary: 'Recompute the hash chain (the sealed prefix, or a sequence range) and report the first break',
        description:
          'Entries are appended without seq or hash and sealed into the chain in batches by one sealer at a time; ' +
          '`unsealed` counts entries appended but not yet sealed (not covered by this check).',
        querystring: z.object({ from_seq: seqParam.optional(), to_seq: seqParam.optional() }),
        response: {
          200: z.object({
            ok: z.boolean(),
            checked: z.number().int(),
            last_seq: z.number().int().nullable().optional(),
            last_hash: z.string().optional(),
            unsealed: z.number().int(),
            first_break: z.object({ seq: z.number().int(), reason: z.string(), expected: z.string().optional(), actual: z.string().optional() }).optional(),
          }),
        },
      },
    },
    async (req) =>
      ctx.services.ledgerAudit.verify({
        ...(req.query.from_seq !== undefined ? { fromSeq: BigInt(req.query.from_seq) } : {}),
        ...(req.query.to_seq !== undefined ? { toSeq: BigInt(req.query.to_seq) } : {}),
      }),
  );
};

const checkpointRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/ledger/checkpoints',
    {
      config: { roles: ['admin', 'auditor'] },
      schema: {
        tags: ['ledger'],
        summary: 'Signed checkpoints of the hash chain, in sequence order',
        description:
          'The sealer signs `{seq, hash, sealed_at, key_id}` (RFC 8785 JSON) with Ed25519 every few seconds while the ' +
          'chain grows. Keep one: `npm run verify-ledger -- export.ndjson --checkpoint cp.json --public-key key.pem` ' +
          'proves that a later export extends it (docs/LEDGER.md).',
        querystring: pageQuery,
        response: { 200: pageSchema(checkpointSchema) },
      },
    },
    async (req) => {
      const after = decodeCursor(req.query.cursor);
      if (after !== null && !/^\d+$/.test(after)) throw problems.invalid('query.cursor', 'is not a cursor from this API');
      const rows = await ctx.services.ledgerAudit.checkpoints(after === null ? null : BigInt(after), req.query.limit + 1);
      const page = pageOf(rows, req.query.limit, (r) => r.seq.toString());
      return {
        items: page.items.map((r) => ({ seq: oreOut(r.seq), hash: r.hash, sealed_at: r.sealed_at.toISOString(), key_id: r.key_id, signature: r.signature })),
        next_cursor: page.next_cursor,
      };
    },
  );

  app.get(
    '/ledger/checkpoints/keys',
    {
      config: { roles: ['admin', 'auditor'] },
      schema: {
        tags: ['ledger'],
        summary: 'The public keys (SPKI PEM) that checkpoints are signed with, by key id',
        response: {
          200: z.object({
            items: z.array(z.object({ key_id: z.string(), public_key_pem: z.string(), active: z.boolean() })),
          }),
        },
      },
    },
    async () => ({ items: ctx.signingKeys.publicKeys() }),
  );
};

/** The journal, its verification, and the signed checkpoints of its hash chain. */
export const ledgerRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, opts) => {
  await journalRoutes(app, opts);
  await checkpointRoutes(app, opts);
};
