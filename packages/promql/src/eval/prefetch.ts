import type { Expr, VectorSelector } from '../ast/ast.js';
import type { SelectRange, SeriesData, SeriesSource } from '../storage/series-source.js';

interface Bounds {
  startMs: number;
  endMs: number;
  queryStartMs: number;
  queryEndMs: number;
  lookbackMs: number;
}

/**
 * Reads every selector's series before evaluation starts, so evaluation itself is synchronous
 * tight loops. Each selector gets the union of the time ranges it is evaluated over (subqueries
 * widen them), which is the same rule as Prometheus's per-selector select hints.
 */
export async function prefetchSelectors(
  expr: Expr,
  source: SeriesSource,
  bounds: Bounds,
): Promise<Map<VectorSelector, readonly SeriesData[]>> {
  const ranges = new Map<VectorSelector, SelectRange>();
  collect(expr, bounds.startMs, bounds.endMs, bounds, ranges, 0);
  const out = new Map<VectorSelector, readonly SeriesData[]>();
  await Promise.all(
    [...ranges].map(async ([vs, range]) => {
      out.set(vs, await source.select(vs.matchers, range));
    }),
  );
  return out;
}

function atMs(vs: { at: VectorSelector['at'] }, b: Bounds): number | undefined {
  if (!vs.at) return undefined;
  return vs.at.kind === 'time' ? vs.at.ms : vs.at.kind === 'start' ? b.queryStartMs : b.queryEndMs;
}

function collect(
  e: Expr,
  start: number,
  end: number,
  b: Bounds,
  out: Map<VectorSelector, SelectRange>,
  rangeMs: number,
): void {
  switch (e.type) {
    case 'vectorSelector': {
      const at = atMs(e, b);
      const s = (at ?? start) - e.offsetMs - (rangeMs > 0 ? rangeMs : b.lookbackMs);
      const en = (at ?? end) - e.offsetMs;
      const prev = out.get(e);
      out.set(e, {
        startMs: Math.min(prev?.startMs ?? Infinity, s),
        endMs: Math.max(prev?.endMs ?? -Infinity, en),
      });
      return;
    }
    case 'matrixSelector':
      collect(e.selector, start, end, b, out, e.rangeMs);
      return;
    case 'subquery': {
      const at = atMs(e, b);
      const s = (at ?? start) - e.offsetMs - e.rangeMs;
      const en = (at ?? end) - e.offsetMs;
      collect(e.expr, s, en, b, out, 0);
      return;
    }
    case 'unary':
    case 'paren':
      collect(e.expr, start, end, b, out, 0);
      return;
    case 'binary':
      collect(e.lhs, start, end, b, out, 0);
      collect(e.rhs, start, end, b, out, 0);
      return;
    case 'aggregate':
      collect(e.expr, start, end, b, out, 0);
      if (e.param) collect(e.param, start, end, b, out, 0);
      return;
    case 'call':
      for (const a of e.args) collect(a, start, end, b, out, 0);
      return;
    case 'number':
    case 'string':
      return;
  }
}
