/**
 * Text as an ISO 20022 element can carry it. XML 1.0 cannot hold most C0 control characters,
 * U+FFFE/U+FFFF or lone surrogates at all (escaping does not help), and the schemas limit
 * lengths in characters: such characters become a space, runs of white space one space, and
 * the text is cut at `max` characters (code points, as XSD counts them). Escaping of `<`, `&`
 * and quotes is the XML builder's job, not this function's.
 */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function xmlText(value: string, max: number): string {
  const clean = value.replace(NOT_XML, ' ').replace(/\s+/gu, ' ').trim();
  const chars = [...clean];
  return chars.length > max ? chars.slice(0, max).join('').trimEnd() : clean;
}

/** An identifier in a Max35Text element that banks and statements echo back: printable ASCII, no spaces at the ends. */
export function isBankReference(value: string): boolean {
  return /^[A-Za-z0-9/\-?:().,'+]([A-Za-z0-9/\-?:().,'+ ]{0,33}[A-Za-z0-9/\-?:().,'+])?$/.test(value);
}
