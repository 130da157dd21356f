/**
 * The forecast as the API answers it: JSON with integer øre, and CSV (one row per year and rule,
 * then the year's total) through the project's CSV cells (src/domain/csv.ts).
 */
import { csvNumber, csvText } from '../domain/csv.js';
import { oreOut } from '../domain/money.js';
import type { ForecastReport } from '../services/forecast.js';
import { PRIOR_WEIGHT } from './rates.js';
import { Z90 } from './model.js';

export function forecastJson(r: ForecastReport) {
  const name = (id: string) => r.rule_names.get(id) ?? '';
  return {
    fund_id: r.fund_id,
    as_of: r.as_of,
    horizon_years: r.horizon_years,
    scenario: r.scenario,
    method: {
      interval: `90 %: expected ± ${Z90.toFixed(4)} standard deviations (normal approximation); the variance sums each pending outcome's Bernoulli variance and, per rule and group, the uncertainty of the rate (law of total variance)`,
      prior: `Beta prior with mean = the rule's assumed rate (0.5 unless an administrator set one) and weight ${PRIOR_WEIGHT} awards, updated with the decided awards of the same rule and group`,
      rounding: 'expected øre summed exactly and rounded half to even at the end; lower bounds rounded down, upper bounds up',
    },
    holdings: { available_ore: oreOut(r.available_ore), reserved_ore: oreOut(r.reserved_ore), total_ore: oreOut(r.holdings_ore) },
    committed_ore: oreOut(r.committed_ore),
    runs_out_in: r.runs_out_in,
    runs_out_in_at_upper: r.runs_out_in_at_upper,
    beyond_horizon_ore: oreOut(r.beyond_horizon_ore),
    total: {
      expected_ore: oreOut(r.total.expected_ore),
      lower_ore: oreOut(r.total.lower_ore),
      upper_ore: oreOut(r.total.upper_ore),
      expected_awards: r.total.expected_awards,
      pending_outcomes: r.total.pending_outcomes,
    },
    rules: r.rules.map((x) => ({
      rule_id: x.rule_id,
      rule_name: name(x.rule_id),
      expected_ore: oreOut(x.expected_ore),
      expected_awards: x.expected_awards,
      pending_outcomes: x.pending_outcomes,
      beyond_horizon_ore: oreOut(x.beyond_horizon_ore),
    })),
    rates: r.rates.map((x) => ({ ...x, rule_name: name(x.rule_id) })),
    not_forecast: r.not_forecast.map((x) => ({ ...x, rule_name: name(x.rule_id) })),
    years: r.years.map((y) => ({
      year: y.year,
      expected_ore: oreOut(y.expected_ore),
      lower_ore: oreOut(y.lower_ore),
      upper_ore: oreOut(y.upper_ore),
      expected_awards: y.expected_awards,
      pending_outcomes: y.pending_outcomes,
      cumulative_expected_ore: oreOut(y.cumulative_expected_ore),
      cumulative_upper_ore: oreOut(y.cumulative_upper_ore),
      holdings_left_ore: oreOut(y.holdings_left_ore),
      rules: y.rules.map((x) => ({
        rule_id: x.rule_id,
        expected_ore: oreOut(x.expected_ore),
        lower_ore: oreOut(x.lower_ore),
        upper_ore: oreOut(x.upper_ore),
        expected_awards: x.expected_awards,
        pending_outcomes: x.pending_outcomes,
      })),
    })),
    basis: r.basis,
  };
}

export const FORECAST_CSV_COLUMNS = [
  'year',
  'rule_id',
  'rule_name',
  'expected_ore',
  'lower_ore',
  'upper_ore',
  'expected_awards',
  'pending_outcomes',
  'cumulative_expected_ore',
  'holdings_left_ore',
];

export function forecastCsv(r: ForecastReport): string {
  const lines = [FORECAST_CSV_COLUMNS.join(',')];
  for (const y of r.years) {
    for (const x of y.rules) {
      lines.push(
        [
          csvNumber(String(y.year)),
          csvText(x.rule_id),
          csvText(r.rule_names.get(x.rule_id) ?? ''),
          csvNumber(x.expected_ore),
          csvNumber(x.lower_ore),
          csvNumber(x.upper_ore),
          csvNumber(x.expected_awards.toFixed(2)),
          csvNumber(String(x.pending_outcomes)),
          '',
          '',
        ].join(','),
      );
    }
    lines.push(
      [
        csvNumber(String(y.year)),
        csvText('total'),
        csvText('All rules'),
        csvNumber(y.expected_ore),
        csvNumber(y.lower_ore),
        csvNumber(y.upper_ore),
        csvNumber(y.expected_awards.toFixed(2)),
        csvNumber(String(y.pending_outcomes)),
        csvNumber(y.cumulative_expected_ore),
        csvNumber(y.holdings_left_ore),
      ].join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}
