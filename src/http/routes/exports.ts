import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import type { EntryFilter } from '../../repositories/ledger.js';
import type { ExportFormat } from '../../services/exports.js';
import { problems } from '../problem.js';
import { isoDate } from '../schemas.js';

const seqParam = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

/**
 * The filters of GET /ledger/entries (without the paging). Strict: a misspelt filter must be
 * rejected rather than silently export the whole ledger.
 */
export const exportQuery = z.strictObject({
  fund_id: z.uuid().optional(),
  institution_id: z.uuid().optional(),
  account: z.string().max(200).optional(),
  award_id: z.uuid().optional(),
  from_seq: seqParam.optional(),
  to_seq: seqParam.optional(),
  from_date: isoDate.optional(),
  to_date: isoDate.optional(),
});

type ExportQuery = z.infer<typeof exportQuery>;

/** The 422s of toFilter (contract/causes.ts). */
export const SEQ_DATE_ORDER = [
  { field: 'query.to_seq', message: 'must not be less than from_seq' },
  { field: 'query.to_date', message: 'must not be before from_date' },
];

export function toFilter(q: ExportQuery): EntryFilter {
  if (q.from_seq !== undefined && q.to_seq !== undefined && q.to_seq < q.from_seq) {
    throw problems.invalid('query.to_seq', 'must not be less than from_seq');
  }
  if (q.from_date !== undefined && q.to_date !== undefined && q.to_date < q.from_date) {
    throw problems.invalid('query.to_date', 'must not be before from_date');
  }
  return {
    fundId: q.fund_id,
    institutionId: q.institution_id,
    account: q.account,
    awardId: q.award_id,
    fromSeq: q.from_seq === undefined ? undefined : BigInt(q.from_seq),
    toSeq: q.to_seq === undefined ? undefined : BigInt(q.to_seq),
    fromDate: q.from_date,
    toDate: q.to_date,
  };
}

const FORMATS: Record<ExportFormat, { ext: string; type: string; summary: string }> = {
  ndjson: {
    ext: 'ndjson',
    type: 'application/x-ndjson',
    summary:
      'Export journal entries as NDJSON: one entry per line with its lines, prev_hash and hash (recompute the chain ' +
      "with `npm run verify-ledger`), plus the award revision it posts — the award's ids, that revision's amounts, " +
      '`revision`, `computed_at` and explanation (not hashed)',
  },
  csv: {
    ext: 'csv',
    type: 'text/csv',
    summary: "Export journal lines as CSV: one row per line with its entry's seq, ids, dates, memo, prev_hash and hash",
  },
};

/**
 * Streaming ledger exports for auditors, registered relative to /v1:
 * GET /ledger/export.ndjson and GET /ledger/export.csv.
 *
 * The body is produced page by page as the client reads it (constant memory). Errors before the
 * first byte — validation, authorisation, the first page failing — are ordinary problem+json
 * responses through the error handler. An error after streaming has started cannot change the
 * status any more: Fastify logs it and destroys the connection, so the client sees a truncated
 * body (no trailing newline / incomplete chunked encoding) and must treat the download as failed.
 */
export const exportRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  for (const format of ['ndjson', 'csv'] as const) {
    const f = FORMATS[format];
    app.get(
      `/ledger/export.${f.ext}`,
      {
        config: { roles: ['admin', 'auditor'], problems: { 422: SEQ_DATE_ORDER } },
        schema: {
          tags: ['ledger'],
          summary: f.summary,
          description:
            'Entries up to the chain head at the start of the export, in sequence order, filtered like ' +
            'GET /v1/ledger/entries. Only an unfiltered export (or a sequence range, given the hash before it) ' +
            'is a contiguous chain that can be verified. Headers x-ledger-head-seq / x-ledger-head-hash give the ' +
            'head the export was cut at, x-ledger-unsealed how many entries were appended but not yet sealed then ' +
            '(they are sealed in batches by one sealer at a time, and exported once sealed).',
          querystring: exportQuery,
          produces: [f.type],
        },
      },
      async (req, reply) => {
        const filter = toFilter(req.query);
        const exp = await ctx.services.exports.open(format, filter);
        return reply
          .type(`${f.type}; charset=utf-8`)
          .header('content-disposition', `attachment; filename="ledger-export-${exp.head.seq.toString()}.${f.ext}"`)
          .header('cache-control', 'no-store')
          .header('x-ledger-head-seq', exp.head.seq.toString())
          .header('x-ledger-head-hash', exp.head.hash)
          .header('x-ledger-unsealed', String(exp.unsealed))
          .send(exp.stream);
      },
    );
  }
};
