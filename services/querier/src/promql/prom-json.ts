import type { FloatHistogram, Labels, QueryData } from '@o2/promql';
import { ascendingBuckets, formatFloatPlain } from '@o2/promql';

/** A label set as Prometheus's JSON object (`{"__name__":"up","job":"api"}`). */
export function labelsJson(labels: Labels): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of labels.list) out[l.name] = l.value;
  return out;
}

/** Prometheus's sample pair: unix seconds as a JSON number, the value as text. */
function point(tMs: number, v: number | string): [number, string] {
  return [tMs / 1000, typeof v === 'string' ? v : formatFloatPlain(v)];
}

/**
 * A native histogram as Prometheus's JSON: count and sum as text and the non-empty buckets as
 * `[boundaryRule, lower, upper, count]`, where the rule says which ends are open — 0: (l, u]
 * (positive and custom buckets), 1: [l, u) (negative buckets), 3: [l, u] (the zero bucket).
 */
function histogramJson(h: FloatHistogram) {
  const buckets: Array<[number, string, string, string]> = [];
  for (const b of ascendingBuckets(h)) {
    if (b.count === 0) continue;
    const rule = b.zero ? 3 : b.upper <= 0 && b.lower < 0 && h.schema !== -53 ? 1 : 0;
    buckets.push([
      rule,
      formatFloatPlain(b.lower),
      formatFloatPlain(b.upper),
      formatFloatPlain(b.count),
    ]);
  }
  return {
    count: formatFloatPlain(h.count),
    sum: formatFloatPlain(h.sum),
    ...(buckets.length > 0 ? { buckets } : {}),
  };
}

/** The `data` of a query answer: `{resultType, result}` exactly as Prometheus writes it. */
export function queryDataJson(data: QueryData): { resultType: string; result: unknown } {
  switch (data.resultType) {
    case 'vector':
      return {
        resultType: 'vector',
        result: data.result.map((s) =>
          s.h === undefined
            ? { metric: labelsJson(s.labels), value: point(s.t, s.v) }
            : { metric: labelsJson(s.labels), histogram: [s.t / 1000, histogramJson(s.h)] },
        ),
      };
    case 'matrix':
      return {
        resultType: 'matrix',
        result: data.result.map((s) => {
          const values: Array<[number, string]> = [];
          const histograms: Array<[number, ReturnType<typeof histogramJson>]> = [];
          for (let i = 0; i < s.timestamps.length; i++) {
            const h = s.histograms?.[i];
            if (h === undefined) values.push(point(s.timestamps[i]!, s.values[i]!));
            else histograms.push([s.timestamps[i]! / 1000, histogramJson(h)]);
          }
          // Prometheus leaves out the list a series has no samples of.
          return {
            metric: labelsJson(s.labels),
            ...(values.length > 0 || histograms.length === 0 ? { values } : {}),
            ...(histograms.length > 0 ? { histograms } : {}),
          };
        }),
      };
    case 'scalar':
      return { resultType: 'scalar', result: point(data.result.t, data.result.v) };
    case 'string':
      return { resultType: 'string', result: point(data.result.t, data.result.v) };
  }
}
