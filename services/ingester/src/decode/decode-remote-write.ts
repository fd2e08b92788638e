import type { PromMetadata } from '@o2/metrics';
import { NATIVE_HISTOGRAM_COLUMN, SERIES_HASH_COLUMN, seriesHash } from '@o2/metrics';
import { METRIC_NAME_COLUMN } from '@o2/metrics';
import { decodeRemoteWrite, decodeWriteRequest, seriesLabels } from '@o2/prom-remote-write';
import type { WireWriteRequest } from '@o2/prom-remote-write';
import { formatKey } from '@o2/schema';
import type { FlatRecord } from '@o2/schema';
import type { RawDocument } from './decode-body.js';

/** What remote write decoding needs from the settings. */
export interface RemoteWriteSettings {
  /** ZO_PAYLOAD_LIMIT: the largest body once snappy is undone. */
  maxDecompressedBytes: number;
  /** ZO_PROMETHEUS_NATIVE_HISTOGRAM_MAX_BUCKETS. */
  nativeHistogramMaxBuckets: number;
  /** HA dedup labels when ZO_METRICS_DEDUP_ENABLED (formatted like every column name). */
  ha?: { clusterLabel: string; replicaLabel: string };
}

/** The live HA election, asked once per (cluster, replica) per request; absent on WAL replay. */
export type HaAdmit = (org: string, cluster: string, replica: string) => boolean;

/** What a first ingest (not a replay) brings: the election's verdicts and the body already read. */
export interface LiveRemoteWrite {
  admit?: HaAdmit;
  /** The body's `WriteRequest`, when the write path read it to find the HA groups first. */
  wire?: WireWriteRequest;
}

/**
 * The distinct (cluster, replica) pairs of a request's named series, with the values the rows
 * will carry: label names formatted and the last of two colliding names winning, as
 * `prepareSeries` builds the row. The write path elects these (asynchronously, possibly
 * asking the metastore) before the synchronous decode asks `HaAdmit`.
 */
export function haPairsOf(
  wire: WireWriteRequest,
  ha: { clusterLabel: string; replicaLabel: string },
): Array<[string, string]> {
  const pairs = new Map<string, [string, string]>();
  for (const series of wire.timeseries) {
    const { name, labels } = seriesLabels(series.labels);
    if (name === '') continue;
    let cluster: string | undefined;
    let replica: string | undefined;
    for (const [label, value] of Object.entries(labels)) {
      if (label === METRIC_NAME_COLUMN) continue;
      const column = formatKey(label);
      if (column === ha.clusterLabel) cluster = value;
      if (column === ha.replicaLabel) replica = value;
    }
    if (cluster !== undefined && replica !== undefined)
      pairs.set(`${cluster}\u0000${replica}`, [cluster, replica]);
  }
  return [...pairs.values()];
}

export const HA_NON_LEADER = 'dropped: not the HA leader replica of its cluster';

/** A row's labels (every string column but the native histogram JSON), for its series hash. */
function labelsOf(row: FlatRecord): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [name, value] of Object.entries(row))
    if (typeof value === 'string' && name !== NATIVE_HISTOGRAM_COLUMN) labels[name] = value;
  return labels;
}

/**
 * A remote-write body as the pipeline's documents, one per stored row, in a fixed order (the
 * WAL replays by document index). HA dedup is applied here rather than inside the decoder so
 * a replay stays deterministic: every row of a series carrying both HA labels loses the
 * replica label (always, so the series never changes with the leader), and a row from a
 * non-leader replica becomes a failed document — the WAL records it as skipped, so a replay,
 * which has no election to ask, drops the same rows.
 */
export function remoteWriteDocuments(
  body: Uint8Array,
  org: string,
  settings: RemoteWriteSettings,
  live: LiveRemoteWrite | undefined,
): { docs: RawDocument[]; metadata: Map<string, PromMetadata> } {
  const options = {
    org,
    maxDecompressedBytes: settings.maxDecompressedBytes,
    nativeHistogramMaxBuckets: settings.nativeHistogramMaxBuckets,
  };
  const decoded =
    live?.wire === undefined
      ? decodeRemoteWrite(body, options)
      : decodeWriteRequest(live.wire, options);
  const admit = live?.admit;
  const verdicts = new Map<string, boolean>();
  const docs: RawDocument[] = [];
  for (const rowsByStream of [decoded.rows, decoded.histogramRows]) {
    for (const [stream, rows] of rowsByStream) {
      for (const row of rows) {
        const doc: RawDocument = { value: row, stream, flat: true };
        const { ha } = settings;
        const cluster = ha === undefined ? undefined : row[ha.clusterLabel];
        const replica = ha === undefined ? undefined : row[ha.replicaLabel];
        if (ha !== undefined && typeof cluster === 'string' && typeof replica === 'string') {
          const key = `${cluster}\u0000${replica}`;
          let admitted = verdicts.get(key);
          if (admitted === undefined) {
            admitted = admit === undefined ? true : admit(org, cluster, replica);
            verdicts.set(key, admitted);
          }
          delete row[ha.replicaLabel];
          row[SERIES_HASH_COLUMN] = seriesHash(labelsOf(row));
          if (!admitted) doc.error = HA_NON_LEADER;
        }
        docs.push(doc);
      }
    }
  }
  return { docs, metadata: decoded.metadata };
}
