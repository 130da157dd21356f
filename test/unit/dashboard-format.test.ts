import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { helpersFor } from '../../src/dashboard/format.js';
import { businessDate } from '../../src/services/business-date.js';

const copenhagen = helpersFor('Europe/Copenhagen');

describe('dashboard helpers: instants on the business clock', () => {
  it('shows an instant late in the UTC evening as the next day in Copenhagen (winter, UTC+1)', () => {
    expect(copenhagen.date(new Date('2026-12-05T23:30:00Z'))).toBe('2026-12-06');
    expect(copenhagen.instant(new Date('2026-12-05T23:30:00Z'))).toBe('2026-12-06 00:30');
    expect(copenhagen.date('2026-12-05T22:59:59.999Z')).toBe('2026-12-05');
  });

  it('follows summer time (UTC+2): 22:00 UTC is already the next day', () => {
    expect(copenhagen.instant('2026-07-01T22:00:00Z')).toBe('2026-07-02 00:00');
    expect(copenhagen.date('2026-07-01T21:59:00Z')).toBe('2026-07-01');
  });

  it('keeps a plain date as it is (no time zone applies to a calendar date)', () => {
    expect(copenhagen.date('2026-12-31')).toBe('2026-12-31');
    expect(helpersFor('Pacific/Kiritimati').date('2026-12-31')).toBe('2026-12-31');
  });

  it('prints a dash for no value', () => {
    expect(copenhagen.date(null)).toBe('–');
    expect(copenhagen.instant(undefined)).toBe('–');
  });

  it("gives every instant the same date as the service's business date, and a time on the same day", () => {
    const instants = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true });
    fc.assert(
      fc.property(instants, fc.constantFrom('Europe/Copenhagen', 'UTC', 'America/St_Johns', 'Asia/Kathmandu'), (at, zone) => {
        const h = helpersFor(zone);
        expect(h.date(at)).toBe(businessDate(at, zone));
        expect(h.instant(at.toISOString())).toMatch(new RegExp(`^${businessDate(at, zone)} ([01]\\d|2[0-3]):[0-5]\\d$`));
      }),
    );
  });
});
