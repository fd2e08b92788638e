import type { Binary, VectorMatching } from '../ast/ast.js';
import { METRIC_NAME } from '../labels/labels.js';
import type { Labels } from '../labels/labels.js';
import { arithmetic, compare, COMPARISON_OPS } from './binary-ops.js';
import type { EvalContext } from './context.js';
import { duplicateLabelset, executionError, SeriesBuilder } from './series-builder.js';
import { setHist } from './values.js';
import type { EvalValue, StepSeries } from './values.js';
import { histogramBinary } from './binary-histogram.js';
import type { FloatHistogram } from '../histogram/histogram.js';

type Scalar = Extract<EvalValue, { kind: 'scalar' }>;

export function scalarBinary(e: Binary, l: Scalar, r: Scalar, ctx: EvalContext): EvalValue {
  const out = new Float64Array(ctx.n);
  const cmp = COMPARISON_OPS.has(e.op);
  for (let i = 0; i < ctx.n; i++) {
    const a = l.values[i]!;
    const b = r.values[i]!;
    out[i] = cmp ? (compare(e.op, a, b) ? 1 : 0) : arithmetic(e.op, a, b);
  }
  return { kind: 'scalar', values: out };
}

/** A vector against a scalar; `scalarLeft` when the scalar is the left operand. */
export function vectorScalarBinary(
  e: Binary,
  vec: StepSeries[],
  scalar: Float64Array,
  scalarLeft: boolean,
  ctx: EvalContext,
): StepSeries[] {
  const cmp = COMPARISON_OPS.has(e.op);
  const dropName = !cmp || e.bool;
  const builder = new SeriesBuilder(ctx.n);
  for (const s of vec) {
    const labels = dropName ? s.labels.dropName() : s.labels;
    const out = builder.series(labels);
    const hs = s.hist;
    for (let i = 0; i < ctx.n; i++) {
      if (s.present[i] !== 1) continue;
      const h = hs === undefined ? undefined : hs[i];
      if (h !== undefined) {
        const res = scalarLeft
          ? histogramBinary(e.op, scalar[i]!, undefined, 0, h, ctx.annotations, '')
          : histogramBinary(e.op, 0, h, scalar[i]!, undefined, ctx.annotations, '');
        if (!res || (cmp && !e.bool && !res.keep)) continue;
        if (out.present[i] === 1)
          throw executionError('vector cannot contain metrics with the same labelset');
        out.present[i] = 1;
        out.values[i] = res.v;
        if (!(cmp && e.bool)) setHist(out, i, res.h);
        continue;
      }
      const v = s.values[i]!;
      const l = scalarLeft ? scalar[i]! : v;
      const r = scalarLeft ? v : scalar[i]!;
      let result: number;
      if (cmp) {
        const keep = compare(e.op, l, r);
        if (e.bool) result = keep ? 1 : 0;
        else if (!keep) continue;
        else result = v;
      } else {
        result = arithmetic(e.op, l, r);
      }
      if (out.present[i] === 1)
        throw executionError('vector cannot contain metrics with the same labelset');
      out.values[i] = result;
      out.present[i] = 1;
    }
  }
  return builder.result();
}

function signatureFn(m: VectorMatching): (l: Labels) => string {
  const names = new Set(m.labels);
  if (!m.on) names.add(METRIC_NAME);
  return (l) => l.signature(names, m.on);
}

/** Per signature, 1 at every step where at least one of the series with that signature is present. */
function presenceBySignature(
  series: StepSeries[],
  sigs: string[],
  n: number,
): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  series.forEach((s, k) => {
    let any = out.get(sigs[k]!);
    if (!any) {
      any = new Uint8Array(n);
      out.set(sigs[k]!, any);
    }
    const p = s.present;
    for (let i = 0; i < n; i++) any[i]! |= p[i]!;
  });
  return out;
}

/** Keeps the steps of `s` where `other` is (keepIfPresent) or is not present. */
function filterSteps(
  s: StepSeries,
  other: Uint8Array | undefined,
  keepIfPresent: boolean,
): StepSeries | undefined {
  const n = s.present.length;
  const present = new Uint8Array(n);
  let any = false;
  for (let i = 0; i < n; i++) {
    if (s.present[i] !== 1) continue;
    const hit = other !== undefined && other[i] === 1;
    if (hit !== keepIfPresent) continue;
    present[i] = 1;
    any = true;
  }
  return any ? { labels: s.labels, values: s.values, present, hist: s.hist } : undefined;
}

export function setBinary(
  e: Binary,
  lhs: StepSeries[],
  rhs: StepSeries[],
  ctx: EvalContext,
): StepSeries[] {
  const sig = signatureFn(e.matching!);
  const lsig = lhs.map((s) => sig(s.labels));
  const rsig = rhs.map((s) => sig(s.labels));
  const n = ctx.n;
  if (e.op === 'or') {
    const builder = new SeriesBuilder(n);
    for (const s of lhs) builder.merge(s.labels, s);
    const leftAny = presenceBySignature(lhs, lsig, n);
    rhs.forEach((s, k) => {
      const kept = filterSteps(s, leftAny.get(rsig[k]!), false);
      if (kept) builder.merge(s.labels, kept);
    });
    return builder.result();
  }
  const rightAny = presenceBySignature(rhs, rsig, n);
  const out: StepSeries[] = [];
  lhs.forEach((s, k) => {
    const kept = filterSteps(s, rightAny.get(lsig[k]!), e.op === 'and');
    if (kept) out.push(kept);
  });
  return out;
}

function resultLabels(many: Labels, one: Labels, e: Binary, m: VectorMatching): Labels {
  let l = many;
  if (!COMPARISON_OPS.has(e.op)) l = l.dropName();
  if (m.card === 'one-to-one') {
    const names = new Set(m.labels);
    l = m.on ? l.only(names) : l.without(names);
  }
  for (const name of m.include) l = l.with(name, one.get(name));
  if (e.bool) l = l.dropName();
  return l;
}

/**
 * Arithmetic and comparison between two instant vectors with label matching. Series are grouped
 * by matching signature once; within a group the work is series-major over typed arrays.
 */
export function vectorBinary(
  e: Binary,
  lhsIn: StepSeries[],
  rhsIn: StepSeries[],
  ctx: EvalContext,
): StepSeries[] {
  const m = e.matching!;
  const n = ctx.n;
  const swap = m.card === 'one-to-many';
  const many = swap ? rhsIn : lhsIn;
  const one = swap ? lhsIn : rhsIn;
  const sig = signatureFn(m);
  const groups = new Map<string, { many: number[]; one: number[] }>();
  const group = (key: string): { many: number[]; one: number[] } => {
    let g = groups.get(key);
    if (!g) {
      g = { many: [], one: [] };
      groups.set(key, g);
    }
    return g;
  };
  many.forEach((s, k) => group(sig(s.labels)).many.push(k));
  one.forEach((s, k) => group(sig(s.labels)).one.push(k));
  const cmp = COMPARISON_OPS.has(e.op);
  const op = e.op;
  const builder = new SeriesBuilder(n);
  const creatorGroup = new Map<StepSeries, number>();
  const oneAt = new Int32Array(n);
  let groupId = 0;
  for (const g of groups.values()) {
    groupId++;
    oneAt.fill(-1);
    for (const k of g.one) {
      const p = one[k]!.present;
      for (let i = 0; i < n; i++) {
        if (p[i] !== 1) continue;
        if (oneAt[i]! >= 0) throw duplicateOneSide(m, swap, one[k]!.labels, one[oneAt[i]!]!.labels);
        oneAt[i] = k;
      }
    }
    if (g.many.length === 0 || g.one.length === 0) continue;
    const matched = m.card === 'one-to-one' && g.many.length > 1 ? new Uint8Array(n) : undefined;
    for (const k of g.many) {
      const s = many[k]!;
      let lastOne = -1;
      let target: StepSeries | undefined;
      for (let i = 0; i < n; i++) {
        if (s.present[i] !== 1) continue;
        const oi = oneAt[i]!;
        if (oi < 0) continue;
        const o = one[oi]!;
        const l = swap ? o.values[i]! : s.values[i]!;
        const r = swap ? s.values[i]! : o.values[i]!;
        let value: number;
        let hv: FloatHistogram | undefined;
        const sh = s.hist?.[i];
        const oh = o.hist?.[i];
        if (sh !== undefined || oh !== undefined) {
          const lh = swap ? oh : sh;
          const rh = swap ? sh : oh;
          const res = histogramBinary(op, l, lh, r, rh, ctx.annotations, s.labels.get(METRIC_NAME));
          if (!res) continue;
          if (cmp && e.bool) value = res.keep ? 1 : 0;
          else if (cmp && !res.keep) continue;
          else {
            value = res.v;
            hv = res.h;
          }
        } else if (cmp) {
          const keep = compare(op, l, r);
          if (e.bool) value = keep ? 1 : 0;
          else if (!keep) continue;
          else value = l;
        } else value = arithmetic(op, l, r);
        if (oi !== lastOne || !target) {
          target = builder.series(resultLabels(s.labels, o.labels, e, m));
          if (!creatorGroup.has(target)) creatorGroup.set(target, groupId);
          lastOne = oi;
        }
        if (matched) {
          if (matched[i] === 1) {
            throw executionError(
              'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
            );
          }
          matched[i] = 1;
        }
        if (target.present[i] === 1) {
          if (m.card !== 'one-to-one' && creatorGroup.get(target) === groupId) {
            throw executionError(
              'multiple matches for matching labels: grouping labels must ensure unique matches',
            );
          }
          throw duplicateLabelset();
        }
        target.values[i] = value;
        target.present[i] = 1;
        if (hv) setHist(target, i, hv);
      }
    }
  }
  return builder.result();
}

function duplicateOneSide(m: VectorMatching, swap: boolean, a: Labels, b: Labels): Error {
  const side = swap ? 'left' : 'right';
  const group = m.on ? a.only(new Set(m.labels)) : a.without(new Set([...m.labels, METRIC_NAME]));
  return executionError(
    `found duplicate series for the match group ${group.toString()} on the ${side} hand-side of the operation: [${a.toString()}, ${b.toString()}];many-to-many matching not allowed: matching labels must be unique on one side`,
  );
}
