/**
 * Neumaier-compensated summation step, as Prometheus uses for sums, averages and regressions so
 * that results match its output to the last digit the tests check. Returns [sum, compensation].
 */
export function kahanSumInc(inc: number, sum: number, c: number): [number, number] {
  const t = sum + inc;
  if (!Number.isFinite(t) && !Number.isNaN(t)) return [t, 0];
  if (Math.abs(sum) >= Math.abs(inc)) return [t, c + (sum - t + inc)];
  return [t, c + (inc - t + sum)];
}

/** Sorts ascending with NaN first, like Go's sort.Float64s. */
export function sortFloats(values: Float64Array | number[]): number[] {
  return Array.from(values).sort((a, b) => {
    if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
    if (Number.isNaN(b)) return 1;
    return a - b;
  });
}

/** Prometheus's quantile over sorted-by-value samples, with linear interpolation. */
export function quantileOf(q: number, values: Float64Array | number[]): number {
  if (values.length === 0 || Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const sorted = sortFloats(values);
  const n = sorted.length;
  const rank = q * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return sorted[lower]! * (1 - weight) + sorted[upper]! * weight;
}
