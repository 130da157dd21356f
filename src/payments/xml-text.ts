/**
 * Text as an ISO 20022 element can carry it. XML 1.0 cannot hold most C0 control characters,
 * U+FFFE/U+FFFF or lone surrogates at all (escaping does not help), and the schemas limit
 * lengths in characters: such characters become a space, runs of white space one space, and
 * the text is cut at `max` characters (code points, as XSD counts them). Escaping of `<`, `&`
 * and quotes is the XML builder's job, not this function's.
 */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A numeric character reference's code point is a character XML 1.0 allows. */
function allowedCodePoint(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/**
 * Well-formedness rules of XML 1.0 that a lenient parser lets through: characters XML cannot
 * hold, references to entities never declared (only the five predefined exist here, as DTDs
 * are refused), references to characters XML cannot hold, and `]]>` outside a CDATA section.
 * Returns what is wrong, or null.
 */
export function xmlWellFormednessProblem(xml: string): string | null {
  if (new RegExp(NOT_XML.source).test(xml)) return 'contains a character XML does not allow';
  const outsideCdata = xml.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '');
  if (outsideCdata.includes(']]>')) return 'contains "]]>" outside a CDATA section';
  for (const m of outsideCdata.matchAll(/&([^;\s<&]*);/g)) {
    const ref = m[1]!;
    if (['amp', 'lt', 'gt', 'quot', 'apos'].includes(ref)) continue;
    const num = /^#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}))$/.exec(ref);
    if (!num) return `refers to an undeclared entity &${ref.slice(0, 40)};`;
    if (!allowedCodePoint(num[1] ? parseInt(num[1], 16) : Number(num[2]))) return `refers to a character XML does not allow (&${ref};)`;
  }
  return null;
}

export function xmlText(value: string, max: number): string {
  const clean = value.replace(NOT_XML, ' ').replace(/\s+/gu, ' ').trim();
  const chars = [...clean];
  return chars.length > max ? chars.slice(0, max).join('').trimEnd() : clean;
}

/** An identifier in a Max35Text element that banks and statements echo back: printable ASCII, no spaces at the ends. */
export function isBankReference(value: string): boolean {
  return /^[A-Za-z0-9/\-?:().,'+]([A-Za-z0-9/\-?:().,'+ ]{0,33}[A-Za-z0-9/\-?:().,'+])?$/.test(value);
}
