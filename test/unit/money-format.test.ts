import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDkk, formatKroner } from '../../src/domain/money.js';

describe('formatKroner (Danish display of integer øre)', () => {
  it('groups thousands with "." and uses the decimal comma', () => {
    expect(formatKroner(123456789n)).toBe('1.234.567,89 kr.');
    expect(formatKroner(0n)).toBe('0,00 kr.');
    expect(formatKroner(5n)).toBe('0,05 kr.');
    expect(formatKroner(100000n)).toBe('1.000,00 kr.');
    expect(formatKroner(-150n)).toBe('-1,50 kr.');
    expect(formatKroner(900719925474099100n)).toBe('9.007.199.254.740.991,00 kr.');
  });

  it('reads back to the same øre, for any amount (no float involved)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), (ore) => {
        const text = formatKroner(ore);
        expect(text).toMatch(/^-?\d{1,3}(\.\d{3})*,\d{2} kr\.$/);
        expect(BigInt(text.replace(/[.\s]|kr\.?/g, '').replace(',', ''))).toBe(ore);
        expect(text.replace(/\./g, '').replace(',', '.').replace(' kr', '')).toBe(formatDkk(ore));
      }),
    );
  });
});
