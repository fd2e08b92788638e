import { kahanSumInc, quantileOf } from './kahan.js';

/** The samples of one series inside one window, and where the window lies. */
export interface Window {
  readonly ts: Float64Array;
  readonly vs: Float64Array;
  readonly lo: number;
  readonly hi: number;
  /** Window bounds in ms: samples lie in (rangeStart, rangeEnd]. */
  readonly rangeStart: number;
  readonly rangeEnd: number;
  readonly rangeMs: number;
  /**
   * For counters: prefix sums of reset corrections (`c[i] - c[i-1]` is the value lost at a reset
   * at sample i), so a window's correction costs O(1) instead of a scan.
   */
  readonly resetPrefix: Float64Array | undefined;
  /** The step's evaluation time (even under `@`), which `predict_linear` regresses to. */
  readonly evalT: number;
}

/** Computes one output value from a window, or undefined for "no output at this step". */
export type RangeFn = (w: Window, params: readonly number[]) => number | undefined;

function extrapolatedRate(w: Window, isCounter: boolean, isRate: boolean): number | undefined {
  const { ts, vs, lo, hi } = w;
  const count = hi - lo;
  if (count < 2) return undefined;
  const firstT = ts[lo]!;
  const lastT = ts[hi - 1]!;
  let result = vs[hi - 1]! - vs[lo]!;
  if (isCounter) {
    const prefix = w.resetPrefix;
    if (prefix) result += prefix[hi - 1]! - prefix[lo]!;
    else {
      let prev = vs[lo]!;
      for (let i = lo + 1; i < hi; i++) {
        const cur = vs[i]!;
        if (cur < prev) result += prev;
        prev = cur;
      }
    }
  }
  let durationToStart = (firstT - w.rangeStart) / 1000;
  const durationToEnd0 = (w.rangeEnd - lastT) / 1000;
  const sampledInterval = (lastT - firstT) / 1000;
  const avgBetween = sampledInterval / (count - 1);
  // Samples closer to a boundary than 110% of the average spacing are assumed to continue to
  // it; otherwise the series is assumed to start/end half a spacing beyond the outer sample.
  const threshold = avgBetween * 1.1;
  if (durationToStart >= threshold) durationToStart = avgBetween / 2;
  if (isCounter) {
    // A counter cannot go below zero, so never extrapolate past the point it would hit zero.
    let durationToZero = durationToStart;
    if (result > 0 && vs[lo]! >= 0) durationToZero = sampledInterval * (vs[lo]! / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  let durationToEnd = durationToEnd0;
  if (durationToEnd >= threshold) durationToEnd = avgBetween / 2;
  let factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
  if (isRate) factor /= w.rangeMs / 1000;
  return result * factor;
}

function instantValue(w: Window, isRate: boolean): number | undefined {
  const { ts, vs, hi, lo } = w;
  if (hi - lo < 2) return undefined;
  const last = vs[hi - 1]!;
  const prev = vs[hi - 2]!;
  let result = isRate && last < prev ? last : last - prev;
  const interval = ts[hi - 1]! - ts[hi - 2]!;
  if (interval === 0) return undefined;
  if (isRate) result /= interval / 1000;
  return result;
}

export function linearRegression(w: Window, interceptT: number): [number, number] {
  const { ts, vs, lo, hi } = w;
  let n = 0;
  let sumX = 0;
  let cX = 0;
  let sumY = 0;
  let cY = 0;
  let sumXY = 0;
  let cXY = 0;
  let sumX2 = 0;
  let cX2 = 0;
  const initY = vs[lo]!;
  let constY = true;
  for (let i = lo; i < hi; i++) {
    const y = vs[i]!;
    if (constY && i > lo && y !== initY) constY = false;
    n += 1;
    const x = (ts[i]! - interceptT) / 1000;
    [sumX, cX] = kahanSumInc(x, sumX, cX);
    [sumY, cY] = kahanSumInc(y, sumY, cY);
    [sumXY, cXY] = kahanSumInc(x * y, sumXY, cXY);
    [sumX2, cX2] = kahanSumInc(x * x, sumX2, cX2);
  }
  if (constY) {
    if (!Number.isFinite(initY) && !Number.isNaN(initY)) return [NaN, NaN];
    return [0, initY];
  }
  sumX += cX;
  sumY += cY;
  sumXY += cXY;
  sumX2 += cX2;
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  const slope = covXY / varX;
  return [slope, sumY / n - (slope * sumX) / n];
}

function avg(w: Window): number | undefined {
  const { vs, lo, hi } = w;
  if (hi <= lo) return undefined;
  let sum = vs[lo]!;
  let c = 0;
  let mean = 0;
  let incremental = false;
  let count = 1;
  for (let i = lo + 1; i < hi; i++) {
    const f = vs[i]!;
    count = i - lo + 1;
    if (!incremental) {
      const [ns, nc] = kahanSumInc(f, sum, c);
      if (Number.isFinite(ns) || Number.isNaN(ns)) {
        sum = ns;
        c = nc;
        continue;
      }
      // The plain sum overflowed: continue with an incremental mean instead.
      incremental = true;
      mean = sum / (count - 1);
      c /= count - 1;
    }
    const q = (count - 1) / count;
    [mean, c] = kahanSumInc(f / count, q * mean, q * c);
  }
  if (incremental) return mean + c;
  return sum / count + c / count;
}

function variance(w: Window): number | undefined {
  const { vs, lo, hi } = w;
  if (hi <= lo) return undefined;
  let count = 0;
  let mean = 0;
  let cMean = 0;
  let aux = 0;
  let cAux = 0;
  for (let i = lo; i < hi; i++) {
    const f = vs[i]!;
    count++;
    const delta = f - (mean + cMean);
    [mean, cMean] = kahanSumInc(delta / count, mean, cMean);
    [aux, cAux] = kahanSumInc(delta * (f - (mean + cMean)), aux, cAux);
  }
  return (aux + cAux) / count;
}

function extreme(w: Window, pickMax: boolean): number | undefined {
  const { vs, lo, hi } = w;
  if (hi <= lo) return undefined;
  let best = vs[lo]!;
  for (let i = lo; i < hi; i++) {
    const f = vs[i]!;
    if ((pickMax ? f > best : f < best) || Number.isNaN(best)) best = f;
  }
  return best;
}

function extremeTs(w: Window, pickMax: boolean): number | undefined {
  const { ts, vs, lo, hi } = w;
  if (hi <= lo) return undefined;
  let best = vs[lo]!;
  let bestT = ts[lo]!;
  for (let i = lo; i < hi; i++) {
    const f = vs[i]!;
    if ((pickMax ? f >= best : f <= best) || Number.isNaN(best)) {
      best = f;
      bestT = ts[i]!;
    }
  }
  return bestT / 1000;
}

function window(w: Window): Float64Array {
  return w.vs.subarray(w.lo, w.hi);
}

function doubleExponentialSmoothing(w: Window, sf: number, tf: number): number | undefined {
  const { vs, lo, hi } = w;
  if (hi - lo < 2) return undefined;
  let s0 = 0;
  let s1 = vs[lo]!;
  let b = vs[lo + 1]! - vs[lo]!;
  for (let i = 1; i < hi - lo; i++) {
    const x = sf * vs[lo + i]!;
    if (i > 1) b = tf * (s1 - s0) + (1 - tf) * b;
    const y = (1 - sf) * (s1 + b);
    s0 = s1;
    s1 = x + y;
  }
  return s1;
}

/** Functions over a range vector, keyed by PromQL name. */
export const RANGE_FUNCTIONS: ReadonlyMap<string, RangeFn> = new Map<string, RangeFn>([
  ['rate', (w) => extrapolatedRate(w, true, true)],
  ['increase', (w) => extrapolatedRate(w, true, false)],
  ['delta', (w) => extrapolatedRate(w, false, false)],
  ['irate', (w) => instantValue(w, true)],
  ['idelta', (w) => instantValue(w, false)],
  ['deriv', (w) => (w.hi - w.lo < 2 ? undefined : linearRegression(w, w.ts[w.lo]!)[0])],
  [
    'predict_linear',
    (w, p) => {
      if (w.hi - w.lo < 2) return undefined;
      const [slope, intercept] = linearRegression(w, w.evalT);
      return slope * p[0]! + intercept;
    },
  ],
  [
    'changes',
    (w) => {
      if (w.hi <= w.lo) return undefined;
      let changes = 0;
      for (let i = w.lo + 1; i < w.hi; i++) {
        const a = w.vs[i - 1]!;
        const b = w.vs[i]!;
        if (a !== b && !(Number.isNaN(a) && Number.isNaN(b))) changes++;
      }
      return changes;
    },
  ],
  [
    'resets',
    (w) => {
      if (w.hi <= w.lo) return undefined;
      let resets = 0;
      for (let i = w.lo + 1; i < w.hi; i++) if (w.vs[i]! < w.vs[i - 1]!) resets++;
      return resets;
    },
  ],
  ['avg_over_time', avg],
  ['count_over_time', (w) => (w.hi > w.lo ? w.hi - w.lo : undefined)],
  [
    'sum_over_time',
    (w) => {
      if (w.hi <= w.lo) return undefined;
      let sum = 0;
      let c = 0;
      for (let i = w.lo; i < w.hi; i++) [sum, c] = kahanSumInc(w.vs[i]!, sum, c);
      return sum + c;
    },
  ],
  ['min_over_time', (w) => extreme(w, false)],
  ['max_over_time', (w) => extreme(w, true)],
  ['stdvar_over_time', variance],
  [
    'stddev_over_time',
    (w) => {
      const v = variance(w);
      return v === undefined ? undefined : Math.sqrt(v);
    },
  ],
  ['quantile_over_time', (w, p) => (w.hi > w.lo ? quantileOf(p[0]!, window(w)) : undefined)],
  [
    'mad_over_time',
    (w) => {
      if (w.hi <= w.lo) return undefined;
      const values = window(w);
      const median = quantileOf(0.5, values);
      return quantileOf(
        0.5,
        Array.from(values, (v) => Math.abs(v - median)),
      );
    },
  ],
  ['last_over_time', (w) => (w.hi > w.lo ? w.vs[w.hi - 1] : undefined)],
  ['first_over_time', (w) => (w.hi > w.lo ? w.vs[w.lo] : undefined)],
  ['ts_of_last_over_time', (w) => (w.hi > w.lo ? w.ts[w.hi - 1]! / 1000 : undefined)],
  ['ts_of_first_over_time', (w) => (w.hi > w.lo ? w.ts[w.lo]! / 1000 : undefined)],
  ['ts_of_max_over_time', (w) => extremeTs(w, true)],
  ['ts_of_min_over_time', (w) => extremeTs(w, false)],
  ['present_over_time', (w) => (w.hi > w.lo ? 1 : undefined)],
  ['double_exponential_smoothing', (w, p) => doubleExponentialSmoothing(w, p[0]!, p[1]!)],
]);

/** Range functions whose output keeps the input's metric name. */
export const KEEPS_NAME: ReadonlySet<string> = new Set(['last_over_time', 'first_over_time']);

/** Functions whose windows use `Window.resetPrefix`. */
export const USES_RESET_PREFIX: ReadonlySet<string> = new Set(['rate', 'increase']);

export function resetPrefix(vs: Float64Array): Float64Array {
  const n = vs.length;
  const out = new Float64Array(n);
  let acc = 0;
  let prev = n > 0 ? vs[0]! : 0;
  for (let i = 1; i < n; i++) {
    const cur = vs[i]!;
    if (cur < prev) acc += prev;
    out[i] = acc;
    prev = cur;
  }
  return out;
}
