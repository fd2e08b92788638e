/**
 * The order that sorts `times` ascending, or `undefined` when they already are. The sample
 * lists come from an unordered SQL `list()` (sorting inside DuckDB cost more than the whole
 * rest of a query), and they arrive as runs that are each in order — one per file or row
 * group a scan thread read — so the runs are put in order by their first time and joined in
 * linear time; only when runs overlap (the same times in two files) is every index sorted.
 * Equal times keep their relative order.
 */
export function timeOrder(times: Float64Array): Uint32Array | undefined {
  const n = times.length;
  const starts: number[] = [0];
  for (let i = 1; i < n; i++) if (times[i]! < times[i - 1]!) starts.push(i);
  if (starts.length === 1) return undefined;
  const runs = starts.map((start, r) => ({ start, end: starts[r + 1] ?? n }));
  runs.sort((a, b) => times[a.start]! - times[b.start]! || a.start - b.start);
  const order = new Uint32Array(n);
  let k = 0;
  let last = -Infinity;
  let disjoint = true;
  for (const run of runs) {
    if (times[run.start]! <= last) disjoint = false;
    for (let i = run.start; i < run.end; i++) order[k++] = i;
    last = times[run.end - 1]!;
  }
  if (disjoint) return order;
  return order.sort((a, b) => times[a]! - times[b]! || a - b);
}
