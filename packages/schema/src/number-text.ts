/**
 * Strict number grammars, as Rust's `str::parse` reads them (no whitespace, no hex, no `_`).
 * `Number(s)` alone accepts "", " 1 ", "0x10" and "Infinity", which O2 would refuse.
 */

/** `[+-]?[0-9]+` (or `[+]?[0-9]+` when `unsigned`). */
export function isIntegerText(s: string, unsigned = false): boolean {
  const n = s.length;
  let i = 0;
  const c0 = s.charCodeAt(0);
  if (c0 === 43 || (!unsigned && c0 === 45)) i = 1;
  if (i === n) return false;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** A finite decimal: `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`. */
export function isDecimalText(s: string): boolean {
  const n = s.length;
  let i = 0;
  let c = s.charCodeAt(0);
  if (c === 43 || c === 45) i++;
  let digits = 0;
  while (i < n && (c = s.charCodeAt(i)) >= 48 && c <= 57) {
    i++;
    digits++;
  }
  if (i < n && s.charCodeAt(i) === 46) {
    i++;
    while (i < n && (c = s.charCodeAt(i)) >= 48 && c <= 57) {
      i++;
      digits++;
    }
  }
  if (digits === 0) return false;
  if (i < n && ((c = s.charCodeAt(i)) === 101 || c === 69)) {
    i++;
    if (i < n && ((c = s.charCodeAt(i)) === 43 || c === 45)) i++;
    let exp = 0;
    while (i < n && (c = s.charCodeAt(i)) >= 48 && c <= 57) {
      i++;
      exp++;
    }
    if (exp === 0) return false;
  }
  return i === n;
}

export const I64_MIN = -(2n ** 63n);
export const I64_MAX = 2n ** 63n - 1n;
export const U64_MAX = 2n ** 64n - 1n;
const SAFE_DIGITS = 15;

/**
 * Parses integer text that passed `isIntegerText`: a number while it is exact, else a bigint.
 * Returns undefined outside i64 (or u64 when `unsigned`).
 */
export function parseIntegerText(s: string, unsigned = false): number | bigint | undefined {
  if (!isIntegerText(s, unsigned)) return undefined;
  const signed = s.charCodeAt(0) === 43 || s.charCodeAt(0) === 45;
  if (s.length - (signed ? 1 : 0) <= SAFE_DIGITS) {
    const v = Number(s);
    return v === 0 ? 0 : v; // no -0
  }
  const big = BigInt(s);
  if (unsigned ? big < 0n || big > U64_MAX : big < I64_MIN || big > I64_MAX) return undefined;
  return toNumberIfSafe(big);
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export function toNumberIfSafe(big: bigint): number | bigint {
  return big >= MIN_SAFE && big <= MAX_SAFE ? Number(big) : big;
}
