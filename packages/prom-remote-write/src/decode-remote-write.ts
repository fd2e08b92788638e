import { isAppError } from '@o2/errors';
import {
  NATIVE_HISTOGRAM_COLUMN,
  metricRecord,
  nativeHistogramToJson,
  prepareSeries,
  sampleRecord,
} from '@o2/metrics';
import type { PromMetadata } from '@o2/metrics';
import type { prometheus } from '@o2/proto';
import type { FlatRecord } from '@o2/schema';
import { classicBuckets } from './classic-buckets.js';
import { familyMetadata } from './family-metadata.js';
import type { HaDedup } from './ha-dedup.js';
import { readWriteRequest } from './read-write-request.js';
import { seriesLabels } from './series-labels.js';
import { storedNativeHistogram } from './stored-native-histogram.js';
import type { WireWriteRequest } from './write-request-reader.js';

export interface DecodeRemoteWriteOptions {
  /** The organization written to: HA leaders are elected per org. */
  org: string;
  /** Largest uncompressed body in bytes (ZO_PAYLOAD_LIMIT); larger answers 413. */
  maxDecompressedBytes: number;
  /** ZO_PROMETHEUS_NATIVE_HISTOGRAM_MAX_BUCKETS: classic `_bucket` rows per histogram sample. */
  nativeHistogramMaxBuckets: number;
  /** HA dedup state shared across requests; absent means no dedup. */
  haDedup?: HaDedup;
  /**
   * Keep Prometheus's stale markers as rows with value NaN (default false: dropped with every
   * other NaN, as O2 does; see the README).
   */
  keepStaleMarkers?: boolean;
}

/** What was left out, by reason. Samples count float samples and histogram samples alike. */
export interface RemoteWriteRejections {
  seriesWithoutName: number;
  nanSamples: number;
  staleMarkers: number;
  haNonLeaderSamples: number;
  invalidHistograms: number;
  /** Exemplars are not stored (O2 keeps none from remote write). */
  exemplars: number;
}

export interface DecodedRemoteWrite {
  /** Float-sample rows and the classic expansion of native histograms, by stream. */
  rows: Map<string, FlatRecord[]>;
  /** Native histogram rows (value = count, `__histogram__` JSON) by the metric's own stream. */
  histogramRows: Map<string, FlatRecord[]>;
  /** `prom_metadata` per stream from the request's `metadata[]` (families and derived). */
  metadata: Map<string, PromMetadata>;
  accepted: { samples: number; histograms: number };
  rejected: RemoteWriteRejections;
}

function push(into: Map<string, FlatRecord[]>, record: FlatRecord): void {
  const stream = record.__name__ as string;
  const rows = into.get(stream);
  if (rows === undefined) into.set(stream, [record]);
  else rows.push(record);
}

/** A remote-write body (snappy + protobuf) as rows; see `decodeWriteRequest`. */
export function decodeRemoteWrite(
  body: Uint8Array,
  options: DecodeRemoteWriteOptions,
): DecodedRemoteWrite {
  return decodeWriteRequest(readWriteRequest(body, options.maxDecompressedBytes), options);
}

/**
 * A decoded `WriteRequest` as O2 metric rows (O2-CONTRACT §8.4): one row per sample in the
 * stream of its `__name__`; series without a name are skipped; NaN samples dropped; native
 * histograms kept native and expanded to classic `_count`/`_sum`/`_bucket{le}`. With HA dedup,
 * a series carrying both HA labels is kept only from its cluster's leader, without the replica
 * label (the leader may change; the series must not).
 */
export function decodeWriteRequest(
  request: WireWriteRequest,
  options: DecodeRemoteWriteOptions,
): DecodedRemoteWrite {
  const out: DecodedRemoteWrite = {
    rows: new Map(),
    histogramRows: new Map(),
    metadata: familyMetadata(request.metadata),
    accepted: { samples: 0, histograms: 0 },
    rejected: {
      seriesWithoutName: 0,
      nanSamples: 0,
      staleMarkers: 0,
      haNonLeaderSamples: 0,
      invalidHistograms: 0,
      exemplars: 0,
    },
  };
  const { rejected } = out;
  const dedup = options.haDedup?.enabled === true ? options.haDedup : undefined;
  // One verdict per (cluster, replica) per request, so a request is never split by an
  // election happening half-way through it.
  const verdicts = new Map<string, boolean>();

  for (const series of request.timeseries) {
    rejected.exemplars += series.exemplars;
    const { name, labels } = seriesLabels(series.labels);
    if (name === '') {
      rejected.seriesWithoutName++;
      continue;
    }
    if (dedup !== undefined) {
      const cluster = labels[dedup.clusterLabel];
      const replica = labels[dedup.replicaLabel];
      if (cluster !== undefined && replica !== undefined) {
        const key = `${cluster}\u0000${replica}`;
        let admitted = verdicts.get(key);
        if (admitted === undefined) {
          admitted = dedup.admit(options.org, cluster, replica);
          verdicts.set(key, admitted);
        }
        if (!admitted) {
          rejected.haNonLeaderSamples += series.values.length + series.histograms.length;
          continue;
        }
        delete labels[dedup.replicaLabel];
      }
    }

    // Labels formatted and hashed once per series, not per sample.
    const prepared = prepareSeries(name, labels);
    const { values, timestampsMs, staleMarkers } = series;
    for (let i = 0; i < values.length; i++) {
      const value = values[i] as number;
      const stale = staleMarkers.length > 0 && staleMarkers.includes(i);
      if (stale && options.keepStaleMarkers !== true) {
        rejected.staleMarkers++;
        continue;
      }
      const record = sampleRecord(prepared, value, (timestampsMs[i] as number) * 1000, stale);
      if (record === undefined) rejected.nanSamples++;
      else {
        push(out.rows, record);
        out.accepted.samples++;
      }
    }

    for (const wire of series.histograms) {
      if (addHistogram(out, name, labels, wire, options.nativeHistogramMaxBuckets))
        out.accepted.histograms++;
      else rejected.invalidHistograms++;
    }
  }
  return out;
}

/** Adds one native histogram sample (native row + classic rows); false when malformed. */
function addHistogram(
  out: DecodedRemoteWrite,
  name: string,
  labels: Readonly<Record<string, string>>,
  wire: prometheus.Histogram,
  maxBuckets: number,
): boolean {
  let histogram;
  try {
    histogram = storedNativeHistogram(wire);
  } catch (error) {
    if (isAppError(error)) return false;
    throw error;
  }
  const timestampUs = Number(wire.timestamp) * 1000;
  const native = metricRecord({
    name,
    labels,
    value: histogram.count,
    timestampUs,
    extra: { [NATIVE_HISTOGRAM_COLUMN]: nativeHistogramToJson(histogram) },
  });
  if (native !== undefined) push(out.histogramRows, native);

  const classic = (suffix: string, value: number, extra?: Record<string, string>): void => {
    const record = metricRecord({
      name: name + suffix,
      labels: extra === undefined ? labels : { ...labels, ...extra },
      value,
      timestampUs,
    });
    if (record === undefined) out.rejected.nanSamples++;
    else push(out.rows, record);
  };
  classic('_count', histogram.count);
  classic('_sum', histogram.sum);
  for (const bucket of classicBuckets(histogram, maxBuckets))
    classic('_bucket', bucket.value, { le: bucket.le });
  return true;
}
