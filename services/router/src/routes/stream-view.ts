import type { HotStreamStats } from '@o2/domain';
import type { FileListRepository, SchemaField, StreamRecord, StreamRef } from '@o2/metastore';
import { PROM_METADATA_KEY } from '@o2/metrics';
import { showSettings } from './stream-settings.js';

const MB = 1024 * 1024;

/** O2's stream `stats` object: times in µs, sizes in MB (floats). */
export interface StreamStats {
  created_at: number;
  doc_time_min: number;
  doc_time_max: number;
  doc_num: number;
  file_num: number;
  storage_size: number;
  compressed_size: number;
  index_size: number;
}

/** A stream as the streams API lists it, before its schema is attached. */
export interface StreamSummary {
  ref: StreamRef;
  record: StreamRecord | undefined;
  stats: StreamStats;
}

/**
 * Stats of one stream: what storage holds (file_list) plus what the ingester still holds
 * (memtables, local files not uploaded yet), so records count as soon as they are ingested.
 */
export async function streamStats(
  fileList: FileListRepository,
  ref: StreamRef,
  record: StreamRecord | undefined,
  hot: HotStreamStats | undefined,
  nowMs: number,
): Promise<StreamStats> {
  const stored = await fileList.stats(ref);
  const times: number[] = [];
  if (stored.fileNum > 0) times.push(stored.minTs, stored.maxTs);
  if (hot !== undefined && hot.records > 0) times.push(hot.minTs, hot.maxTs);
  return {
    created_at: (record?.createdAt ?? nowMs) * 1000,
    doc_time_min: times.length > 0 ? Math.min(...times) : 0,
    doc_time_max: times.length > 0 ? Math.max(...times) : 0,
    doc_num: stored.records + (hot?.records ?? 0),
    file_num: stored.fileNum,
    storage_size: (stored.originalSize + (hot?.bytes ?? 0)) / MB,
    compressed_size: stored.compressedSize / MB,
    index_size: stored.indexSize / MB,
  };
}

/** O2's `Stream` JSON. `fields` undefined means the schema was not asked for (empty list). */
export function streamJson(
  summary: StreamSummary,
  storageType: 'disk' | 's3',
  allFields: readonly SchemaField[],
  shownFields: readonly SchemaField[] | undefined,
): Record<string, unknown> {
  return {
    name: summary.ref.name,
    storage_type: storageType,
    stream_type: summary.ref.type,
    stats: summary.stats,
    schema: (shownFields ?? []).map((f) => ({ name: f.name, type: f.type })),
    settings: showSettings(summary.record?.settings),
    total_fields: allFields.length,
    ...metricsMeta(summary.record),
  };
}

/** O2's `metrics_meta` of a metric stream: its stored `prom_metadata`, when it has one. */
function metricsMeta(record: StreamRecord | undefined): { metrics_meta?: unknown } {
  const text = record?.metadata[PROM_METADATA_KEY];
  if (text === undefined) return {};
  try {
    return { metrics_meta: JSON.parse(text) as unknown };
  } catch {
    return {};
  }
}
