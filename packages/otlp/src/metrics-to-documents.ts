import { AggregationTemporality, ExportMetricsServiceRequestSchema } from '@o2/proto';
import type { Metric } from '@o2/proto';
import { metricStreamName } from '@o2/metrics';
import type { MetricType, PromMetadata } from '@o2/metrics';
import { attributes } from './any-value.js';
import { scopeColumns } from './logs-to-documents.js';
import { MetricSink, labelsOf, pointContext } from './metric-points.js';
import type { DecodedOtlp, OtlpDocument } from './otlp-document.js';
import type { OtlpEncoding } from './otlp-encoding.js';
import { parseOtlpBody } from './parse-otlp-body.js';

const TEMPORALITY: Record<number, string> = {
  [AggregationTemporality.UNSPECIFIED]: 'AGGREGATION_TEMPORALITY_UNSPECIFIED',
  [AggregationTemporality.DELTA]: 'AGGREGATION_TEMPORALITY_DELTA',
  [AggregationTemporality.CUMULATIVE]: 'AGGREGATION_TEMPORALITY_CUMULATIVE',
};

const TYPE_OF: Record<string, MetricType> = {
  gauge: 'Gauge',
  sum: 'Counter',
  histogram: 'Histogram',
  exponentialHistogram: 'ExponentialHistogram',
  summary: 'Summary',
};

/** A bucket bound as O2 writes `le` (shortest decimal; `inf` for the overflow bucket). */
function le(bound: number): string {
  if (bound === Infinity) return 'inf';
  if (bound === -Infinity) return '-inf';
  return String(bound);
}

/** The rows of one metric into `sink` (O2-CONTRACT §8.2). */
function flattenMetric(
  metric: Metric,
  base: Record<string, string>,
  sink: MetricSink,
  now: number,
): void {
  const name = metric.name;
  const data = metric.data;
  switch (data.case) {
    case 'gauge':
    case 'sum': {
      const more: Record<string, string> =
        data.case === 'sum'
          ? {
              aggregation_temporality: TEMPORALITY[data.value.aggregationTemporality] ?? '',
              is_monotonic: String(data.value.isMonotonic),
            }
          : {};
      for (const point of data.value.dataPoints) {
        const v = point.value;
        const value = v.case === 'asDouble' ? v.value : v.case === 'asInt' ? Number(v.value) : 0;
        sink.add(name, pointContext(base, point, now, more), value);
      }
      return;
    }
    case 'histogram': {
      const temporality = TEMPORALITY[data.value.aggregationTemporality] ?? '';
      for (const point of data.value.dataPoints) {
        const ctx = pointContext(base, point, now, { aggregation_temporality: temporality });
        sink.add(`${name}_count`, ctx, Number(point.count));
        if (point.sum !== undefined) sink.add(`${name}_sum`, ctx, point.sum);
        if (point.min !== undefined) sink.add(`${name}_min`, ctx, point.min);
        if (point.max !== undefined) sink.add(`${name}_max`, ctx, point.max);
        const plain = { ...ctx, extra: { ...ctx.extra } };
        delete plain.extra['exemplars'];
        let cumulative = 0;
        point.bucketCounts.forEach((count, i) => {
          cumulative += Number(count);
          const bound = point.explicitBounds[i] ?? Infinity;
          sink.add(`${name}_bucket`, plain, cumulative, { le: le(bound) });
        });
      }
      return;
    }
    case 'exponentialHistogram': {
      const temporality = TEMPORALITY[data.value.aggregationTemporality] ?? '';
      for (const point of data.value.dataPoints) {
        const ctx = pointContext(base, point, now, { aggregation_temporality: temporality });
        sink.add(`${name}_count`, ctx, Number(point.count));
        if (point.sum !== undefined) sink.add(`${name}_sum`, ctx, point.sum);
        const plain = { ...ctx, extra: { ...ctx.extra } };
        delete plain.extra['exemplars'];
        const base2 = 2 ** (2 ** -point.scale);
        for (const [buckets, sign] of [
          [point.positive, 1],
          [point.negative, -1],
        ] as const) {
          buckets?.bucketCounts.forEach((count, i) => {
            const bound = sign * base2 ** (buckets.offset + i + 1);
            sink.add(`${name}_bucket`, plain, Number(count), { le: le(bound) });
          });
        }
      }
      return;
    }
    case 'summary': {
      for (const point of data.value.dataPoints) {
        const ctx = pointContext(base, point, now);
        sink.add(`${name}_count`, ctx, Number(point.count));
        sink.add(`${name}_sum`, ctx, point.sum);
        for (const q of point.quantileValues)
          sink.add(name, ctx, q.value, { quantile: String(q.quantile) });
      }
      return;
    }
    case undefined:
      return;
  }
}

function dataPointCount(metric: Metric): number {
  return metric.data.case === undefined ? 0 : metric.data.value.dataPoints.length;
}

/**
 * OTLP metrics → metric rows, one stream per (derived) metric name, and each stream's
 * `prom_metadata`. A metric without data points is rejected (one `rejected_data_points`).
 */
export function metricsToDocuments(
  body: Uint8Array,
  encoding: OtlpEncoding,
  nowMicros: number,
): DecodedOtlp {
  const request = parseOtlpBody(ExportMetricsServiceRequestSchema, body, encoding);
  const documents: OtlpDocument[] = [];
  const metadata = new Map<string, PromMetadata>();
  for (const resourceMetrics of request.resourceMetrics) {
    const resource = labelsOf(attributes(resourceMetrics.resource?.attributes ?? []));
    for (const scopeMetrics of resourceMetrics.scopeMetrics) {
      const base = { ...resource, ...labelsOf(scopeColumns(scopeMetrics.scope)) };
      for (const metric of scopeMetrics.metrics) {
        if (dataPointCount(metric) === 0) {
          documents.push({
            record: {},
            stream: metric.name,
            error: `Metric ${metric.name} has no data points`,
          });
          continue;
        }
        const type = TYPE_OF[metric.data.case ?? ''] ?? 'Unknown';
        const sink = new MetricSink(
          metricStreamName(metric.name),
          type,
          metric.description,
          metric.unit,
        );
        flattenMetric(metric, base, sink, nowMicros);
        documents.push(...sink.documents);
        for (const [stream, meta] of sink.metadata)
          if (!metadata.has(stream)) metadata.set(stream, meta);
      }
    }
  }
  return { documents, metadata, checkWindow: false };
}
