/**
 * When a template requirement can have been measured for a child, read from the catalogue alone
 * (not from the seed's generator): the tests of the template-mode population use it as their
 * oracle (docs/SEED.md, "What the templates can pay today").
 *
 * The requirement's period is taken for a child on the standard pathway (no early or late start:
 * `early_years` = `late_years` = 0) and cut by the kind's and the period's validity dates:
 *  - `never`     — the standard range lies wholly outside the validity dates (e.g. the færdighedstest
 *                  of a grade whose school year was under an earlier test regime): it cannot happen;
 *  - `not_yet`   — the range is valid and has not ended by `today`: it may still come;
 *  - `due`       — the range is valid and ended by `today`: the measurement must have happened;
 *  - `uncertain` — the range straddles a validity date: either way is right.
 */
import { catalogueKind } from '../../src/catalogue/indicators.js';
import { periodSpecOf } from '../../src/catalogue/retained-share.js';
import { periodRange } from '../../src/domain/periods.js';

export type Due = 'due' | 'not_yet' | 'never' | 'uncertain';

export function requirementDue(req: { kind: string; period: string }, birthDate: string, today: string): Due {
  const kind = catalogueKind(req.kind);
  if (!kind) throw new Error(`${req.kind} is not in the catalogue`);
  const spec = { ...periodSpecOf(kind, req.period), early_years: 0, late_years: 0 };
  const range = periodRange(spec, birthDate);
  const froms = [kind.valid_from, spec.valid_from ?? undefined].filter((d): d is string => !!d);
  const tos = [kind.valid_to, spec.valid_to ?? undefined].filter((d): d is string => !!d);
  const from = froms.sort().at(-1);
  const to = tos.sort().at(0);
  if ((from && range.end <= from) || (to && range.start >= to)) return 'never';
  if ((from && range.start < from) || (to && range.end > to)) return 'uncertain';
  return range.end <= today ? 'due' : 'not_yet';
}
