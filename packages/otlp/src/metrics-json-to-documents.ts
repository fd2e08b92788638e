import { AppError } from '@o2/errors';
import {
  METRIC_NAME_COLUMN,
  METRIC_TYPE_COLUMN,
  METRIC_VALUE_COLUMN,
  metricRecord,
  metricStreamName,
} from '@o2/metrics';
import type { MetricType, PromMetadata } from '@o2/metrics';
import { TIMESTAMP_COLUMN, flattenRecord, isJsonObject, parseTimestamp } from '@o2/schema';
import { labelText } from './any-value.js';
import type { DecodedOtlp, OtlpDocument } from './otlp-document.js';

/** `__type__` values O2's metrics `_json` accepts (lower case), and the metadata type of each. */
const JSON_TYPES: Record<string, MetricType> = {
  counter: 'Counter',
  gauge: 'Gauge',
  histogram: 'Histogram',
  gaugehistogram: 'GaugeHistogram',
  exponentialhistogram: 'ExponentialHistogram',
  summary: 'Summary',
  info: 'Info',
  stateset: 'StateSet',
  unknown: 'Unknown',
};

function sampleValue(raw: unknown): number {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string' && raw.trim() !== '' && !Number.isNaN(Number(raw)))
    return Number(raw);
  if (raw === undefined) throw AppError.invalidArgument('missing value');
  throw AppError.invalidArgument(`invalid value ${JSON.stringify(raw)}: must be a number`);
}

/**
 * `POST /api/{org}/ingest/metrics/_json` (O2-CONTRACT §8.3): a JSON array of flat samples,
 * each its own row in the stream named by `__name__`. The whole request fails with 400 on the
 * first bad sample (no `__name__`, an unknown `__type__`, a non-numeric `value` or
 * `_timestamp`), as O2 does; the ingest window is not applied to metrics.
 */
export function metricsJsonToDocuments(body: Uint8Array, nowMicros: number): DecodedOtlp {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString());
  } catch (error) {
    throw AppError.invalidArgument(
      `Invalid JSON in request body: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const samples = Array.isArray(parsed) ? (parsed as unknown[]) : [parsed];
  const documents: OtlpDocument[] = [];
  const metadata = new Map<string, PromMetadata>();
  for (const sample of samples) {
    if (!isJsonObject(sample)) throw AppError.invalidArgument('metric sample must be an object');
    const flat = flattenRecord(sample);
    const name = flat[METRIC_NAME_COLUMN];
    if (typeof name !== 'string' || name === '') throw AppError.invalidArgument('missing __name__');
    const typeText = flat[METRIC_TYPE_COLUMN];
    const type = JSON_TYPES[typeof typeText === 'string' ? typeText.toLowerCase() : 'gauge'];
    if (type === undefined || (typeText !== undefined && typeof typeText !== 'string'))
      throw AppError.invalidArgument(`invalid __type__ ${JSON.stringify(typeText)}`);
    const rawTs = flat[TIMESTAMP_COLUMN];
    if (rawTs !== undefined && typeof rawTs !== 'number' && typeof rawTs !== 'bigint')
      throw AppError.invalidArgument('invalid _timestamp, need to be number');
    const ts = parseTimestamp(rawTs, nowMicros);
    if (!ts.ok) throw AppError.invalidArgument(ts.error);
    const value = sampleValue(flat[METRIC_VALUE_COLUMN]);
    const labels: Record<string, string> = {};
    for (const [key, v] of Object.entries(flat)) {
      if (key === METRIC_VALUE_COLUMN || key === TIMESTAMP_COLUMN) continue;
      const text = labelText(v);
      if (text !== undefined) labels[key] = text;
    }
    const record = metricRecord({ name, labels, value, timestampUs: ts.micros });
    if (record === undefined) continue; // NaN
    const stream = metricStreamName(name);
    documents.push({ record, stream });
    if (!metadata.has(stream))
      metadata.set(stream, {
        metric_type: type,
        metric_family_name: stream,
        help: stream.replaceAll('_', ' '),
        unit: '',
      });
  }
  return { documents, metadata, checkWindow: false };
}
