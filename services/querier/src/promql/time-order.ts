/**
 * Start offsets of the maximal runs of `times` that are in order — non-decreasing, or strictly
 * decreasing (then reversed into `order`) — with `order` filled with each run's indices in
 * ascending time. Ends with `times.length`.
 */
function ascendingRuns(times: Float64Array, order: Uint32Array): number[] {
  const n = times.length;
  const bounds: number[] = [];
  let start = 0;
  while (start < n) {
    let end = start + 1;
    if (end < n && times[end]! < times[start]!) {
      while (end < n && times[end]! < times[end - 1]!) end++;
      for (let i = start; i < end; i++) order[i] = end - 1 - (i - start);
    } else {
      while (end < n && times[end]! >= times[end - 1]!) end++;
      for (let i = start; i < end; i++) order[i] = i;
    }
    bounds.push(start);
    start = end;
  }
  bounds.push(n);
  return bounds;
}

/**
 * The order that sorts `times` ascending, or `undefined` when they already are; equal times
 * keep their relative order. The sample lists come from an unordered SQL `list()` (sorting
 * inside DuckDB cost more than the whole rest of a query) as a few dozen runs that are each in
 * order — stored files hold their rows newest first — so a natural merge sort of the runs
 * (O(n log runs), no comparator calls) orders them.
 */
export function timeOrder(times: Float64Array): Uint32Array | undefined {
  const n = times.length;
  let order = new Uint32Array(n);
  let bounds = ascendingRuns(times, order);
  if (bounds.length <= 2 && (n === 0 || order[0] === 0)) return undefined;
  // The times travel with their indices so merges compare neighbouring memory.
  let keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = times[order[i]!]!;
  let spareOrder = new Uint32Array(n);
  let spareKeys = new Float64Array(n);
  while (bounds.length > 2) {
    const merged: number[] = [];
    for (let r = 0; r + 1 < bounds.length; r += 2) {
      const lo = bounds[r]!;
      const mid = bounds[r + 1]!;
      const hi = bounds[r + 2] ?? mid;
      merged.push(lo);
      let i = lo;
      let j = mid;
      let k = lo;
      // Ties take the left run first: its indices come first in the input (stable).
      while (i < mid && j < hi) {
        if (keys[j]! < keys[i]!) {
          spareKeys[k] = keys[j]!;
          spareOrder[k++] = order[j++]!;
        } else {
          spareKeys[k] = keys[i]!;
          spareOrder[k++] = order[i++]!;
        }
      }
      spareKeys.set(keys.subarray(i, mid), k);
      spareOrder.set(order.subarray(i, mid), k);
      k += mid - i;
      spareKeys.set(keys.subarray(j, hi), k);
      spareOrder.set(order.subarray(j, hi), k);
    }
    merged.push(n);
    [order, spareOrder] = [spareOrder, order];
    [keys, spareKeys] = [spareKeys, keys];
    bounds = merged;
  }
  return order;
}
