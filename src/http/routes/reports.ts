import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import type { RouteApp } from './route-app.js';
import { principalOf } from '../plugins/auth.js';
import { idParams, isoDate, oreOut } from '../schemas.js';
import { awardSchema, sendJsonText } from './awards.js';
import { measurementSchema } from './measurements.js';
import { institutionRef } from './institutions.js';

const int = z.number().int();
// Causes the service adds to the derived problem answers (contract/causes.ts).
const OTHER_INSTITUTION = { message: 'An institution key reads only its own balances and statements.' };
const STATEMENT_PROBLEMS = {
  403: [OTHER_INSTITUTION],
  422: [
    { field: 'query.to', message: 'must not be before from' },
    { field: 'query.from', message: 'must not be after to (today, when to is not given)' },
  ],
};

export const reportRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  balanceRoutes(app, ctx);
  statementRoutes(app, ctx);
};

/** Fund and institution balances. */
function balanceRoutes(app: RouteApp, ctx: AppContext) {
  app.get(
    '/funds/:id/balances',
    {
      config: { roles: ['admin', 'auditor'] },
      schema: {
        tags: ['funds'],
        summary: "Balances of a fund's ledger accounts (payable summed over institutions)",
        params: idParams,
        response: {
          200: z.object({
            fund_id: z.uuid(),
            available_ore: int,
            reserved_ore: int,
            payable_ore: int,
            deposited_ore: int,
            paid_out_ore: int,
            awaiting_awards: int,
            awaiting_shortfall_ore: int,
          }),
        },
      },
    },
    async (req) => {
      const b = await ctx.services.reports.fundBalances(req.params.id);
      return {
        ...b,
        available_ore: oreOut(b.available_ore),
        reserved_ore: oreOut(b.reserved_ore),
        payable_ore: oreOut(b.payable_ore),
        deposited_ore: oreOut(b.deposited_ore),
        paid_out_ore: oreOut(b.paid_out_ore),
        awaiting_shortfall_ore: oreOut(b.awaiting_shortfall_ore),
      };
    },
  );

  app.get(
    '/institutions/:id/balances',
    {
      config: { roles: ['admin', 'auditor', 'institution'], problems: { 403: [OTHER_INSTITUTION] } },
      schema: {
        tags: ['institutions'],
        summary: 'What the fund(s) owe an institution (negative: a claw-back to be netted)',
        params: idParams,
        response: {
          200: z.object({
            institution_id: z.uuid(),
            code: z.string(),
            payable_ore: int,
            by_fund: z.array(z.object({ fund_id: z.uuid(), payable_ore: int })),
          }),
        },
      },
    },
    async (req) => {
      const b = await ctx.services.reports.institutionBalances(principalOf(req), req.params.id);
      return { ...b, payable_ore: oreOut(b.payable_ore), by_fund: b.by_fund.map((f) => ({ ...f, payable_ore: oreOut(f.payable_ore) })) };
    },
  );
}

/** Institution statements and the child passport. */
function statementRoutes(app: RouteApp, ctx: AppContext) {
  app.get(
    '/institutions/:id/statement',
    {
      config: { roles: ['admin', 'auditor', 'institution'], problems: STATEMENT_PROBLEMS },
      schema: {
        tags: ['institutions'],
        summary: 'Statement for a period: opening balance, awards with explanations, adjustments, payments, closing balance',
        description:
          'The institution is named by id or code. The period is [from, to], both inclusive; `to` defaults to today ' +
          '(business date), `from` to 1 January of `to`’s year (the year to date).',
        params: z.object({ id: institutionRef }),
        querystring: z.strictObject({
          from: isoDate.optional().meta({ description: 'First day (inclusive); default 1 January of to’s year' }),
          to: isoDate.optional().meta({ description: 'Last day (inclusive); default today in BUSINESS_TIME_ZONE' }),
        }),
        response: {
          200: z.object({
            institution: z.object({ id: z.uuid(), code: z.string(), name: z.string() }),
            from: z.string(),
            to: z.string(),
            opening_balance_ore: int,
            movements: z.array(
              z.object({
                seq: int,
                posted_on: z.string(),
                kind: z.string(),
                fund_id: z.uuid().nullable(),
                award_id: z.uuid().nullable(),
                memo: z.string().nullable(),
                amount_ore: int,
                explanation: z.unknown(),
              }),
            ),
            closing_balance_ore: int,
          }),
        },
      },
    },
    async (req) => {
      const s = await ctx.services.reports.statement(principalOf(req), req.params.id, { from: req.query.from, to: req.query.to });
      return {
        ...s,
        opening_balance_ore: oreOut(s.opening_balance_ore),
        closing_balance_ore: oreOut(s.closing_balance_ore),
        movements: s.movements.map((m) => ({ ...m, seq: oreOut(m.seq), amount_ore: oreOut(m.amount_ore) })),
      };
    },
  );

  app.get(
    '/children/:id/passport',
    {
      config: { roles: ['admin', 'auditor'] },
      schema: {
        tags: ['children'],
        summary: "A child's passport: enrolments, measurements and awards",
        params: idParams,
        response: {
          200: z.object({
            child: z.object({ id: z.uuid(), external_ref: z.string().nullable(), birth_date: z.string(), attributes: z.record(z.string(), z.unknown()) }),
            enrolments: z.array(
              z.object({
                id: z.uuid(),
                institution_id: z.uuid(),
                institution_code: z.string(),
                institution_kind: z.string(),
                start: z.string(),
                end: z.string().nullable(),
              }),
            ),
            measurements: z.array(measurementSchema),
            awards: z.array(awardSchema),
          }),
        },
      },
    },
    async (req, reply) => sendJsonText(reply, await ctx.services.reports.passportJson(req.params.id)),
  );
}
