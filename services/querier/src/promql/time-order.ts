/** A step this many times the run's first one starts a new run (most likely another file's). */
const JUMP = 16;

/**
 * Start offsets of runs of `times` that are in order — non-decreasing, or strictly decreasing
 * (then reversed into `order`) — with `order` filled with each run's indices in ascending
 * time. Ends with `times.length`. A run also ends at a jump far larger than its first step:
 * two files' newest-first rows read back to back would otherwise make one run spanning others.
 */
function ascendingRuns(times: Float64Array, order: Uint32Array): number[] {
  const n = times.length;
  const bounds: number[] = [];
  let start = 0;
  while (start < n) {
    let end = start + 1;
    const limit = JUMP * Math.abs((times[end] ?? 0) - times[start]!);
    if (end < n && times[end]! < times[start]!) {
      while (end < n && times[end]! < times[end - 1]! && times[end - 1]! - times[end]! <= limit)
        end++;
      for (let i = start; i < end; i++) order[i] = end - 1 - (i - start);
    } else {
      while (end < n && times[end]! >= times[end - 1]!) {
        if (limit > 0 && times[end]! - times[end - 1]! > limit) break;
        end++;
      }
      for (let i = start; i < end; i++) order[i] = i;
    }
    bounds.push(start);
    start = end;
  }
  bounds.push(n);
  return bounds;
}

/**
 * When the runs do not overlap (the usual case: one per file), puts them in order of their
 * first times into `order` in linear time and says so; otherwise leaves `order` as it was.
 */
function joinDisjoint(times: Float64Array, bounds: number[], order: Uint32Array): boolean {
  const runs: number[] = [];
  for (let r = 0; r + 1 < bounds.length; r++) runs.push(r);
  const first = (r: number) => times[order[bounds[r]!]!]!;
  const last = (r: number) => times[order[bounds[r + 1]! - 1]!]!;
  runs.sort((a, b) => first(a) - first(b));
  for (let r = 1; r < runs.length; r++) if (first(runs[r]!) <= last(runs[r - 1]!)) return false;
  const joined = new Uint32Array(order.length);
  let k = 0;
  for (const r of runs) {
    joined.set(order.subarray(bounds[r], bounds[r + 1]), k);
    k += bounds[r + 1]! - bounds[r]!;
  }
  order.set(joined);
  return true;
}

/**
 * The order that sorts `times` ascending, or `undefined` when they already are; equal times
 * keep their relative order. The sample lists come from an unordered SQL `list()` (sorting
 * inside DuckDB cost more than the whole rest of a query) as a few dozen runs that are each in
 * order — stored files hold their rows newest first — so runs that do not overlap are joined
 * in linear time, and others are ordered by a natural merge sort (O(n log runs), no comparator
 * calls).
 */
export function timeOrder(times: Float64Array): Uint32Array | undefined {
  const n = times.length;
  let order = new Uint32Array(n);
  let bounds = ascendingRuns(times, order);
  if (bounds.length <= 2 && (n === 0 || order[0] === 0)) return undefined;
  if (joinDisjoint(times, bounds, order)) return order;
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
