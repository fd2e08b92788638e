import type { Labels, QueryData } from '@o2/promql';
import { formatFloatPlain } from '@o2/promql';

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

/** The `data` of a query answer: `{resultType, result}` exactly as Prometheus writes it. */
export function queryDataJson(data: QueryData): { resultType: string; result: unknown } {
  switch (data.resultType) {
    case 'vector':
      return {
        resultType: 'vector',
        result: data.result.map((s) => ({ metric: labelsJson(s.labels), value: point(s.t, s.v) })),
      };
    case 'matrix':
      return {
        resultType: 'matrix',
        result: data.result.map((s) => {
          const values = new Array<[number, string]>(s.timestamps.length);
          for (let i = 0; i < s.timestamps.length; i++)
            values[i] = point(s.timestamps[i]!, s.values[i]!);
          return { metric: labelsJson(s.labels), values };
        }),
      };
    case 'scalar':
      return { resultType: 'scalar', result: point(data.result.t, data.result.v) };
    case 'string':
      return { resultType: 'string', result: point(data.result.t, data.result.v) };
  }
}
