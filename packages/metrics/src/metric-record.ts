import { TIMESTAMP_COLUMN, formatKey } from '@o2/schema';
import type { FieldType, FlatRecord } from '@o2/schema';

/**
 * The metric stream model (O2-CONTRACT §8.1), defined once for every way metrics come in
 * (OTLP, metrics `_json`, Prometheus remote write) and for the PromQL series source that reads
 * them back: one stream per metric name, one row per sample.
 */

/** The metric name column; rewritten to equal the stream name. */
export const METRIC_NAME_COLUMN = '__name__';
/** The sample value column (Float64). */
export const METRIC_VALUE_COLUMN = 'value';
/** The series id column: a hash of the sorted labels (see `seriesHash`). */
export const SERIES_HASH_COLUMN = '__hash__';
/** Metrics `_json` may carry the metric type per record; O2 keeps it as a column. */
export const METRIC_TYPE_COLUMN = '__type__';
/** The schema-metadata key that holds a stream's `PromMetadata` as JSON. */
export const PROM_METADATA_KEY = 'prom_metadata';

/**
 * Column types every metric stream has whatever its samples look like: `value` is Float64 even
 * when every sample so far was integral (the ingester pins these when it evolves a schema).
 */
export const METRIC_COLUMN_TYPES: ReadonlyMap<string, FieldType> = new Map([
  [METRIC_VALUE_COLUMN, 'Float64'],
]);

/** O2's metric types, as they appear in `prom_metadata.metric_type`. */
export const METRIC_TYPES = [
  'Counter',
  'Gauge',
  'Histogram',
  'GaugeHistogram',
  'ExponentialHistogram',
  'Summary',
  'Info',
  'StateSet',
  'Unknown',
] as const;
export type MetricType = (typeof METRIC_TYPES)[number];

/** What O2 keeps per metric stream in the schema metadata under `prom_metadata`. */
export interface PromMetadata {
  metric_type: MetricType;
  metric_family_name: string;
  help: string;
  unit: string;
}

/** Columns that are not labels: they never enter the series hash. */
export const NON_LABEL_COLUMNS: ReadonlySet<string> = new Set([
  METRIC_VALUE_COLUMN,
  SERIES_HASH_COLUMN,
  'exemplars',
  'is_monotonic',
  'trace_id',
  'span_id',
  TIMESTAMP_COLUMN,
  '_all',
]);

/** The stream a metric name is stored in (O2's `format_stream_name`). */
export function metricStreamName(metricName: string): string {
  return formatKey(metricName);
}

/**
 * The series id of a label set: a 53-bit hash (a safe JS integer, stored as Int64) of the
 * labels sorted by name, leaving out `NON_LABEL_COLUMNS`, each name and value length-prefixed
 * so no value can imitate a separator (`{a:"1|b:2"}` ≠ `{a:"1",b:"2"}`). Two FNV-1a
 * 32-bit passes with different offsets give the high 21 and low 32 bits. O2 uses gxhash64;
 * bit-compatibility is not needed (we never read O2-written data).
 */
export function seriesHash(labels: Readonly<Record<string, string>>): number {
  const names = Object.keys(labels)
    .filter((name) => !NON_LABEL_COLUMNS.has(name))
    .sort();
  let low = 0x811c9dc5;
  let high = 0x01000193 ^ 0x5bd1e995;
  const mix = (text: string): void => {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      low = Math.imul(low ^ c, 0x01000193);
      high = Math.imul(high ^ c, 0x01000193) ^ (high >>> 15);
    }
  };
  for (const name of names) {
    const value = labels[name] ?? '';
    mix(`${name.length}:${name}${value.length}:${value}`);
  }
  return (high >>> 11) * 0x1_0000_0000 + (low >>> 0);
}

/** One sample to store: a metric name, its labels (raw names), value and time. */
export interface MetricSample {
  name: string;
  labels: Readonly<Record<string, string>>;
  value: number;
  /** Sample time in µs since the epoch. */
  timestampUs: number;
  /** Non-label columns carried along (OTLP's `start_time`, `exemplars`, …); not hashed. */
  extra?: Readonly<Record<string, string | number | boolean>>;
}

/**
 * One series ready to take samples: its stream, formatted label columns (with `__name__`) and
 * hash, computed once. Inputs that carry many samples per series (remote write, OTLP data
 * points of one metric) prepare the series once and then pay only a shallow copy per sample.
 */
export interface PreparedSeries {
  stream: string;
  /**
   * The row every sample of the series starts from: formatted label columns incl. `__name__`
   * (= stream), then the extra columns, then `value`, `_timestamp` and `__hash__` (already set).
   * A sample copies it and overwrites two fields, so every row of a series has one hidden class
   * and the copy adds no properties (the per-sample cost of remote write).
   */
  template: Readonly<FlatRecord>;
  hash: number;
}

export function prepareSeries(
  name: string,
  labels: Readonly<Record<string, string>>,
  extra?: Readonly<Record<string, string | number | boolean>>,
): PreparedSeries {
  const stream = metricStreamName(name);
  const formatted: Record<string, string> = {};
  for (const [label, labelValue] of Object.entries(labels)) {
    if (label === METRIC_NAME_COLUMN) continue;
    formatted[formatKey(label)] = labelValue;
  }
  formatted[METRIC_NAME_COLUMN] = stream;
  const hash = seriesHash(formatted);
  const template: FlatRecord = { ...formatted };
  if (extra)
    for (const [column, value] of Object.entries(extra)) template[formatKey(column)] = value;
  template[METRIC_VALUE_COLUMN] = 0;
  template[TIMESTAMP_COLUMN] = 0;
  template[SERIES_HASH_COLUMN] = hash;
  return { stream, template, hash };
}

/**
 * A sample of a prepared series as the row O2 stores: `value` (±Inf clamped to
 * ±Number.MAX_VALUE as O2 does), `_timestamp`, `__hash__`. NaN samples are dropped
 * (undefined) — except Prometheus's stale marker, which callers that keep staleness pass
 * through `keepNaN`.
 */
export function sampleRecord(
  series: PreparedSeries,
  value: number,
  timestampUs: number,
  keepNaN = false,
): FlatRecord | undefined {
  if (Number.isNaN(value) && !keepNaN) return undefined;
  const record: FlatRecord = { ...series.template };
  record[METRIC_VALUE_COLUMN] =
    value === Infinity ? Number.MAX_VALUE : value === -Infinity ? -Number.MAX_VALUE : value;
  record[TIMESTAMP_COLUMN] = timestampUs;
  return record;
}

/**
 * A single sample as the row O2 stores: label names formatted like every other key,
 * `__name__` equal to the stream name, then as `sampleRecord`.
 */
export function metricRecord(sample: MetricSample, keepNaN = false): FlatRecord | undefined {
  if (Number.isNaN(sample.value) && !keepNaN) return undefined;
  return sampleRecord(
    prepareSeries(sample.name, sample.labels, sample.extra),
    sample.value,
    sample.timestampUs,
    keepNaN,
  );
}
