/**
 * Pure checks of the numbers that identify a payee and its account. Each returns the
 * normalised value or the reason it is refused (the service names the request field).
 *
 *   CVR   — Danish business register number: 8 digits, modulus 11 with weights 2,7,6,5,4,3,2,1.
 *   EAN   — GS1 location number (GLN / "EAN-lokationsnummer") of a public unit: 13 digits, GS1 check digit.
 *   IBAN  — ISO 13616: country, 2 check digits, BBAN; length per country; mod 97 = 1.
 *   Danish account — registration number (4 digits) + account number (up to 10 digits).
 *   BIC   — ISO 9362, 8 or 11 characters (the pattern of the ISO 20022 schemas).
 */
export type Checked = { ok: true; value: string } | { ok: false; message: string };

const ok = (value: string): Checked => ({ ok: true, value });
const no = (message: string): Checked => ({ ok: false, message });

const CVR_WEIGHTS = [2, 7, 6, 5, 4, 3, 2, 1] as const;

export function checkCvr(input: string): Checked {
  if (!/^[0-9]{8}$/.test(input)) return no('must be 8 digits');
  if (input[0] === '0') return no('cannot start with 0');
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(input[i]) * CVR_WEIGHTS[i]!;
  return sum % 11 === 0 ? ok(input) : no('fails the CVR modulus-11 check');
}

/** The GS1 check digit of the digits before it: weights 3,1,3,1… from the right. */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const fromRight = body.length - 1 - i;
    sum += Number(body[i]) * (fromRight % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

export function checkEan(input: string): Checked {
  if (!/^[0-9]{13}$/.test(input)) return no('must be 13 digits');
  return gs1CheckDigit(input.slice(0, 12)) === Number(input[12]) ? ok(input) : no('fails the GS1 check digit');
}

/**
 * IBAN lengths per country (SWIFT's IBAN registry). A country not listed is refused: a DKK
 * payment to it would need an agreement with the bank first, and an unknown length cannot be
 * checked.
 */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MR: 27,
  MT: 31,
  MU: 30,
  NL: 18,
  NO: 15,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  SA: 24,
  SC: 31,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
};

/** ISO 7064 mod 97-10 of an IBAN (already upper-case alphanumerics): 1 for a valid one. */
export function ibanMod97(iban: string): number {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const digits = code >= 65 && code <= 90 ? String(code - 55) : ch;
    for (const d of digits) rest = (rest * 10 + Number(d)) % 97;
  }
  return rest;
}

/** Accepts the paper form with spaces ("DK50 0040 0440 1162 43"); returns the electronic form. */
export function checkIban(input: string): Checked {
  const iban = input.replace(/ /g, '').toUpperCase();
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$/.test(iban)) return no('must be a country code, 2 check digits and up to 30 letters or digits');
  const length = IBAN_LENGTHS[iban.slice(0, 2)];
  if (length === undefined) return no(`${iban.slice(0, 2)} is not a country in the IBAN registry`);
  if (iban.length !== length) return no(`a ${iban.slice(0, 2)} IBAN has ${length} characters`);
  return ibanMod97(iban) === 1 ? ok(iban) : no('fails the IBAN mod-97 check');
}

export function checkBic(input: string): Checked {
  return /^[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?$/.test(input) ? ok(input) : no('must be a BIC of 8 or 11 characters');
}

export function checkRegNo(input: string): Checked {
  if (!/^[0-9]{4}$/.test(input)) return no('must be 4 digits');
  return input === '0000' ? no('0000 is not a registration number') : ok(input);
}

/** Up to 10 digits; kept without leading zeros' padding (the payment file pads to 10). */
export function checkAccountNo(input: string): Checked {
  if (!/^[0-9]{1,10}$/.test(input)) return no('must be 1 to 10 digits');
  return /^0+$/.test(input) ? no('cannot be all zeros') : ok(input);
}

/** The Danish BBAN a payment file carries: registration number + account number padded to 10. */
export function danishBban(regNo: string, accountNo: string): string {
  return regNo + accountNo.padStart(10, '0');
}
