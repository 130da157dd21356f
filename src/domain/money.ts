/** bigint øre → JSON number; throws rather than lose precision outside ±(2^53 − 1). */
export function oreOut(v: bigint | number | string): number {
  const n = typeof v === 'bigint' ? v : BigInt(v);
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError('amount outside the exactly representable range');
  }
  return Number(n);
}
