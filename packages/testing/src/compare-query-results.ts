import type { PromHistogram, PromQueryData, PromValue } from './prometheus-api-client.js';

export interface CompareOptions {
  /** Values a and b match when |a − b| ≤ relTolerance · max(|a|, |b|) (default 1e-6). */
  relTolerance?: number;
  /**
   * …or when |a − b| ≤ absTolerance (default 1e-12), so float noise around 0 (a rate over a
   * flat counter computed in another order) is not a difference.
   */
  absTolerance?: number;
  /** Series must also come in the same order (for `sort`, `topk`…); default false. */
  ordered?: boolean;
  /** Stop collecting after this many differences (default 20). */
  maxDifferences?: number;
}

export interface QueryResultComparison {
  equal: boolean;
  /** One line per difference, naming the series and timestamp. */
  differences: string[];
}

/** The API writes special floats as strings: `NaN`, `+Inf`, `-Inf`. */
export function parsePromFloat(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  const value = Number(text);
  if (Number.isNaN(value)) throw new Error(`not a Prometheus float: ${JSON.stringify(text)}`);
  return value;
}

/** NaN equals NaN, ±Inf equals the same infinity, anything else within tolerance. */
export function floatsMatch(a: number, b: number, options: CompareOptions = {}): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  const diff = Math.abs(a - b);
  return (
    diff <= (options.absTolerance ?? 1e-12) ||
    diff <= (options.relTolerance ?? 1e-6) * Math.max(Math.abs(a), Math.abs(b))
  );
}

/** `{a="1",b="2"}` with names sorted: the identity of a series. */
export function labelSetKey(metric: Record<string, string>): string {
  const pairs = Object.keys(metric)
    .sort()
    .map((name) => `${name}=${JSON.stringify(metric[name])}`);
  return `{${pairs.join(',')}}`;
}

/** One point of a series: a float or a native histogram at a timestamp (ms, so exact). */
interface Point {
  ms: number;
  float?: string;
  histogram?: PromHistogram;
}

interface Series {
  key: string;
  points: Point[];
}

const toMs = (seconds: number): number => Math.round(seconds * 1000);

function seriesOf(data: PromQueryData): Series[] {
  switch (data.resultType) {
    case 'vector':
      return data.result.map((s) => ({
        key: labelSetKey(s.metric),
        points: [
          ...(s.value ? [{ ms: toMs(s.value[0]), float: s.value[1] }] : []),
          ...(s.histogram ? [{ ms: toMs(s.histogram[0]), histogram: s.histogram[1] }] : []),
        ],
      }));
    case 'matrix':
      return data.result.map((s) => ({
        key: labelSetKey(s.metric),
        points: [
          ...(s.values ?? []).map(([t, v]: PromValue) => ({ ms: toMs(t), float: v })),
          ...(s.histograms ?? []).map(([t, h]) => ({ ms: toMs(t), histogram: h })),
        ].sort((a, b) => a.ms - b.ms),
      }));
    case 'scalar':
    case 'string':
      return [
        { key: data.resultType, points: [{ ms: toMs(data.result[0]), float: data.result[1] }] },
      ];
  }
}

/**
 * Compares two Prometheus query results (`data` of /api/v1/query or /query_range): same result
 * type, the same series label sets (order ignored unless `ordered`), the same timestamps per
 * series, and values equal within tolerance — NaN matches NaN, ±Inf the same infinity, native
 * histograms by count, sum and every bucket. `string` results must be identical.
 */
export function compareQueryResults(
  expected: PromQueryData,
  actual: PromQueryData,
  options: CompareOptions = {},
): QueryResultComparison {
  const max = options.maxDifferences ?? 20;
  const differences: string[] = [];
  const differ = (line: string): void => {
    if (differences.length < max) differences.push(line);
  };
  if (expected.resultType !== actual.resultType) {
    differ(`result type: expected ${expected.resultType}, got ${actual.resultType}`);
    return { equal: false, differences };
  }
  const want = seriesOf(expected);
  const got = seriesOf(actual);
  const gotByKey = new Map(got.map((s) => [s.key, s]));
  const wantKeys = new Set(want.map((s) => s.key));
  for (const [i, series] of want.entries()) {
    const other = gotByKey.get(series.key);
    if (other === undefined) differ(`missing series ${series.key}`);
    else {
      if (options.ordered === true && got[i]?.key !== series.key)
        differ(`series ${series.key}: expected at position ${i}, got ${got[i]?.key ?? 'nothing'}`);
      comparePoints(series.key, series.points, other.points, expected.resultType, options, differ);
    }
  }
  for (const series of got) {
    if (!wantKeys.has(series.key)) differ(`unexpected series ${series.key}`);
  }
  for (const [side, list] of [
    ['expected', want],
    ['actual', got],
  ] as const) {
    const seen = new Set<string>();
    for (const { key } of list) {
      if (seen.has(key)) differ(`${side} result holds ${key} twice`);
      seen.add(key);
    }
  }
  return { equal: differences.length === 0, differences };
}

function comparePoints(
  key: string,
  want: Point[],
  got: Point[],
  resultType: PromQueryData['resultType'],
  options: CompareOptions,
  differ: (line: string) => void,
): void {
  const gotTimes = new Map(got.map((p) => [p.ms, p]));
  for (const point of want) {
    const at = `${key} at ${point.ms / 1000}`;
    const other = gotTimes.get(point.ms);
    if (other === undefined) {
      differ(`${at}: expected ${describe(point)}, got no point`);
      continue;
    }
    gotTimes.delete(point.ms);
    if (resultType === 'string') {
      if (point.float !== other.float)
        differ(`${at}: expected ${describe(point)}, got ${describe(other)}`);
    } else if (!pointsMatch(point, other, options)) {
      differ(`${at}: expected ${describe(point)}, got ${describe(other)}`);
    }
  }
  for (const extra of gotTimes.values()) {
    differ(`${key} at ${extra.ms / 1000}: unexpected point ${describe(extra)}`);
  }
}

function pointsMatch(a: Point, b: Point, options: CompareOptions): boolean {
  if (a.float !== undefined || b.float !== undefined) {
    return (
      a.float !== undefined &&
      b.float !== undefined &&
      floatsMatch(parsePromFloat(a.float), parsePromFloat(b.float), options)
    );
  }
  if (a.histogram === undefined || b.histogram === undefined) return false;
  return histogramsMatch(a.histogram, b.histogram, options);
}

function histogramsMatch(a: PromHistogram, b: PromHistogram, options: CompareOptions): boolean {
  const close = (x: string, y: string): boolean =>
    floatsMatch(parsePromFloat(x), parsePromFloat(y), options);
  const aBuckets = a.buckets ?? [];
  const bBuckets = b.buckets ?? [];
  return (
    close(a.count, b.count) &&
    close(a.sum, b.sum) &&
    aBuckets.length === bBuckets.length &&
    aBuckets.every((bucket, i) => {
      const other = bBuckets[i];
      return (
        other !== undefined &&
        bucket[0] === other[0] &&
        close(bucket[1], other[1]) &&
        close(bucket[2], other[2]) &&
        close(bucket[3], other[3])
      );
    })
  );
}

function describe(point: Point): string {
  if (point.float !== undefined) return point.float;
  return `histogram ${JSON.stringify(point.histogram)}`;
}

/** `compareQueryResults` that throws, listing the differences, when the results differ. */
export function expectSameQueryResult(
  expected: PromQueryData,
  actual: PromQueryData,
  options: CompareOptions = {},
): void {
  const { equal, differences } = compareQueryResults(expected, actual, options);
  if (!equal) throw new Error(`query results differ:\n  ${differences.join('\n  ')}`);
}
