import type { Binary, VectorMatching } from '../ast/ast.js';
import { METRIC_NAME } from '../labels/labels.js';
import type { Labels } from '../labels/labels.js';
import { arithmetic, compare, COMPARISON_OPS } from './binary-ops.js';
import type { EvalContext } from './context.js';
import { executionError, SeriesBuilder } from './series-builder.js';
import type { EvalValue, StepSeries } from './values.js';

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
    for (let i = 0; i < ctx.n; i++) {
      if (s.present[i] !== 1) continue;
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
    const leftAt: Set<string>[] = [];
    for (let i = 0; i < n; i++) {
      const set = new Set<string>();
      lhs.forEach((s, k) => {
        if (s.present[i] === 1) set.add(lsig[k]!);
      });
      leftAt.push(set);
    }
    rhs.forEach((s, k) => {
      const out = builder.series(s.labels);
      for (let i = 0; i < n; i++) {
        if (s.present[i] !== 1 || leftAt[i]!.has(rsig[k]!)) continue;
        if (out.present[i] === 1)
          throw executionError('vector cannot contain metrics with the same labelset');
        out.values[i] = s.values[i]!;
        out.present[i] = 1;
      }
    });
    return builder.result();
  }
  const rightAt: Set<string>[] = [];
  for (let i = 0; i < n; i++) {
    const set = new Set<string>();
    rhs.forEach((s, k) => {
      if (s.present[i] === 1) set.add(rsig[k]!);
    });
    rightAt.push(set);
  }
  const keepIfMatched = e.op === 'and';
  const out: StepSeries[] = [];
  lhs.forEach((s, k) => {
    const values = new Float64Array(n);
    const present = new Uint8Array(n);
    let any = false;
    for (let i = 0; i < n; i++) {
      if (s.present[i] !== 1) continue;
      if (rightAt[i]!.has(lsig[k]!) !== keepIfMatched) continue;
      values[i] = s.values[i]!;
      present[i] = 1;
      any = true;
    }
    if (any) out.push({ labels: s.labels, values, present });
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

/** Arithmetic and comparison between two instant vectors with label matching. */
export function vectorBinary(
  e: Binary,
  lhsIn: StepSeries[],
  rhsIn: StepSeries[],
  ctx: EvalContext,
): StepSeries[] {
  const m = e.matching!;
  const swap = m.card === 'one-to-many';
  const many = swap ? rhsIn : lhsIn;
  const one = swap ? lhsIn : rhsIn;
  const sig = signatureFn(m);
  const manySig = many.map((s) => sig(s.labels));
  const oneSig = one.map((s) => sig(s.labels));
  const cmp = COMPARISON_OPS.has(e.op);
  const builder = new SeriesBuilder(ctx.n);
  const labelCache = new Map<string, Labels>();
  const oneBySig = new Map<string, number>();
  const matched = new Map<string, Set<string> | null>();
  for (let i = 0; i < ctx.n; i++) {
    oneBySig.clear();
    one.forEach((s, k) => {
      if (s.present[i] !== 1) return;
      const prev = oneBySig.get(oneSig[k]!);
      if (prev !== undefined) {
        const side = swap ? 'left' : 'right';
        const group = m.on
          ? s.labels.only(new Set(m.labels))
          : s.labels.without(new Set([...m.labels, METRIC_NAME]));
        throw executionError(
          `found duplicate series for the match group ${group.toString()} on the ${side} hand-side of the operation: [${s.labels.toString()}, ${one[prev]!.labels.toString()}];many-to-many matching not allowed: matching labels must be unique on one side`,
        );
      }
      oneBySig.set(oneSig[k]!, k);
    });
    matched.clear();
    many.forEach((s, k) => {
      if (s.present[i] !== 1) return;
      const sg = manySig[k]!;
      const ok = oneBySig.get(sg);
      if (ok === undefined) return;
      const o = one[ok]!;
      let l = s.values[i]!;
      let r = o.values[i]!;
      if (swap) [l, r] = [r, l];
      let value: number;
      if (cmp) {
        const keep = compare(e.op, l, r);
        if (e.bool) value = keep ? 1 : 0;
        else if (!keep) return;
        else value = l;
      } else value = arithmetic(e.op, l, r);
      const cacheKey = `${k}:${ok}`;
      let labels = labelCache.get(cacheKey);
      if (!labels) {
        labels = resultLabels(s.labels, o.labels, e, m);
        labelCache.set(cacheKey, labels);
      }
      const seen = matched.get(sg);
      if (m.card === 'one-to-one') {
        if (seen !== undefined) {
          throw executionError(
            'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
          );
        }
        matched.set(sg, null);
      } else {
        const set = seen ?? new Set<string>();
        if (set.has(labels.key)) {
          throw executionError(
            'multiple matches for matching labels: grouping labels must ensure unique matches',
          );
        }
        set.add(labels.key);
        matched.set(sg, set);
      }
      builder.set(labels, i, value);
    });
  }
  return builder.result();
}
