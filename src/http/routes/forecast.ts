import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import { ForecastRefusal } from '../../forecast/errors.js';
import { forecastCsv, forecastJson } from '../../forecast/present.js';
import { DEFAULT_HORIZON, MAX_HORIZON } from '../../services/forecast.js';
import { OTHER_PIPELINE } from '../../services/pipeline.js';
import { oreOut } from '../../domain/money.js';
import { principalOf } from '../plugins/auth.js';
import { problems } from '../problem.js';
import { sendFile } from '../responses.js';
import { idParams } from '../schemas.js';

/** Service refusals as problem+json. */
export async function refusing<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (!(e instanceof ForecastRefusal)) throw e;
    if (e.kind === 'not_found') throw problems.notFound(e.message.replace(/^No such (\w+)\.$/, 'The $1'));
    if (e.kind === 'forbidden') throw problems.forbidden(e.message);
    throw problems.invalid(e.field ?? 'query', e.message);
  }
}

const ore = z.number().int();
const figures = {
  expected_ore: ore.meta({ description: 'Expected payout (øre): Σ amount × rate × expected share of the windows' }),
  lower_ore: ore.meta({ description: 'Lower bound of the 90 % interval (øre, rounded down, not below 0)' }),
  upper_ore: ore.meta({ description: 'Upper bound of the 90 % interval (øre, rounded up)' }),
  expected_awards: z.number().meta({ description: 'Expected number of earned awards (2 decimals)' }),
  pending_outcomes: z.number().int().meta({ description: 'Pending outcomes (child × award of a rule not yet decided) expected to become payable then' }),
};
const forecastSchema = z
  .object({
    fund_id: z.uuid(),
    as_of: z.string(),
    horizon_years: z.number().int(),
    scenario: z.string().nullable(),
    method: z.object({ interval: z.string(), prior: z.string(), rounding: z.string() }),
    holdings: z.object({ available_ore: ore, reserved_ore: ore, total_ore: ore }),
    committed_ore: ore.meta({ description: 'Payouts of decided awards not yet payable (awaiting funds, provisional, held): owed before any pending outcome' }),
    runs_out_in: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'First year in which committed + cumulative expected payouts exceed the holdings (null: not within the horizon)' }),
    runs_out_in_at_upper: z.number().int().nullable().meta({ description: 'The same with the upper bound of the cumulative payouts' }),
    beyond_horizon_ore: ore,
    total: z.object(figures).meta({ description: 'Over the whole horizon (its interval from the variance of the sum)' }),
    rules: z.array(
      z.object({
        rule_id: z.uuid(),
        rule_name: z.string(),
        expected_ore: ore,
        expected_awards: z.number(),
        pending_outcomes: z.number().int(),
        beyond_horizon_ore: ore,
      }),
    ),
    rates: z.array(
      z.object({
        rule_id: z.uuid(),
        rule_name: z.string(),
        group: z.enum(['restgruppe', 'other']),
        decided: z.number().int(),
        earned: z.number().int(),
        assumed_rate: z.string(),
        assumed_rate_set: z.boolean(),
        prior_weight: z.number().int(),
        posterior_rate: z.string(),
        rate: z.string(),
        rate_sd: z.number(),
      }),
    ),
    not_forecast: z.array(z.object({ rule_id: z.uuid(), rule_name: z.string(), reason: z.string() })),
    years: z.array(
      z.object({
        year: z.number().int(),
        ...figures,
        cumulative_expected_ore: ore,
        cumulative_upper_ore: ore,
        holdings_left_ore: ore,
        rules: z.array(z.object({ rule_id: z.uuid(), ...figures })),
      }),
    ),
    basis: z.object({ computed_at: z.string(), inputs_seq: z.string(), cohorts: z.number().int() }),
  })
  .meta({ id: 'LiabilityForecast' });

/** CSV when asked by `?format=csv`, or by an Accept header naming text/csv and not JSON. */
const wantsCsv = (format: 'json' | 'csv' | undefined, accept: string | undefined) =>
  format === 'csv' || (format === undefined && /\btext\/csv\b/.test(accept ?? '') && !/application\/json/.test(accept ?? ''));

const pipelineSchema = z
  .object({
    institution_id: z.uuid(),
    as_of: z.string(),
    items: z.array(
      z.object({
        child_id: z.uuid().meta({ description: 'The internal child id (never a CPR or its HMAC)' }),
        rule_id: z.uuid(),
        period: z.string().nullable(),
        expected_measured_on: z.string().meta({ description: "When the last requirement is typically measured (the catalogue's age)" }),
        expected_payable_on: z.string().meta({ description: 'expected_measured_on + the review window (today when that has passed)' }),
        share: z.string().meta({
          description:
            "The institution's share of the amount: its days in the windows before the measurement, an ongoing enrolment as if the child stays (6 decimals)",
        }),
        rate: z.string().meta({ description: "The forecast's earn rate for the rule and the child's group (4 decimals)" }),
        if_earned_ore: ore.meta({ description: 'What the institution would receive if earned (øre, rounded half to even)' }),
        expected_ore: ore.meta({ description: 'if_earned × rate (øre, rounded half to even)' }),
      }),
    ),
    rules: z.array(z.object({ rule_id: z.uuid(), rule_name: z.string(), fund_id: z.uuid(), pending: z.number().int(), if_earned_ore: ore, expected_ore: ore })),
  })
  .meta({ id: 'InstitutionPipeline' });

export const forecastRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/funds/:id/forecast',
    {
      config: {
        roles: ['admin', 'auditor'],
        problems: {
          404: [{ message: 'The fund was not found.' }],
          422: [{ field: 'query.scenario', message: 'unknown rule, a rate outside 0–1 or a shift outside ±100 points' }],
        },
      },
      schema: {
        tags: ['funds'],
        summary: 'Liability forecast: expected payouts per calendar year with a 90 % interval, per rule and in total, against the holdings',
        description:
          "Every registered child × every award of a rule not yet decided for it, dated by the catalogue's typical measurement age of the " +
          'last requirement plus the review window, weighted by the earn rate of the rule and group (restgruppe origin or not; Beta prior) and ' +
          "by the share of the windows the child's enrolments attribute (days ahead at the rate past days were attributed). docs/FORECAST.md. " +
          'CSV with `?format=csv` or `Accept: text/csv`. `scenario`: comma-separated `[rule id:]rate` (0–1, replaces the rate) or ' +
          '`[rule id:]+points` / `-points` (shifts it), e.g. `+5`.',
        params: idParams,
        querystring: z.strictObject({
          horizon: z.coerce
            .number()
            .int()
            .min(1)
            .max(MAX_HORIZON)
            .default(DEFAULT_HORIZON)
            .meta({ description: `Calendar years ahead, from this one (1–${MAX_HORIZON})` }),
          scenario: z.string().max(2000).optional(),
          format: z.enum(['json', 'csv']).optional(),
        }),
        produces: ['text/csv'],
        response: { 200: forecastSchema },
      },
    },
    async (req, reply) => {
      const r = await refusing(() => ctx.services.forecast.forecast(req.params.id, { horizon: req.query.horizon, scenario: req.query.scenario }));
      if (wantsCsv(req.query.format, req.headers.accept)) {
        return sendFile(reply, 'text/csv; charset=utf-8', `forecast-${r.fund_id}-${r.as_of}.csv`, forecastCsv(r), { 'cache-control': 'no-store' });
      }
      return forecastJson(r);
    },
  );

  app.put(
    '/rules/:id/assumed-rate',
    {
      config: {
        roles: ['admin'],
        problems: { 404: [{ message: 'The rule was not found.' }], 422: [{ field: 'body.rate', message: 'must be a decimal from 0 to 1' }] },
      },
      schema: {
        tags: ['rules'],
        summary: "Sets (or, with null, clears) the rule's assumed earn rate: the mean of the forecast's prior before awards are decided",
        params: idParams,
        body: z.strictObject({
          rate: z.string().max(10).nullable().meta({ description: 'Decimal 0–1 with at most 4 places, e.g. "0.45"; null clears it (the default 0.5 applies)' }),
          note: z.string().max(500).nullable().optional(),
        }),
        response: { 200: z.object({ rule_id: z.uuid(), rate: z.string().nullable() }) },
      },
    },
    async (req) => refusing(() => ctx.services.forecast.setAssumedRate(principalOf(req), req.params.id, req.body)),
  );
};

/** The institution's pipeline (issue 13 item 3). */
export const pipelineRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/institutions/:id/pipeline',
    {
      config: {
        roles: ['admin', 'auditor', 'institution'],
        problems: { 403: [{ message: OTHER_PIPELINE }], 404: [{ message: 'The institution was not found.' }] },
      },
      schema: {
        tags: ['institutions'],
        summary:
          "The institution's pipeline: its former children with awards still pending per rule that pays its kind, the bonus if earned, the expected bonus and when",
        params: idParams,
        response: { 200: pipelineSchema },
      },
    },
    async (req) => {
      const p = await refusing(() => ctx.services.pipeline.pipeline(principalOf(req), req.params.id));
      return {
        ...p,
        items: p.items.map((i) => ({ ...i, if_earned_ore: oreOut(i.if_earned_ore), expected_ore: oreOut(i.expected_ore) })),
        rules: p.rules.map((r) => ({ ...r, if_earned_ore: oreOut(r.if_earned_ore), expected_ore: oreOut(r.expected_ore) })),
      };
    },
  );
};
