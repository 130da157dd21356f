import { addMonths, fromDayNumber, toDayNumber } from '../settlement/dates.js';

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
 *    tests in March of grades 2, 4, 6 and 8, kontanthjælp status on the 18th–21st birthdays.
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

export interface SeedChild {
  external_ref: string;
  birth_date: string;
  attributes: { restgruppe_origin: boolean };
}

export interface SeedEnrolment {
  child_ref: string;
  institution: string;
  start: string;
  end: string | null;
}

export interface SeedMeasurement {
  child_ref: string;
  kind: 'sprogvurdering' | 'national_test.reading' | 'kontanthjaelp';
  period: string;
  value: string | number | boolean;
  measured_on: string;
  source: string;
}

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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

export interface PersonRecords {
  child: SeedChild;
  enrolments: SeedEnrolment[];
  measurements: SeedMeasurement[];
}

/** Yields one child at a time with its enrolments and measurements (constant memory). */
export function* population(opts: { children: number; seed: number; today: string }): Generator<PersonRecords> {
  const rand = prng(opts.seed);
  const counts = Object.fromEntries(
    (Object.keys(PER_THOUSAND) as Kind[]).map((k) => [k, Math.max(1, Math.round((opts.children * PER_THOUSAND[k]) / 1000))]),
  ) as Record<Kind, number>;
  const today = toDayNumber(opts.today);
  const oldest = today - Math.round(22 * 365.25);
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
    const measurements: SeedMeasurement[] = [];

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
    if (rand() < 0.85) enrol('ungdomsuddannelse', `${year + 16}-08-15`, rand() < 0.1 ? `${year + 17}-06-25` : `${year + 19}-06-25`, 0);

    const measure = (kind: SeedMeasurement['kind'], period: string, on: string, value: SeedMeasurement['value']) => {
      if (toDayNumber(on) <= today) measurements.push({ child_ref: ref, kind, period, value, measured_on: on, source: 'seed' });
    };
    const r = rand();
    const good = restgruppe ? 0.6 : 0.7;
    measure('sprogvurdering', 'age-3', addMonths(birth, 37), r < good ? 'generel' : r < good + 0.2 ? 'fokuseret' : 'saerlig');
    for (const grade of [2, 4, 6, 8]) {
      // Roughly normal scores around 55 (sum of three uniforms), clipped to the scale 1–100.
      const score = Math.min(100, Math.max(1, Math.round(55 + (rand() + rand() + rand() - 1.5) * 36 - (restgruppe ? 5 : 0))));
      measure('national_test.reading', `grade-${grade}`, `${year + 7 + grade}-03-15`, score);
    }
    for (const age of [18, 19, 20, 21]) {
      measure('kontanthjaelp', `age-${age}`, addMonths(birth, 12 * age), rand() < (restgruppe ? 0.12 : 0.08));
    }

    yield { child: { external_ref: ref, birth_date: birth, attributes: { restgruppe_origin: restgruppe } }, enrolments, measurements };
  }
}
