import { z } from 'zod';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import type { RouteApp } from './route-app.js';
import type { AwardWithPayees } from '../../repositories/awards.js';
import { principalOf } from '../plugins/auth.js';
import { decodeCursor, pageOf, pageQuery, pageSchema } from '../pagination.js';
import { idParams, isoDate, oreOut } from '../schemas.js';
import { redactCpr } from '../../domain/cpr.js';

export const awardSchema = z
  .object({
    id: z.uuid(),
    rule_id: z.uuid(),
    measurement_id: z.uuid(),
    fund_id: z.uuid(),
    child_id: z.uuid(),
    status: z.enum(['not_earned', 'awaiting_funds', 'provisional', 'held', 'final']),
    earned: z.boolean(),
    amount_ore: z.number().int(),
    retained_ore: z.number().int(),
    payout_total_ore: z.number().int(),
    awaiting_funds: z.boolean(),
    reserved_ore: z.number().int(),
    open_objections: z.number().int(),
    payouts: z.array(z.object({ institution_id: z.uuid(), code: z.string(), amount_ore: z.number().int(), payable_ore: z.number().int() })),
    revision: z.number().int(),
    review_until: z.string().nullable(),
    finalised_at: z.string().nullable(),
    computed_at: z.string(),
  })
  .meta({ id: 'Award' });

/** Institution codes by id, looked up once per page. */
type CodesOf = (institutionIds: string[]) => Promise<Map<string, string>>;

/** Award rows → API shape, with institution codes (one query for the whole page). */
export async function presentAwards(awards: AwardWithPayees[], codesOf: CodesOf) {
  const codes = await codesOf(awards.flatMap((a) => a.payees.map((p) => p.institutionId)));
  return awards.map((a) => ({
    id: a.id,
    rule_id: a.rule_id,
    measurement_id: a.measurement_id,
    fund_id: a.fund_id,
    child_id: a.child_id,
    status: a.status,
    earned: a.earned,
    amount_ore: oreOut(a.amount_ore),
    retained_ore: oreOut(a.retained_ore),
    payout_total_ore: oreOut(a.payout_total_ore),
    awaiting_funds: a.reserved_ore < a.reserve_target_ore,
    reserved_ore: oreOut(a.reserved_ore),
    open_objections: a.open_objections,
    payouts: a.payees
      .filter((p) => p.amount > 0n || p.payable > 0n)
      .map((p) => ({ institution_id: p.institutionId, code: codes.get(p.institutionId) ?? '', amount_ore: oreOut(p.amount), payable_ore: oreOut(p.payable) }))
      .sort((x, y) => Buffer.compare(Buffer.from(x.code), Buffer.from(y.code))),
    revision: a.revision,
    review_until: a.review_until ? a.review_until.toISOString() : null,
    finalised_at: a.finalised_at ? a.finalised_at.toISOString() : null,
    computed_at: a.computed_at.toISOString(),
  }));
}

const revisionSchema = z
  .object({
    award_id: z.uuid(),
    revision: z.number().int(),
    earned: z.boolean(),
    amount_ore: z.number().int(),
    retained_ore: z.number().int(),
    payouts: z.array(z.object({ institution_id: z.uuid(), code: z.string(), amount_ore: z.number().int() })),
    explanation: z.unknown(),
    computed_at: z.string(),
  })
  .meta({ id: 'AwardRevision', description: 'One computed result of an award; money in integer øre, payouts by code in byte order' });

type RevisionRow = Awaited<ReturnType<AppContext['services']['awards']['history']>>[number];

/** Revision rows → API shape: integer øre, payouts as the award's (with codes, one query for all). */
async function presentRevisions(rows: RevisionRow[], codesOf: CodesOf) {
  const payoutsOf = (r: RevisionRow) => Object.entries((r.payouts ?? {}) as Record<string, string | number>);
  const codes = await codesOf(rows.flatMap((r) => payoutsOf(r).map(([id]) => id)));
  return rows.map((r) => ({
    award_id: r.award_id,
    revision: r.revision,
    earned: r.earned,
    amount_ore: oreOut(r.amount_ore),
    retained_ore: oreOut(r.retained_ore),
    payouts: payoutsOf(r)
      .map(([id, amount]) => ({ institution_id: id, code: codes.get(id) ?? '', amount_ore: oreOut(BigInt(amount)) }))
      .sort((x, y) => Buffer.compare(Buffer.from(x.code), Buffer.from(y.code))),
    explanation: r.explanation,
    computed_at: r.computed_at.toISOString(),
  }));
}

/**
 * Answers JSON text the database built (hot reads: award, passport). Fastify sends a string with
 * a JSON content type as is, so the response schema documents the shape but does not
 * re-validate and re-serialise it; test/integration/read-json.test.ts holds the shapes equal.
 */
export const sendJsonText = (reply: FastifyReply, json: string) => reply.type('application/json; charset=utf-8').send(json);

const objection = z
  .object({
    id: z.uuid(),
    award_id: z.uuid(),
    institution_id: z.uuid().nullable(),
    reason: z.string(),
    status: z.enum(['open', 'upheld', 'rejected', 'withdrawn']),
    resolution: z.string().nullable(),
    created_at: z.string(),
    resolved_at: z.string().nullable(),
  })
  .meta({ id: 'Objection' });

type ObjectionRow = Awaited<ReturnType<AppContext['services']['awards']['objections']>>[number];
const presentObjection = (o: ObjectionRow) => ({
  id: o.id,
  award_id: o.award_id,
  institution_id: o.institution_id,
  reason: o.reason,
  status: o.status,
  resolution: o.resolution,
  created_at: o.created_at.toISOString(),
  resolved_at: o.resolved_at ? new Date(o.resolved_at).toISOString() : null,
});

const READERS = ['admin', 'auditor', 'institution'] as const;

const FINALISE_PROBLEMS = {
  422: [
    { field: 'body.fund_id', message: 'unknown fund' },
    { field: 'body.award_ids.0', message: 'is an award of another fund' },
  ],
};

const finaliseBody = z.strictObject({
  fund_id: z.uuid(),
  award_ids: z.array(z.uuid()).min(1).max(10000).optional().meta({ description: 'Only these awards (each must be an award of the fund).' }),
  review_until_by: isoDate.optional().meta({ description: 'Only awards whose review window ends on or before this date (business time zone).' }),
  reason: z
    .string()
    .trim()
    .min(1)
    .max(1000)
    .refine((s) => redactCpr(s) === s, 'must not contain a CPR number (it is kept in the audit log)')
    .meta({ description: 'Why the review window is cut short; kept in the audit log.' }),
});

export const awardRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  awardReadRoutes(app, ctx);
  awardChangeRoutes(app, ctx);
};

/** Reading awards and their revisions. */
function awardReadRoutes(app: RouteApp, ctx: AppContext) {
  app.get(
    '/awards',
    {
      config: { roles: READERS, problems: { 403: [{ message: 'An institution key reads only its own awards.' }] } },
      schema: {
        tags: ['awards'],
        summary: 'List awards (an institution sees only awards it is part of)',
        querystring: pageQuery.extend({
          fund_id: z.uuid().optional(),
          institution_id: z.uuid().optional(),
          child_id: z.uuid().optional(),
          rule_id: z.uuid().optional(),
          measurement_id: z.uuid().optional(),
          status: z.enum(['not_earned', 'awaiting_funds', 'provisional', 'held', 'final']).optional(),
        }),
        response: { 200: pageSchema(awardSchema) },
      },
    },
    async (req) => {
      const q = req.query;
      const rows = await ctx.services.awards.list(
        principalOf(req),
        { fundId: q.fund_id, institutionId: q.institution_id, childId: q.child_id, ruleId: q.rule_id, measurementId: q.measurement_id, status: q.status },
        decodeCursor(q.cursor),
        q.limit + 1,
      );
      const page = pageOf(rows, q.limit, (r) => r.id);
      return { items: await presentAwards(page.items, (ids) => ctx.services.awards.institutionCodes(ids)), next_cursor: page.next_cursor };
    },
  );

  app.get(
    '/awards/:id',
    {
      config: { roles: READERS },
      schema: {
        tags: ['awards'],
        summary: 'Read an award with its full explanation (everything needed to redo it by hand)',
        params: idParams,
        response: { 200: awardSchema.extend({ explanation: z.unknown() }) },
      },
    },
    async (req, reply) => sendJsonText(reply, await ctx.services.awards.getJson(principalOf(req), req.params.id)),
  );

  app.get(
    '/awards/:id/revisions',
    {
      config: { roles: READERS },
      schema: {
        tags: ['awards'],
        summary: 'Every computed result of the award, oldest first (one page: next_cursor is always null)',
        params: idParams,
        response: { 200: pageSchema(revisionSchema) },
      },
    },
    async (req) => {
      const rows = await ctx.services.awards.history(principalOf(req), req.params.id);
      return { items: await presentRevisions(rows, (ids) => ctx.services.awards.institutionCodes(ids)), next_cursor: null };
    },
  );
}

/** Early finalisation, objections and their resolution. */
function awardChangeRoutes(app: RouteApp, ctx: AppContext) {
  app.post(
    '/awards/finalise',
    {
      config: { roles: ['admin'], problems: FINALISE_PROBLEMS },
      schema: {
        tags: ['awards'],
        summary: 'Finalise a fund’s funded, unheld provisional awards now, without waiting for their review windows',
        description:
          'Early finalisation takes away the institutions’ remaining time to object, so it is explicit: the fund is required, ' +
          '`award_ids` and/or `review_until_by` narrow it further, and the reason is kept in the audit log with the key ' +
          'that acted and the ids finalised. Held, unfunded and already final awards are left as they are.',
        body: finaliseBody,
        response: { 200: z.object({ finalised: z.number().int() }) },
      },
    },
    async (req) => ({
      finalised: await ctx.services.settlement.finaliseEarly(principalOf(req), {
        fundId: req.body.fund_id,
        awardIds: req.body.award_ids,
        reviewUntilBy: req.body.review_until_by,
        reason: req.body.reason,
      }),
    }),
  );

  app.post(
    '/awards/:id/objections',
    {
      config: { roles: ['admin', 'institution'] },
      schema: {
        tags: ['awards'],
        summary: 'Object to an award: it is held (not finalised) until the objection is resolved',
        params: idParams,
        body: z.strictObject({ reason: z.string().trim().min(1).max(4000) }),
        response: { 201: objection },
      },
    },
    async (req, reply) => reply.code(201).send(presentObjection(await ctx.services.awards.object(principalOf(req), req.params.id, req.body.reason))),
  );

  app.get(
    '/awards/:id/objections',
    {
      config: { roles: READERS },
      schema: {
        tags: ['awards'],
        summary: 'Objections to an award, oldest first (one page: next_cursor is always null)',
        params: idParams,
        response: { 200: pageSchema(objection) },
      },
    },
    async (req) => ({ items: (await ctx.services.awards.objections(principalOf(req), req.params.id)).map(presentObjection), next_cursor: null }),
  );

  app.post(
    '/objections/:id/resolve',
    {
      config: { roles: ['admin'], problems: { 409: [{ field: 'params.id', message: 'the objection is already resolved' }] } },
      schema: {
        tags: ['awards'],
        summary: 'Resolve an objection (after correcting enrolments or the measurement if upheld)',
        params: idParams,
        body: z.strictObject({ outcome: z.enum(['upheld', 'rejected', 'withdrawn']), resolution: z.string().trim().max(4000).nullish() }),
        response: { 200: objection },
      },
    },
    async (req) => presentObjection(await ctx.services.awards.resolve(principalOf(req), req.params.id, req.body.outcome, req.body.resolution ?? null)),
  );
}
