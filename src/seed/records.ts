/**
 * The records the synthetic population yields (src/seed/population.ts) and its random streams.
 * Pure: no I/O.
 */

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

/** The kinds the population measures (the first three in both modes; the rest only for the rule templates). */
export type SeedKind =
  | 'sprogvurdering'
  | 'national_test.reading'
  | 'kontanthjaelp'
  | 'national_test.adaptive.reading'
  | 'national_test.transition.reading'
  | 'national_test.skills.reading'
  | 'foraeldredeltagelse'
  | 'elevfremmoede'
  | 'exam.folkeskole_average'
  | 'youth_education.admission';

export interface SeedMeasurement {
  child_ref: string;
  kind: SeedKind;
  period: string;
  value: string | number | boolean;
  measured_on: string;
  source: string;
}

export interface PersonRecords {
  child: SeedChild;
  enrolments: SeedEnrolment[];
  measurements: SeedMeasurement[];
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

/**
 * The seed of child `index`'s own stream for population seed `seed` (murmur3's 32-bit finaliser
 * over both): a child's extra draws depend on nothing but these two numbers, so they never shift
 * the population's main stream, and how many a child makes never shifts another child's.
 */
export function childStreamSeed(seed: number, index: number): number {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca77) ^ 0x5eed12) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
