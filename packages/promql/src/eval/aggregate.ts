import type { Aggregate } from '../ast/ast.js';
import { formatFloatG, formatFloatPlain } from '../format/format-float.js';
import { METRIC_NAME } from '../labels/labels.js';
import type { Labels } from '../labels/labels.js';
import { isValidUtf8, goQuote } from '../parser/string-literal.js';
import { kahanSumInc, quantileOf } from '../functions/kahan.js';
import type { EvalContext } from './context.js';
import { executionError, SeriesBuilder } from './series-builder.js';
import { newStepSeries } from './values.js';
import type { StepSeries } from './values.js';
import { selectK, limitRatioKeep } from './aggregate-k.js';
import {
  floatGroups,
  floatView,
  hasHistograms,
  mergeHistogramMembers,
  noteIgnoredHistograms,
} from './aggregate-histogram.js';
import { histogramString } from '../histogram/histogram.js';

interface Group {
  labels: Labels;
  members: StepSeries[];
}

/** Splits input series into aggregation groups, in order of first appearance. */
export function groupSeries(e: Aggregate, input: StepSeries[]): Group[] {
  const names = new Set(e.grouping);
  if (e.without) names.add(METRIC_NAME);
  const groups = new Map<string, Group>();
  for (const s of input) {
    const key = s.labels.signature(names, !e.without);
    let g = groups.get(key);
    if (!g) {
      g = { labels: e.without ? s.labels.without(names) : s.labels.only(names), members: [] };
      groups.set(key, g);
    }
    g.members.push(s);
  }
  return [...groups.values()];
}

/**
 * sum, avg, count, min, max, group, stddev, stdvar: one output series per group. Members are the
 * outer loop and steps the inner one, so each input array is read sequentially once; running
 * state lives in per-step typed arrays.
 */
function reduceGroup(op: Aggregate['op'], g: Group, n: number): StepSeries {
  const out = newStepSeries(g.labels, n);
  const value = out.values;
  const count = new Float64Array(n);
  const comp = new Float64Array(n);
  const mean = op === 'avg' || op === 'stddev' || op === 'stdvar' ? new Float64Array(n) : undefined;
  const incremental = op === 'avg' ? new Uint8Array(n) : undefined;
  for (const s of g.members) {
    const present = s.present;
    const values = s.values;
    for (let i = 0; i < n; i++) {
      if (present[i] !== 1) continue;
      const v = values[i]!;
      const c = ++count[i]!;
      if (c === 1) {
        // A NaN or infinite member makes the deviation NaN rather than 0.
        value[i] = op === 'stddev' || op === 'stdvar' ? (Number.isFinite(v) ? 0 : NaN) : v;
        if (mean) mean[i] = v;
        continue;
      }
      switch (op) {
        case 'sum': {
          const sum = value[i]!;
          const t = sum + v;
          if (t === Infinity || t === -Infinity) comp[i] = 0;
          else if (Math.abs(sum) >= Math.abs(v)) comp[i]! += sum - t + v;
          else comp[i]! += v - t + sum;
          value[i] = t;
          break;
        }
        case 'avg': {
          if (incremental![i] !== 1) {
            const [nv, nc] = kahanSumInc(v, value[i]!, comp[i]!);
            if (Number.isFinite(nv) || Number.isNaN(nv)) {
              value[i] = nv;
              comp[i] = nc;
              break;
            }
            // The running sum would overflow: switch to an incremental mean.
            incremental![i] = 1;
            mean![i] = value[i]! / (c - 1);
            comp[i]! /= c - 1;
          }
          const q = (c - 1) / c;
          const [m, mc] = kahanSumInc(v / c, q * mean![i]!, q * comp[i]!);
          mean![i] = m;
          comp[i] = mc;
          break;
        }
        case 'min':
          if (value[i]! > v || Number.isNaN(value[i]!)) value[i] = v;
          break;
        case 'max':
          if (value[i]! < v || Number.isNaN(value[i]!)) value[i] = v;
          break;
        case 'stddev':
        case 'stdvar': {
          const delta = v - mean![i]!;
          mean![i]! += delta / c;
          value[i]! += delta * (v - mean![i]!);
          break;
        }
        case 'count':
        case 'group':
        case 'quantile':
        case 'topk':
        case 'bottomk':
        case 'limitk':
        case 'limit_ratio':
        case 'count_values':
          break;
      }
    }
  }
  for (let i = 0; i < n; i++) {
    const c = count[i]!;
    if (c === 0) continue;
    out.present[i] = 1;
    switch (op) {
      case 'sum':
        value[i]! += comp[i]!;
        break;
      case 'avg':
        if (c > 1)
          value[i] = incremental![i] === 1 ? mean![i]! + comp[i]! : value[i]! / c + comp[i]! / c;
        break;
      case 'count':
        value[i] = c;
        break;
      case 'group':
        value[i] = 1;
        break;
      case 'stdvar':
        value[i] = value[i]! / c;
        break;
      case 'stddev':
        value[i] = Math.sqrt(value[i]! / c);
        break;
      case 'min':
      case 'max':
      case 'quantile':
      case 'topk':
      case 'bottomk':
      case 'limitk':
      case 'limit_ratio':
      case 'count_values':
        break;
    }
  }
  return out;
}

function quantileGroup(g: Group, n: number, q: Float64Array): StepSeries {
  const out = newStepSeries(g.labels, n);
  const scratch: number[] = [];
  for (let i = 0; i < n; i++) {
    scratch.length = 0;
    for (const s of g.members) if (s.present[i] === 1) scratch.push(s.values[i]!);
    if (scratch.length === 0) continue;
    out.values[i] = quantileOf(q[i]!, scratch);
    out.present[i] = 1;
  }
  return out;
}

/** Evaluates an aggregation given its evaluated input and (for k/q/ratio ops) its parameter. */
export function aggregate(
  e: Aggregate,
  input: StepSeries[],
  param: Float64Array | string | undefined,
  ctx: EvalContext,
): StepSeries[] {
  const n = ctx.n;
  if (e.op === 'count_values') return countValues(e, input, param as string, n);
  if (e.op === 'quantile') {
    const q = param as Float64Array;
    for (let i = 0; i < n; i++) {
      const v = q[i]!;
      if (Number.isNaN(v) || v < 0 || v > 1) {
        ctx.annotations.warn(`quantile value should be between 0 and 1, got ${formatFloatG(v)}`);
      }
    }
  }
  const groups = groupSeries(e, input);
  const histograms = hasHistograms(groups);
  if (e.op === 'topk' || e.op === 'bottomk') {
    // Ranking is defined on floats only: histograms are left out, with an info.
    if (histograms) noteIgnoredHistograms(e.op, ctx);
    const floats = histograms ? floatGroups(groups) : groups;
    return selectK(e.op, floats, param as Float64Array, n);
  }
  if (e.op === 'limitk') return selectK(e.op, groups, param as Float64Array, n);
  if (e.op === 'limit_ratio') return limitRatio(groups, param as Float64Array, ctx);
  const out: StepSeries[] = [];
  for (const g of groups) {
    const fg = histograms ? { labels: g.labels, members: g.members.map(floatView) } : g;
    const s =
      e.op === 'quantile' ? quantileGroup(fg, n, param as Float64Array) : reduceGroup(e.op, fg, n);
    if (histograms) mergeHistogramMembers(e.op, g, s, ctx);
    if (s.present.includes(1)) out.push(s);
  }
  return out;
}

function limitRatio(groups: Group[], ratios: Float64Array, ctx: EvalContext): StepSeries[] {
  const out: StepSeries[] = [];
  for (let i = 0; i < ctx.n; i++) {
    const r = ratios[i]!;
    if (r < -1 || r > 1) {
      const capped = r < -1 ? -1 : 1;
      ctx.annotations.warn(
        `ratio value should be between -1 and 1, got ${formatFloatG(r)}, capping to ${formatFloatG(capped)}`,
      );
    }
  }
  for (const g of groups) {
    for (const s of g.members) {
      const values = new Float64Array(ctx.n);
      const present = new Uint8Array(ctx.n);
      let any = false;
      for (let i = 0; i < ctx.n; i++) {
        if (s.present[i] !== 1) continue;
        const r = Math.max(-1, Math.min(1, ratios[i]!));
        if (!limitRatioKeep(s.labels, r)) continue;
        values[i] = s.values[i]!;
        present[i] = 1;
        any = true;
      }
      if (any) out.push({ labels: s.labels, values, present, hist: s.hist });
    }
  }
  return out;
}

function countValues(e: Aggregate, input: StepSeries[], label: string, n: number): StepSeries[] {
  if (!isValidUtf8(label) || label === '')
    throw executionError(`invalid label name ${goQuote(label)}`);
  const names = new Set(e.grouping);
  if (e.without) names.add(METRIC_NAME);
  const builder = new SeriesBuilder(n);
  const counts = new Map<string, { labels: Labels; counts: Float64Array }>();
  for (const s of input) {
    const base = e.without ? s.labels.without(names) : s.labels.only(names);
    for (let i = 0; i < n; i++) {
      if (s.present[i] !== 1) continue;
      const h = s.hist?.[i];
      const labels = base.with(label, h ? histogramString(h) : formatFloatPlain(s.values[i]!));
      let entry = counts.get(labels.key);
      if (!entry) {
        entry = { labels, counts: new Float64Array(n) };
        counts.set(labels.key, entry);
      }
      entry.counts[i]!++;
    }
  }
  for (const { labels, counts: c } of counts.values()) {
    for (let i = 0; i < n; i++) if (c[i]! > 0) builder.set(labels, i, c[i]!);
  }
  return builder.result();
}
