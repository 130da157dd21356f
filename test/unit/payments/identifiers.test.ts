import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkAccountNo,
  checkBic,
  checkCvr,
  checkEan,
  checkIban,
  checkRegNo,
  danishBban,
  gs1CheckDigit,
  ibanMod97,
} from '../../../src/payments/identifiers.js';

const valid = (r: { ok: boolean }) => r.ok;

describe('CVR: 8 digits, modulus 11 with weights 2,7,6,5,4,3,2,1', () => {
  it('accepts real CVR numbers and refuses one digit off', () => {
    for (const cvr of ['61126228', '24256790', '29403473', '10103940']) expect(checkCvr(cvr)).toEqual({ ok: true, value: cvr });
    expect(checkCvr('61126229')).toEqual({ ok: false, message: 'fails the CVR modulus-11 check' });
  });
  it('refuses wrong shapes', () => {
    for (const bad of ['6112622', '611262280', '6112622a', ' 61126228', '', '01234567', '６１１２６２２８']) expect(valid(checkCvr(bad))).toBe(false);
  });
  it('property: accepted ⇔ weighted sum divisible by 11 (for 8-digit strings not starting with 0)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 8, maxLength: 8 }).filter((d) => d[0] !== 0),
        (digits) => {
          const sum = digits.reduce((s, d, i) => s + d * [2, 7, 6, 5, 4, 3, 2, 1][i]!, 0);
          expect(checkCvr(digits.join('')).ok).toBe(sum % 11 === 0);
        },
      ),
    );
  });
  it('every single-digit change of a valid CVR is caught', () => {
    const cvr = '61126228';
    for (let i = 0; i < 8; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === cvr[i] || (i === 0 && d === 0)) continue;
        expect(checkCvr(cvr.slice(0, i) + d + cvr.slice(i + 1)).ok, `${i}:${d}`).toBe(false);
      }
    }
  });
});

describe('EAN / GLN: 13 digits with the GS1 check digit', () => {
  it('accepts known numbers and computes their check digit', () => {
    expect(checkEan('4006381333931').ok).toBe(true);
    expect(gs1CheckDigit('400638133393')).toBe(1);
    expect(checkEan('4006381333932')).toEqual({ ok: false, message: 'fails the GS1 check digit' });
  });
  it('property: the body with its computed check digit is accepted, any other last digit refused', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{12}$/), fc.integer({ min: 0, max: 9 }), (body, d) => {
        expect(checkEan(body + d).ok).toBe(d === gs1CheckDigit(body));
      }),
    );
  });
  it('refuses wrong lengths and non-digits', () => {
    for (const bad of ['400638133393', '40063813339311', '400638133393x', '']) expect(valid(checkEan(bad))).toBe(false);
  });
});

describe('IBAN: ISO 13616, mod 97', () => {
  it('accepts registry examples, in paper form too', () => {
    for (const iban of [
      'DK5000400440116243',
      'GB82WEST12345698765432',
      'DE89370400440532013000',
      'NO9386011117947',
      'SE4550000000058398257466',
      'FI2112345600000785',
      'NL91ABNA0417164300',
      'FR1420041010050500013M02606',
    ]) {
      expect(checkIban(iban)).toEqual({ ok: true, value: iban });
    }
    expect(checkIban('dk50 0040 0440 1162 43')).toEqual({ ok: true, value: 'DK5000400440116243' });
  });
  it('refuses a changed digit, a wrong length, an unknown country', () => {
    expect(checkIban('DK5000400440116244')).toEqual({ ok: false, message: 'fails the IBAN mod-97 check' });
    expect(checkIban('DK500040044011624')).toEqual({ ok: false, message: 'a DK IBAN has 18 characters' });
    expect(checkIban('ZZ5000400440116243')).toEqual({ ok: false, message: 'ZZ is not a country in the IBAN registry' });
    expect(valid(checkIban('DK50-0040-0440-1162-43'))).toBe(false);
  });
  it('property: mod 97 catches every single-character substitution and adjacent transposition in a Danish IBAN', () => {
    const base = 'DK5000400440116243';
    fc.assert(
      fc.property(fc.integer({ min: 2, max: base.length - 1 }), fc.integer({ min: 0, max: 9 }), (i, d) => {
        fc.pre(String(d) !== base[i]);
        expect(ibanMod97(base.slice(0, i) + d + base.slice(i + 1))).not.toBe(1);
      }),
    );
    for (let i = 4; i < base.length - 1; i++) {
      if (base[i] === base[i + 1]) continue;
      const swapped = base.slice(0, i) + base[i + 1] + base[i] + base.slice(i + 2);
      expect(ibanMod97(swapped), swapped).not.toBe(1);
    }
  });
});

describe('Danish account and BIC', () => {
  it('registration number: 4 digits, not 0000', () => {
    expect(checkRegNo('1234').ok).toBe(true);
    for (const bad of ['123', '12345', '0000', 'abcd']) expect(valid(checkRegNo(bad))).toBe(false);
  });
  it('account number: 1–10 digits, not all zeros; the BBAN pads it to 10', () => {
    expect(checkAccountNo('567').ok).toBe(true);
    for (const bad of ['', '12345678901', '000', '12 34']) expect(valid(checkAccountNo(bad))).toBe(false);
    expect(danishBban('1234', '567')).toBe('12340000000567');
  });
  it('BIC: 8 or 11 characters', () => {
    for (const bic of ['DABADKKK', 'NDEADKKKXXX']) expect(checkBic(bic).ok).toBe(true);
    for (const bad of ['DABADKK', 'dabadkkk', 'DABADKKKXX', 'DABA1KKK']) expect(valid(checkBic(bad))).toBe(false);
  });
});
