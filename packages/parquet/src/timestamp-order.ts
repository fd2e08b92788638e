/**
 * The permutation that orders `ts` descending, ties kept in input order. When the span of
 * timestamps times the row count fits in 2^53 (always true for an hour partition: 3.6e9 µs ×
 * 2.5e6 rows), each row becomes one float key `(max - ts) * n + i` sorted natively, which is
 * several times faster than a comparator sort; otherwise it falls back to the comparator.
 */
export function timestampDescPermutation(ts: Float64Array, min: number, max: number): Uint32Array {
  const n = ts.length;
  const perm = new Uint32Array(n);
  if ((max - min + 1) * n < Number.MAX_SAFE_INTEGER) {
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = (max - ts[i]!) * n + i;
    keys.sort();
    for (let i = 0; i < n; i++) perm[i] = keys[i]! % n;
    return perm;
  }
  for (let i = 0; i < n; i++) perm[i] = i;
  return perm.sort((a, b) => ts[b]! - ts[a]! || a - b);
}

/** The permutation that reverses `n` rows (input sorted ascending). */
export function reversePermutation(n: number): Uint32Array {
  const perm = new Uint32Array(n);
  for (let i = 0; i < n; i++) perm[i] = n - 1 - i;
  return perm;
}
