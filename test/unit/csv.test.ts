import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvNumber, csvText } from '../../src/domain/csv.js';
import { parseCsv } from '../support/csv.js';

describe('CSV cells', () => {
  it.each([
    ['=', '=1+1'],
    ['+', '+1+1'],
    ['-', '-2+3'],
    ['@', '@SUM(A1)'],
    ['a tab', '\t=1+1'],
    ['a carriage return', '\r=1+1'],
  ])('a text cell starting with %s is neutralised with a leading quote', (_what, value) => {
    const written = csvText(value);
    // A cell holding a CR is quoted (RFC 4180); inside the quotes it starts with the `'`.
    expect(written.replace(/^"/, '').startsWith(`'${value[0]}`)).toBe(true);
    expect(parseCsv(`${written}\r\n`)).toEqual([[`'${value}`]]);
  });

  it('any text cell reads back as the text, behind one quote exactly when it would start a formula', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (value) => {
        const [[cell]] = parseCsv(`${csvText(value)}\r\n`) as [[string]];
        expect(cell).toBe(/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
      }),
      { numRuns: 1000 },
    );
  });

  it('text that starts no formula is written as RFC 4180 alone would', () => {
    expect(csvText('V-101')).toBe('V-101');
    expect(csvText("'quoted already")).toBe("'quoted already");
    expect(csvText('a, "b"')).toBe('"a, ""b"""');
    expect(csvText(' =1')).toBe(' =1');
  });

  it('a number cell stays a number, a minus sign included; a non-number is refused', () => {
    expect(csvNumber(-1500n)).toBe('-1500');
    expect(csvNumber('-15.00')).toBe('-15.00');
    expect(csvNumber(0n)).toBe('0');
    for (const bad of ['=1', '1e3', '', '-', '1.', '+1']) expect(() => csvNumber(bad)).toThrow(TypeError);
  });
});
