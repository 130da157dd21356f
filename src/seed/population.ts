import { addMonths, fromDayNumber, toDayNumber } from '../settlement/dates.js';
import { templateIndicators } from './indicators.js';
import { childStreamSeed, prng, type PersonRecords, type SeedEnrolment, type SeedMeasurement } from './records.js';

export { prng, type PersonRecords, type SeedChild, type SeedEnrolment, type SeedMeasurement } from './records.js';

/**
 * A synthetic Danish population, deterministic for a given seed. Pure: it only yields
 * records; the seed command stores them through the same services as the API.
 *
 * Life course (documented in docs/SEED.md):
 *  - day care from 9–12 months: dagpleje (35 %) or vuggestue (65 %), until 3 years;
 *  - børnehave from 3 years until 1 August of the year the child turns 6;
 *  - skole from 10 August of the year it turns 6 to 25 June of the year it turns 16
 *    (grades 0–9), with SFO alongside in grades 0–3 for 80 %;
 *  - youth education (ungdomsuddannelse) for 85 % from 15 August of the year it turns 16,
 *    three years (10 % of them leave after one);
 *  - 15 % move between institutions of the same kind once in day care, 10 % change school;
 *  - restgruppe origin for 12 % of children;
 *  - sprogvurdering at 3 (period age-3, a month after the third birthday), national reading
 *    tests in March of grades 2, 4, 6 and 8, kontanthjælp status on the 18th–21st birthdays;
 *  - in the template mode (`indicators: 'templates'`) also what the rule templates read
 *    (src/seed/indicators.ts), with the differences PopulationOptions lists.
 * Only what has happened by `today` is produced; enrolments still running end `null`.
 */

export type Kind = 'dagpleje' | 'vuggestue' | 'boernehave' | 'skole' | 'sfo' | 'ungdomsuddannelse';

/** Institutions per 1,000 children (at least one of each). */
const PER_THOUSAND: Record<Kind, number> = { dagpleje: 8, vuggestue: 3, boernehave: 4, skole: 2, sfo: 2, ungdomsuddannelse: 1 };
const PREFIX: Record<Kind, string> = { dagpleje: 'D', vuggestue: 'V', boernehave: 'B', skole: 'S', sfo: 'F', ungdomsuddannelse: 'U' };
const MUNICIPALITIES = ['Odense', 'Greve', 'Aarhus', 'København', 'Aalborg', 'Esbjerg', 'Vejle', 'Holbæk'];
export const RESTGRUPPE_SHARE = 0.12;

export interface SeedInstitution {
  code: string;
  kind: Kind;
  name: string;
  municipality: string;
}

export function institutionsFor(children: number): SeedInstitution[] {
  const out: SeedInstitution[] = [];
  for (const kind of Object.keys(PER_THOUSAND) as Kind[]) {
    const n = Math.max(1, Math.round((children * PER_THOUSAND[kind]) / 1000));
    for (let i = 1; i <= n; i++) {
      const code = `${PREFIX[kind]}-${String(i).padStart(5, '0')}`;
      out.push({ code, kind, name: `${kind} ${i}`, municipality: MUNICIPALITIES[i % MUNICIPALITIES.length]! });
    }
  }
  return out;
}

/** The population's options; `indicators: 'templates'` is the template mode of docs/SEED.md. */
export interface PopulationOptions {
  children: number;
  seed: number;
  today: string;
  /**
   * `templates`: also every indicator the rule templates read (src/seed/indicators.ts, from a
   * stream of each child's own), the national reading tests under the regime in force instead of
   * the period-free `national_test.reading`, kontanthjælp dated at the end of each year of age, and
   * births over the last 23 years (so that one cohort has completed its 21st year). Without it the
   * population is the benchmarks' (unchanged since before the templates existed).
   */
  indicators?: 'templates';
  /** Births uniform over the last `years` years (default 22; 23 in the template mode). */
  years?: number;
}

/** Birth years covered: the benchmarks' population, and the template mode's (one more). */
const YEARS = { base: 22, templates: 23 };

/** Yields one child at a time with its enrolments and measurements (constant memory). */
export function* population(opts: PopulationOptions): Generator<PersonRecords> {
  const rand = prng(opts.seed);
  const templates = opts.indicators === 'templates';
  const counts = Object.fromEntries(
    (Object.keys(PER_THOUSAND) as Kind[]).map((k) => [k, Math.max(1, Math.round((opts.children * PER_THOUSAND[k]) / 1000))]),
  ) as Record<Kind, number>;
  const today = toDayNumber(opts.today);
  const oldest = today - Math.round((opts.years ?? (templates ? YEARS.templates : YEARS.base)) * 365.25);
  const youngest = today - 180;
  const int = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
  const pick = (kind: Kind, area: number) => {
    // Children of one area use nearby institutions: a window of the kind's list.
    const n = counts[kind];
    const idx = (Math.floor((area * n) / 1000) + int(0, 2)) % n;
    return `${PREFIX[kind]}-${String(idx + 1).padStart(5, '0')}`;
  };

  for (let i = 0; i < opts.children; i++) {
    const ref = `C${String(i + 1).padStart(8, '0')}`;
    const birth = fromDayNumber(int(oldest, youngest));
    const year = Number(birth.slice(0, 4));
    const restgruppe = rand() < RESTGRUPPE_SHARE;
    const area = int(0, 999);
    const enrolments: SeedEnrolment[] = [];

    const enrol = (kind: Kind, start: string, end: string, moveChance: number) => {
      if (toDayNumber(start) > today || end <= start) return;
      const spans: Array<[string, string]> = [[start, end]];
      if (rand() < moveChance) {
        const split = fromDayNumber(int(toDayNumber(start) + 30, Math.max(toDayNumber(start) + 31, toDayNumber(end) - 30)));
        if (split > start && split < end) spans.splice(0, 1, [start, split], [split, end]);
      }
      let inst = pick(kind, area);
      for (const [s, e] of spans) {
        if (toDayNumber(s) > today) break;
        enrolments.push({ child_ref: ref, institution: inst, start: s, end: toDayNumber(e) > today ? null : e });
        inst = pick(kind, (area + 37) % 1000);
      }
    };

    const dayCareStart = fromDayNumber(toDayNumber(addMonths(birth, int(9, 12))) + int(0, 27));
    const boernehaveStart = addMonths(birth, 36);
    enrol(rand() < 0.35 ? 'dagpleje' : 'vuggestue', dayCareStart, boernehaveStart, 0.15);
    enrol('boernehave', boernehaveStart, `${year + 6}-08-01`, 0.1);
    enrol('skole', `${year + 6}-08-10`, `${year + 16}-06-25`, 0.1);
    if (rand() < 0.8) enrol('sfo', `${year + 6}-08-10`, `${year + 10}-06-25`, 0);
    // Same draws in the same order as before the template mode existed (the benchmarks' population).
    const youth = rand() < 0.85;
    const leftEarly = youth && rand() < 0.1;
    if (youth) enrol('ungdomsuddannelse', `${year + 16}-08-15`, leftEarly ? `${year + 17}-06-25` : `${year + 19}-06-25`, 0);

    const { measurements, language3 } = mainMeasurements(ref, birth, restgruppe, rand, opts.today, templates);
    if (templates) {
      const child = { ref, birth, restgruppe, language3, inYouthEducation: youth && !leftEarly };
      measurements.push(...templateIndicators(child, prng(childStreamSeed(opts.seed, i)), opts.today));
    }
    yield { child: { external_ref: ref, birth_date: birth, attributes: { restgruppe_origin: restgruppe } }, enrolments, measurements };
  }
}

/**
 * The measurements drawn from the main stream (every draw made whatever the mode, so the stream
 * stays aligned): sprogvurdering at 3, reading in grades 2/4/6/8 (emitted only outside the
 * template mode, which reads the tests of each regime instead), kontanthjælp at 18–21.
 */
function mainMeasurements(ref: string, birth: string, restgruppe: boolean, rand: () => number, todayIso: string, templates: boolean) {
  const today = toDayNumber(todayIso);
  const year = Number(birth.slice(0, 4));
  const measurements: SeedMeasurement[] = [];
  const measure = (kind: SeedMeasurement['kind'], period: string, on: string, value: SeedMeasurement['value']) => {
    if (toDayNumber(on) <= today) measurements.push({ child_ref: ref, kind, period, value, measured_on: on, source: 'seed' });
  };
  const r = rand();
  const good = restgruppe ? 0.6 : 0.7;
  const language3 = r < good ? 'generel' : r < good + 0.2 ? 'fokuseret' : 'saerlig';
  measure('sprogvurdering', 'age-3', addMonths(birth, 37), language3);
  for (const grade of [2, 4, 6, 8]) {
    // Roughly normal scores around 55 (sum of three uniforms), clipped to the scale 1–100.
    const score = Math.min(100, Math.max(1, Math.round(55 + (rand() + rand() + rand() - 1.5) * 36 - (restgruppe ? 5 : 0))));
    if (!templates) measure('national_test.reading', `grade-${grade}`, `${year + 7 + grade}-03-15`, score);
  }
  for (const age of [18, 19, 20, 21]) {
    // The status of the year of age is known when the year is over (template mode); the
    // benchmarks' population dates it on the birthday that starts the year.
    const on = templates ? fromDayNumber(toDayNumber(addMonths(birth, 12 * age + 12)) - 1) : addMonths(birth, 12 * age);
    measure('kontanthjaelp', `age-${age}`, on, rand() < (restgruppe ? 0.12 : 0.08));
  }
  return { measurements, language3 };
}
