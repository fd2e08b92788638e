import type { Labels } from '../labels/labels.js';
import { xxhash64 } from '../labels/xxhash64.js';
import { executionError } from './series-builder.js';
import { setHist } from './values.js';
import type { StepSeries } from './values.js';

interface Group {
  labels: Labels;
  members: StepSeries[];
}

/** Orders for topk: NaN ranks lowest; for bottomk: NaN ranks highest. */
function better(op: 'topk' | 'bottomk', a: number, b: number): boolean {
  if (Number.isNaN(b)) return !Number.isNaN(a);
  if (Number.isNaN(a)) return false;
  return op === 'topk' ? a > b : a < b;
}

function kAt(param: Float64Array, i: number): number {
  const f = param[i]!;
  if (Number.isNaN(f)) throw executionError('Parameter value is NaN');
  if (f >= 2 ** 63 || f < -(2 ** 63)) {
    throw executionError(`Scalar value ${f} overflows int64`);
  }
  return Math.trunc(f);
}

/**
 * topk, bottomk and limitk keep whole input series. The per-step selections are merged back into
 * one output series per input series; for instant queries the output order is the ranking.
 */
export function selectK(
  op: 'topk' | 'bottomk' | 'limitk',
  groups: Group[],
  param: Float64Array,
  n: number,
): StepSeries[] {
  const picked = new Map<StepSeries, StepSeries>();
  const order: StepSeries[] = [];
  for (let i = 0; i < n; i++) {
    const k = kAt(param, i);
    if (k < 1) continue;
    for (const g of groups) {
      const chosen: StepSeries[] = [];
      for (const s of g.members) {
        if (s.present[i] !== 1) continue;
        if (op === 'limitk') {
          if (chosen.length < k) chosen.push(s);
          continue;
        }
        if (chosen.length < k) {
          chosen.push(s);
          continue;
        }
        // Replace the current worst if strictly better, like Prometheus's heap.
        let worst = 0;
        for (let j = 1; j < chosen.length; j++) {
          if (better(op, chosen[worst]!.values[i]!, chosen[j]!.values[i]!)) worst = j;
        }
        if (better(op, s.values[i]!, chosen[worst]!.values[i]!)) chosen[worst] = s;
      }
      if (op !== 'limitk' && n === 1) {
        chosen.sort((a, b) =>
          better(op, a.values[i]!, b.values[i]!)
            ? -1
            : better(op, b.values[i]!, a.values[i]!)
              ? 1
              : 0,
        );
      }
      for (const s of chosen) {
        let out = picked.get(s);
        if (!out) {
          out = { labels: s.labels, values: new Float64Array(n), present: new Uint8Array(n) };
          picked.set(s, out);
          order.push(out);
        }
        out.values[i] = s.values[i]!;
        out.present[i] = 1;
        const h = s.hist?.[i];
        if (h) setHist(out, i, h);
      }
    }
  }
  return order;
}

const encoder = new TextEncoder();
// float64(math.MaxUint64) as Go computes it: 2^64 after rounding.
const MAX_UINT64 = 2 ** 64;

/** Prometheus's position of a series in [0, 1]: its label hash over the largest uint64. */
function labelsFraction(labels: Labels): number {
  const parts: number[] = [];
  for (const l of labels.list) {
    parts.push(...encoder.encode(l.name), 0xff, ...encoder.encode(l.value), 0xff);
  }
  return Number(xxhash64(Uint8Array.from(parts))) / MAX_UINT64;
}

/** limit_ratio(r): positive r keeps series below r, negative keeps the complement's tail. */
export function limitRatioKeep(labels: Labels, r: number): boolean {
  const f = labelsFraction(labels);
  return r >= 0 ? f < r : f >= 1 + r;
}
