/**
 * Every award figure of the settlement vectors (test/vectors and ../shared/vectors; docs/SETTLEMENT.md) that one
 * computeAward call can reproduce: the state of measurements as of each step, the rule version
 * in force on measured_on, and the institutions with their closures and successors.
 * Ledger behaviour (retractions, awaiting_funds, balances) is not the core's and is skipped.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  computeAward,
  evaluatePredicate,
  selectVersion,
  type InstitutionFacts,
  type MeasurementValue,
  type Predicate,
  type RuleVersionSpec,
} from '../../../src/settlement/index.js';
import { payoutsByCode } from './helpers.js';
import { defaultVectorSources, selectVectors } from '../../../src/vectors/sources.js';

interface VectorMeasure {
  child: string;
  kind: string;
  period: string;
  value: MeasurementValue;
  measured_on: string;
}

interface VectorRuleVersion {
  effective_from: string;
  predicate?: Predicate;
  /** A composite rule's version (SETTLEMENT.md §11). */
  predicates?: Record<string, Predicate>;
  amount: RuleVersionSpec['amount'];
  multipliers?: RuleVersionSpec['multipliers'];
  age_basis?: RuleVersionSpec['age_basis'];
  season_start?: string;
  windows: RuleVersionSpec['windows'];
  unattributed?: RuleVersionSpec['unattributed'];
  review_days?: number;
}

interface Vector {
  name: string;
  setup: {
    institutions: Array<{ code: string; kind: string; closed_on?: string; successor?: string }>;
    children: Array<{ ref: string; birth_date: string; attributes?: Record<string, unknown> }>;
    enrolments: Array<{ child: string; institution: string; start: string; end: string | null }>;
    rules: Array<{ ref: string; kind?: string; requires?: Record<string, { kind: string; period: string }>; versions: VectorRuleVersion[] }>;
  };
  steps: Array<{
    actions: Array<{
      measure?: VectorMeasure;
      retract?: { child: string; kind: string; period: string };
      enrol?: { child: string; institution: string; start: string; end: string | null };
    }>;
    expect: {
      awards?: Array<{
        rule: string;
        child: string;
        period: string | null;
        earned: boolean;
        amount_ore: number;
        payouts: Record<string, number>;
        retained_ore: number;
      }>;
    };
  }>;
}

/** The defaults §3 gives to fields a vector leaves out. */
function withDefaults(version: VectorRuleVersion): RuleVersionSpec {
  return {
    effective_from: version.effective_from,
    ...(version.predicate ? { predicate: version.predicate } : {}),
    ...(version.predicates ? { predicates: version.predicates } : {}),
    amount: version.amount,
    multipliers: version.multipliers ?? [],
    age_basis: version.age_basis ?? 'months',
    season_start: version.season_start ?? null,
    windows: version.windows,
    unattributed: version.unattributed ?? 'retain',
    review_days: version.review_days ?? 30,
  };
}

function institutionsOf(vector: Vector): Map<string, InstitutionFacts> {
  // Institution codes double as ids here.
  return new Map(
    vector.setup.institutions.map((item) => [
      item.code,
      { id: item.code, code: item.code, kind: item.kind, closed_on: item.closed_on ?? null, successor_id: item.successor ?? null },
    ]),
  );
}

// The project's test/vectors, and ../shared/vectors when it exists (a file name runs once, shared first).
const vectorFiles = selectVectors(defaultVectorSources()).files.map((f) => f.file);

describe('settlement vectors', () => {
  it('finds the vectors', () => {
    expect(vectorFiles.length).toBeGreaterThanOrEqual(12);
  });

  for (const file of vectorFiles) {
    const vector = JSON.parse(readFileSync(file, 'utf8')) as Vector;

    describe(basename(file), () => {
      const institutions = institutionsOf(vector);
      const enrolments = [...vector.setup.enrolments];
      const measurements = new Map<string, VectorMeasure>();
      const identity = (child: string, kind: string, period: string) => JSON.stringify([child, kind, period]);

      vector.steps.forEach((step, stepIndex) => {
        for (const action of step.actions) {
          if (action.measure) measurements.set(identity(action.measure.child, action.measure.kind, action.measure.period), action.measure);
          if (action.retract) measurements.delete(identity(action.retract.child, action.retract.kind, action.retract.period));
          if (action.enrol) enrolments.push(action.enrol);
        }
        // Freeze this step's state for the (lazily run) test bodies.
        const measured = new Map(measurements);
        const enrolled = [...enrolments];

        for (const expected of step.expect.awards ?? []) {
          const rule = vector.setup.rules.find((candidate) => candidate.ref === expected.rule);
          // A composite rule (§11): every requirement's measurement; the award's date is the latest.
          const used = rule?.requires
            ? Object.entries(rule.requires).map(([name, r]) => [name, measured.get(identity(expected.child, r.kind, r.period))] as const)
            : [[null, rule && measured.get(identity(expected.child, rule.kind!, expected.period!))] as const];
          const complete = used.every(([, m]) => m !== undefined);
          const measurement = complete ? used.map(([, m]) => m!).reduce((a, b) => (b.measured_on > a.measured_on ? b : a)) : undefined;
          if (!rule || !measurement) {
            // A retracted measurement's award is ledger state, not a computation; VECTORS.md
            // fixes how it reads, which is all there is to check here.
            it(`step ${stepIndex + 1}: ${expected.rule} ${expected.child} ${expected.period} (retracted)`, () => {
              expect(rule).toBeDefined();
              expect(expected).toMatchObject({ earned: false, amount_ore: 0, payouts: {}, retained_ore: 0 });
            });
            continue;
          }

          it(`step ${stepIndex + 1}: ${expected.rule} ${expected.child} ${expected.period}`, () => {
            const child = vector.setup.children.find((candidate) => candidate.ref === expected.child);
            expect(child).toBeDefined();
            const versions = rule.versions.map(withDefaults);
            const selected = selectVersion(versions, measurement.measured_on);
            expect(selected).not.toBeNull();
            const held = selected?.predicates ? used.every(([name, m]) => evaluatePredicate(selected.predicates![name!]!, m!.value)) : undefined;

            const result = computeAward(
              {
                version: selected as RuleVersionSpec,
                measurement: { value: measurement.value, measured_on: measurement.measured_on },
                child: { birth_date: child?.birth_date ?? '', attributes: child?.attributes ?? {} },
                enrolments: enrolled
                  .filter((item) => item.child === expected.child)
                  .map((item) => ({ institution_id: item.institution, start: item.start, end: item.end })),
                institutions,
              },
              held,
            );

            expect({
              earned: result.earned,
              amount_ore: Number(result.amount_ore),
              payouts: payoutsByCode(result.payouts),
              retained_ore: Number(result.retained_ore),
            }).toEqual({
              earned: expected.earned,
              amount_ore: expected.amount_ore,
              payouts: expected.payouts,
              retained_ore: expected.retained_ore,
            });
            // The explanation must agree with the result and stay JSON.
            const explanation = JSON.parse(JSON.stringify(result.explanation)) as typeof result.explanation;
            expect(explanation.amount_ore).toBe(expected.amount_ore);
            expect(explanation.retained.amount_ore).toBe(expected.retained_ore);
          });
        }
      });
    });
  }
});
