/** Shortest round-trip digits and decimal exponent of a finite non-zero |x|. */
function digitsOf(x: number): { digits: string; exp: number } {
  const [mantissa, e] = Math.abs(x).toExponential().split('e') as [string, string];
  return { digits: mantissa.replace('.', ''), exp: Number(e) };
}

/**
 * Go's `strconv.FormatFloat(x, 'f', -1, 64)`: shortest round-trip digits, never an exponent.
 * Prometheus uses it for sample values in its HTTP API and for `count_values` labels.
 */
export function formatFloatPlain(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const { digits, exp } = digitsOf(x);
  const sign = x < 0 ? '-' : '';
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return sign + digits + '0'.repeat(exp + 1 - digits.length);
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** Go's `%g` with shortest precision (`1e+06`, `0.0001`, `1.5e-05`), used in messages. */
export function formatFloatG(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const { digits, exp } = digitsOf(x);
  if (exp < -4 || exp >= 6) {
    const sign = x < 0 ? '-' : '';
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const es = exp < 0 ? '-' : '+';
    return `${sign}${mant}e${es}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return formatFloatPlain(x);
}
