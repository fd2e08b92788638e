import { create, toBinary } from '@bufbuild/protobuf';
import type { MessageInitShape } from '@bufbuild/protobuf';
import type { MetricType, StoredNativeHistogram } from '@o2/metrics';
import { prometheus } from '@o2/proto';
import { compressSnappyBlock } from './snappy-block.js';

/**
 * The sending half, for tests and `pnpm bench:metrics`: series and metadata as a snappy-
 * compressed `WriteRequest` body, exactly what a Prometheus remote-write sender POSTs.
 */

/** A native histogram sample: the stored shape (absolute counts) plus its time. */
export interface RemoteWriteHistogram extends StoredNativeHistogram {
  timestampMs: number;
  /** Send as a float histogram (absolute counts) instead of an integer one (deltas). */
  float?: boolean;
}

export interface RemoteWriteSeries {
  /** Every label, `__name__` included. */
  labels: Readonly<Record<string, string>>;
  samples?: readonly { value: number; timestampMs: number }[];
  histograms?: readonly RemoteWriteHistogram[];
  exemplars?: readonly { labels: Record<string, string>; value: number; timestampMs: number }[];
}

export interface RemoteWriteMetadata {
  family: string;
  type: MetricType;
  help?: string;
  unit?: string;
}

const { MetricMetadata_MetricType: WireType, Histogram_ResetHint: WireHint } = prometheus;

const WIRE_TYPES: Record<MetricType, prometheus.MetricMetadata_MetricType> = {
  Counter: WireType.COUNTER,
  Gauge: WireType.GAUGE,
  Histogram: WireType.HISTOGRAM,
  GaugeHistogram: WireType.GAUGEHISTOGRAM,
  ExponentialHistogram: WireType.HISTOGRAM,
  Summary: WireType.SUMMARY,
  Info: WireType.INFO,
  StateSet: WireType.STATESET,
  Unknown: WireType.UNKNOWN,
};

const WIRE_HINTS = {
  unknown: WireHint.UNKNOWN,
  reset: WireHint.YES,
  not_reset: WireHint.NO,
  gauge: WireHint.GAUGE,
} as const;

/** Absolute counts as the wire's deltas (each bucket minus the previous, the first minus 0). */
function deltasOf(counts: readonly number[]): bigint[] {
  let previous = 0n;
  return counts.map((count) => {
    const current = BigInt(count);
    const delta = current - previous;
    previous = current;
    return delta;
  });
}

type HistogramInit = MessageInitShape<typeof prometheus.HistogramSchema>;

function wireHistogram(h: RemoteWriteHistogram): HistogramInit {
  const common: HistogramInit = {
    sum: h.sum,
    schema: h.schema,
    zeroThreshold: h.zeroThreshold,
    positiveSpans: h.positiveSpans,
    negativeSpans: h.negativeSpans,
    resetHint: WIRE_HINTS[h.counterResetHint ?? 'unknown'],
    timestamp: BigInt(h.timestampMs),
    customValues: h.customValues ?? [],
  };
  if (h.float === true) {
    return {
      ...common,
      count: { case: 'countFloat', value: h.count },
      zeroCount: { case: 'zeroCountFloat', value: h.zeroCount },
      positiveCounts: h.positiveBuckets,
      negativeCounts: h.negativeBuckets,
    };
  }
  return {
    ...common,
    count: { case: 'countInt', value: BigInt(h.count) },
    zeroCount: { case: 'zeroCountInt', value: BigInt(h.zeroCount) },
    positiveDeltas: deltasOf(h.positiveBuckets),
    negativeDeltas: deltasOf(h.negativeBuckets),
  };
}

function wireLabels(labels: Readonly<Record<string, string>>) {
  return Object.entries(labels).map(([name, value]) => ({ name, value }));
}

/** The uncompressed protobuf `WriteRequest`. */
export function encodeWriteRequest(
  series: readonly RemoteWriteSeries[],
  metadata: readonly RemoteWriteMetadata[] = [],
): Uint8Array {
  const request = create(prometheus.WriteRequestSchema, {
    timeseries: series.map((s) => ({
      labels: wireLabels(s.labels),
      samples: (s.samples ?? []).map((p) => ({
        value: p.value,
        timestamp: BigInt(p.timestampMs),
      })),
      histograms: (s.histograms ?? []).map(wireHistogram),
      exemplars: (s.exemplars ?? []).map((e) => ({
        labels: wireLabels(e.labels),
        value: e.value,
        timestamp: BigInt(e.timestampMs),
      })),
    })),
    metadata: metadata.map((m) => ({
      type: WIRE_TYPES[m.type],
      metricFamilyName: m.family,
      help: m.help ?? '',
      unit: m.unit ?? '',
    })),
  });
  return toBinary(prometheus.WriteRequestSchema, request);
}

/** A remote-write body: the `WriteRequest` snappy block-compressed. */
export function encodeRemoteWrite(
  series: readonly RemoteWriteSeries[],
  metadata: readonly RemoteWriteMetadata[] = [],
): Uint8Array {
  return compressSnappyBlock(encodeWriteRequest(series, metadata));
}
