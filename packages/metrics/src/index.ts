export {
  METRIC_COLUMN_TYPES,
  METRIC_NAME_COLUMN,
  METRIC_TYPES,
  METRIC_TYPE_COLUMN,
  METRIC_VALUE_COLUMN,
  NON_LABEL_COLUMNS,
  PROM_METADATA_KEY,
  SERIES_HASH_COLUMN,
  metricRecord,
  metricStreamName,
  prepareSeries,
  sampleRecord,
  seriesHash,
} from './metric-record.js';
export type { MetricSample, MetricType, PreparedSeries, PromMetadata } from './metric-record.js';
export { NATIVE_HISTOGRAM_COLUMN } from './native-histogram.js';
export type { BucketSpan, StoredNativeHistogram } from './native-histogram.js';
export { nativeHistogramFromJson, nativeHistogramToJson } from './native-histogram-json.js';
