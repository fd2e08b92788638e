import { AppError } from '@o2/errors';
import type { MetaStore } from '@o2/metastore';
import { nativeHistogramFromJson } from '@o2/metrics';
import { Labels, compareLabels, histogramFromStored } from '@o2/promql';
import type { FloatHistogram } from '@o2/promql';
import type { Matcher, SelectRange, SeriesData, SeriesSource } from '@o2/promql';
import type { NumericList } from '@o2/search';
import { CompiledMatcher, matchesAll } from '@o2/promql';
import { withoutDashboardAll } from './dashboard-all.js';
import { labelMatchers, metricStreamsFor } from './metric-streams.js';
import { timeOrder } from './time-order.js';
import {
  COUNT_ALIAS,
  HISTOGRAMS_ALIAS,
  TIMES_ALIAS,
  VALUES_ALIAS,
  seriesLabelsSql,
  seriesSamplesSql,
  whereClause,
} from './selector-sql.js';
import type { MetricStreamShape } from './selector-sql.js';

/**
 * Runs one SQL statement over a metric stream in a µs half-open range and returns its rows;
 * with `numericLists`, list-of-numbers columns come back as `NumericList`s (typed arrays).
 */
export type MetricRowReader = (
  sql: string,
  range: { startTs: number; endTs: number },
  options?: { numericLists?: { maxLength?: number } },
) => Promise<Array<Record<string, unknown>>>;

export interface MetricSeriesLimits {
  /** Series one query may read in total (ZO_METRICS_MAX_SERIES_RESPONSE). */
  maxSeries: number;
  /** Samples one series may hold in a selector's range (ZO_METRICS_MAX_POINTS_PER_SERIES). */
  maxPointsPerSeries: number;
}

export interface MetricSeriesSourceDeps {
  org: string;
  metaStore: MetaStore;
  rows: MetricRowReader;
  limits: MetricSeriesLimits;
  /** `ZO_DASHBOARD_PLACEHOLDER`: matchers naming it are no filter (`dashboard-all.ts`). */
  dashboardPlaceholder?: string;
}

/** How many stream queries of one selector run at once (each is a DuckDB query). */
const STREAM_CONCURRENCY = 4;

/** Widest µs the search path takes (safe integers); times beyond mean "unbounded". */
const MAX_MICROS = 9_000_000_000_000_000;

const clampMicros = (us: number) => Math.max(-MAX_MICROS, Math.min(MAX_MICROS, Math.floor(us)));

/** The engine's inclusive ms range as the search path's half-open µs range. */
export function microsRange(range: SelectRange): { startTs: number; endTs: number } {
  return {
    startTs: clampMicros(range.startMs * 1000),
    endTs: clampMicros(range.endMs * 1000) + 1,
  };
}

export function tooManySeries(max: number): AppError {
  return new AppError(
    'UNPROCESSABLE',
    `query processing would load too many series into memory in query execution (more than ${max}, ZO_METRICS_MAX_SERIES_RESPONSE)`,
  );
}

function tooManyPoints(max: number): AppError {
  return new AppError(
    'UNPROCESSABLE',
    `query processing would load too many samples into memory in query execution (a series has more than ${max} in the selected range, ZO_METRICS_MAX_POINTS_PER_SERIES)`,
  );
}

function labelsOf(row: Record<string, unknown>, shape: MetricStreamShape): Labels {
  const pairs: Array<[string, string]> = [];
  for (const name of shape.labels) {
    const value = row[name];
    if (typeof value === 'string' && value !== '') pairs.push([name, value]);
  }
  return Labels.from(pairs);
}

/** A list column as typed values and NULL flags (a `NumericList`, or a JSON-shaped array). */
function numbersOf(list: unknown): { values: ArrayLike<unknown>; nulls: Uint8Array | undefined } {
  if (list instanceof Object && 'values' in list && list.values instanceof Float64Array)
    return list as NumericList;
  return { values: Array.isArray(list) ? list : [], nulls: undefined };
}

/** ±f64::MAX is how inputs store ±Inf (O2's clamp); PromQL gets the infinity back. */
const unclamp = (v: number) =>
  v === Number.MAX_VALUE ? Infinity : v === -Number.MAX_VALUE ? -Infinity : v;

/**
 * `seriesArrays` of the usual series — floats only, no staleness markers — in one tight loop
 * (millions of samples per query pass through here).
 */
function plainSeriesArrays(times: Float64Array, values: Float64Array, order?: Uint32Array) {
  const ts = new Float64Array(times.length);
  const vs = new Float64Array(times.length);
  let n = 0;
  for (let k = 0; k < times.length; k++) {
    const i = order === undefined ? k : order[k]!;
    const t = times[i]! / 1000;
    if (n > 0 && ts[n - 1] === t) n--;
    ts[n] = t;
    vs[n++] = unclamp(values[i]!);
  }
  return { timestamps: ts.subarray(0, n), values: vs.subarray(0, n), stale: undefined };
}

/**
 * Parallel typed arrays of one series from its SQL lists (µs, unordered), in ms and in time
 * order. A NULL value is a stored NaN: metric inputs drop NaN samples except Prometheus's
 * staleness marker, so it is one. A sample with `__histogram__` JSON is a native histogram (its
 * value is the count, ignored). Rows with the same time keep the last one in time order (a
 * sample written twice is one sample).
 */
function seriesArrays(
  timeList: unknown,
  valueList: unknown,
  histogramJson: readonly unknown[] | undefined,
) {
  const rawTimes = numbersOf(timeList).values;
  const { values, nulls } = numbersOf(valueList);
  const times =
    rawTimes instanceof Float64Array ? rawTimes : Float64Array.from(rawTimes, (t) => Number(t));
  const order = timeOrder(times);
  if (histogramJson === undefined && nulls === undefined && values instanceof Float64Array)
    return plainSeriesArrays(times, values, order);
  const ts = new Float64Array(times.length);
  const vs = new Float64Array(times.length);
  let stale: Uint8Array | undefined;
  let histograms: (FloatHistogram | undefined)[] | undefined;
  let n = 0;
  for (let k = 0; k < times.length; k++) {
    const i = order === undefined ? k : order[k]!;
    const t = times[i]! / 1000;
    const raw = values[i];
    if (n > 0 && ts[n - 1] === t) n--;
    ts[n] = t;
    const json = histogramJson?.[i];
    if (histograms !== undefined) histograms[n] = undefined;
    if (typeof json === 'string') {
      histograms ??= new Array<FloatHistogram | undefined>(times.length).fill(undefined);
      histograms[n] = histogramFromStored(nativeHistogramFromJson(json));
      vs[n] = NaN;
      if (stale !== undefined) stale[n] = 0;
    } else if (typeof raw === 'number' && nulls?.[i] !== 1) {
      vs[n] = unclamp(raw);
      if (stale !== undefined) stale[n] = 0;
    } else {
      vs[n] = NaN;
      stale ??= new Uint8Array(times.length);
      stale[n] = 1;
    }
    n++;
  }
  return {
    timestamps: ts.subarray(0, n),
    values: vs.subarray(0, n),
    stale: stale?.subarray(0, n),
    histograms: histograms?.slice(0, n),
  };
}

/** Runs `work` over `items`, at most `limit` at a time, keeping the input order of results. */
async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>) {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * The PromQL engine's `SeriesSource` over an org's metric streams (O2-CONTRACT §8.1): each
 * selector becomes one grouped SQL query per matching stream, run through the querier's own
 * search path (hot memtable rows and stored Parquet from one snapshot, split over the cluster's
 * queriers), with label matchers and the time range pushed down. Made per query: the series
 * budget spans every selector of the query.
 */
export class MetricSeriesSource implements SeriesSource {
  #seriesLeft: number;

  constructor(private readonly deps: MetricSeriesSourceDeps) {
    this.#seriesLeft = deps.limits.maxSeries;
  }

  async select(given: readonly Matcher[], range: SelectRange): Promise<readonly SeriesData[]> {
    const { metaStore, org, limits } = this.deps;
    const matchers = withoutDashboardAll(given, this.deps.dashboardPlaceholder ?? '');
    if (matchers === undefined) return [];
    const compiled = matchers.map((m) => new CompiledMatcher(m));
    const shapes = await metricStreamsFor(metaStore, org, matchers);
    const perStream = await mapLimited(shapes, STREAM_CONCURRENCY, async (shape) => {
      const where = whereClause(labelMatchers(matchers), shape);
      if (where === undefined) return [];
      const sql = seriesSamplesSql(shape, where, limits.maxPointsPerSeries, this.#seriesLeft + 1);
      const rows = await this.deps.rows(sql, microsRange(range), {
        numericLists: { maxLength: limits.maxPointsPerSeries },
      });
      this.#take(rows.length);
      const out: SeriesData[] = [];
      for (const row of rows) {
        // Exact Prometheus matching in JS too: SQL narrowed the rows, this is the final word.
        const labels = labelsOf(row, shape);
        if (!matchesAll(compiled, labels)) continue;
        const count = Number(row[COUNT_ALIAS] ?? 0);
        if (count > limits.maxPointsPerSeries) throw tooManyPoints(limits.maxPointsPerSeries);
        const histograms = Array.isArray(row[HISTOGRAMS_ALIAS])
          ? (row[HISTOGRAMS_ALIAS] as unknown[])
          : undefined;
        const series = seriesArrays(row[TIMES_ALIAS], row[VALUES_ALIAS], histograms);
        if (series.timestamps.length > 0) out.push({ labels, ...series });
      }
      return out;
    });
    return perStream.flat();
  }

  /** Distinct label sets of the series matching `matchers` in `range` (no samples). */
  async seriesLabels(given: readonly Matcher[], range: SelectRange): Promise<Labels[]> {
    const { metaStore, org } = this.deps;
    const matchers = withoutDashboardAll(given, this.deps.dashboardPlaceholder ?? '');
    if (matchers === undefined) return [];
    const compiled = matchers.map((m) => new CompiledMatcher(m));
    const shapes = await metricStreamsFor(metaStore, org, matchers);
    const perStream = await mapLimited(shapes, STREAM_CONCURRENCY, async (shape) => {
      const where = whereClause(labelMatchers(matchers), shape);
      if (where === undefined) return [];
      const rows = await this.deps.rows(
        seriesLabelsSql(shape, where, this.#seriesLeft + 1),
        microsRange(range),
      );
      this.#take(rows.length);
      return rows.map((row) => labelsOf(row, shape)).filter((l) => matchesAll(compiled, l));
    });
    return perStream.flat().sort(compareLabels);
  }

  #take(series: number): void {
    this.#seriesLeft -= series;
    if (this.#seriesLeft < 0) throw tooManySeries(this.deps.limits.maxSeries);
  }
}
