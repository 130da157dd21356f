/**
 * CSV cells for files a person may open in a spreadsheet (RFC 4180, and OWASP's CSV injection
 * guidance). A text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return would
 * be read as a formula (`=HYPERLINK(…)`, `@SUM(…)`, `-2+3`): it is written with a leading `'`,
 * which spreadsheets take as "this is text", so the cell shows what was stored and runs nothing.
 * A number cell is written as the number it is: `-1500` is a signed amount, not a formula.
 * Every CSV the service writes goes through these two (or, for the ledger export PostgreSQL
 * writes itself, through their SQL twin in `repositories/exports.ts`, held equal by a test).
 */

/** The first characters that make a spreadsheet evaluate a cell. */
export const FORMULA_START = /^[=+\-@\t\r]/;

/** Quotes a cell holding a comma, a quote or a line break (RFC 4180). */
function quoted(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** A text cell: neutralised when it would start a formula, then quoted as RFC 4180 needs. */
export function csvText(value: string): string {
  return quoted(FORMULA_START.test(value) ? `'${value}` : value);
}

const NUMBER = /^-?\d+(\.\d+)?$/;

/** A number cell (integer øre, or a decimal DKK amount): written as is. Anything else is a bug. */
export function csvNumber(value: bigint | string): string {
  const text = String(value);
  if (!NUMBER.test(text)) throw new TypeError('csvNumber: not a decimal number');
  return text;
}
