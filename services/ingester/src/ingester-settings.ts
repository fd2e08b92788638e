import type { Config } from '@o2/config';
import { decodedBatchBytes, memTableBudget } from '@o2/config';
import { formatKey } from '@o2/schema';
import type { PipelineSettings } from './ingest-pipeline.js';

export const MB = 1024 * 1024;

/** What the per-record pipeline needs from the settings. */
export function pipelineSettings(config: Config): PipelineSettings {
  return {
    allowedUptoHours: config.ZO_INGEST_ALLOWED_UPTO,
    allowedInFutureHours: config.ZO_INGEST_ALLOWED_IN_FUTURE,
    flattenLevel: config.ZO_INGEST_FLATTEN_LEVEL,
    colsPerRecordLimit: config.ZO_COLS_PER_RECORD_LIMIT,
    timestampColumn: config.ZO_COLUMN_TIMESTAMP,
    streamNameToLowercase: config.ZO_FORMAT_STREAM_NAME_TO_LOWERCASE,
    skipStreamNameFormat: config.ZO_SKIP_FORMAT_STREAM_NAME,
    blockedStreams: new Set(
      config.ZO_INGEST_BLOCKED_STREAMS.split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    ),
    remoteWrite: {
      maxDecompressedBytes: config.ZO_PAYLOAD_LIMIT,
      nativeHistogramMaxBuckets: config.ZO_PROMETHEUS_NATIVE_HISTOGRAM_MAX_BUCKETS,
      ...(config.ZO_METRICS_DEDUP_ENABLED
        ? {
            ha: {
              clusterLabel: formatKey(config.ZO_PROMETHEUS_HA_CLUSTER),
              replicaLabel: formatKey(config.ZO_PROMETHEUS_HA_REPLICA),
            },
          }
        : {}),
    },
  };
}

/** Byte and time limits with O2's derivations (0 → 25 % of RAM, push interval 0 → 60 s, …). */
export function ingesterLimits(config: Config): {
  memLimit: number;
  /** Memtable bytes past which a request waits for a persist (ZO_MEM_TABLE_BUDGET). */
  memBudget: number;
  /** Memtable bytes past which a persist starts before its interval is up. */
  memtableLimit: number;
  pushIntervalMs: number;
  maxUploadBytes: number;
  /** Arrow bytes a persist encodes as one file (a quarter of the budget, at least 8 MB). */
  sliceBytes: number;
  /** Arrow bytes one upload merge may decode (the same). */
  maxMergeBytes: number;
} {
  const { memLimit, memBudget } = memTableBudget(config);
  // An eighth lowered the peak further than a quarter (`decodedBatchBytes`) but made hot searches
  // slower (more small files until compaction). Equal limits keep an upload from merging a
  // persist's slices back into the big file slicing avoided.
  const encodeBytes = decodedBatchBytes(config);
  return {
    memLimit,
    memBudget,
    // Half the budget: the other half takes the rows that arrive while that persist runs.
    memtableLimit: Math.min(config.ZO_MAX_FILE_SIZE_IN_MEMORY * MB, Math.floor(memBudget / 2)),
    pushIntervalMs: (config.ZO_FILE_PUSH_INTERVAL === 0 ? 60 : config.ZO_FILE_PUSH_INTERVAL) * 1000,
    maxUploadBytes:
      (config.ZO_COMPACT_MAX_FILE_SIZE < 1 ? 512 : config.ZO_COMPACT_MAX_FILE_SIZE) * MB,
    sliceBytes: encodeBytes,
    maxMergeBytes: encodeBytes,
  };
}
