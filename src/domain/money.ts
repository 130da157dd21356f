/** bigint øre → JSON number; throws rather than lose precision outside ±(2^53 − 1). */
export function oreOut(v: bigint | number | string): number {
  const n = typeof v === 'bigint' ? v : BigInt(v);
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError('amount outside the exactly representable range');
  }
  return Number(n);
}

/** Whole øre as "1234.56" DKK without going through floating point. */
export function formatDkk(ore: bigint): string {
  const sign = ore < 0n ? '-' : '';
  const abs = ore < 0n ? -ore : ore;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/**
 * A decimal amount as written in a bank file ("1234.5", "1234.56", "0.07") → whole øre.
 * Null when it is not a non-negative decimal with at most two significant decimals (a
 * bank statement in DKK never has fractions of an øre; "1.230" is accepted, "1.235" is not).
 */
export function parseDkk(text: string): bigint | null {
  const m = /^([0-9]{1,15})(?:\.([0-9]{1,5}))?$/.exec(text);
  if (!m) return null;
  const decimals = (m[2] ?? '').padEnd(5, '0');
  if (decimals.slice(2) !== '000') return null;
  return BigInt(m[1]!) * 100n + BigInt(decimals.slice(0, 2));
}

/**
 * Whole øre as Danish kroner for people: "1.234.567,89 kr." (thousands separated by ".", the
 * decimal comma, "-" before a negative amount). Integer arithmetic only: no float ever touches
 * the amount.
 */
export function formatKroner(ore: bigint): string {
  const sign = ore < 0n ? '-' : '';
  const abs = ore < 0n ? -ore : ore;
  const kroner = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${sign}${kroner},${(abs % 100n).toString().padStart(2, '0')} kr.`;
}
