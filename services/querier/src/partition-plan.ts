import { randomUUID } from 'node:crypto';
import type { SearchQuery, SearchResponseBody } from '@o2/domain';

/** Records one partition should cover; the UI runs one `_search` per partition. */
const RECORDS_PER_PARTITION = 1_000_000;
const MIN_PARTITION_MICROS = 60 * 1_000_000;

export interface RangeStats {
  files: number;
  records: number;
  originalSize: number;
  compressedSize: number;
}

/**
 * O2's `_search_partition` answer: the range split, newest first, into slices of roughly a
 * million stored records each (at least a minute long), so the UI can show the newest rows
 * while older slices are still being searched.
 */
export function partitionPlan(
  query: SearchQuery,
  stats: RangeStats,
  maxQueryRange = 0,
): SearchResponseBody {
  const span = query.endTime - query.startTime;
  const wanted = Math.max(1, Math.ceil(stats.records / RECORDS_PER_PARTITION));
  const count = Math.max(1, Math.min(wanted, Math.floor(span / MIN_PARTITION_MICROS)));
  const step = Math.ceil(span / count);
  const partitions: Array<[number, number]> = [];
  for (let end = query.endTime; end > query.startTime; end -= step) {
    partitions.push([Math.max(query.startTime, end - step), end]);
  }
  return {
    trace_id: randomUUID().replaceAll('-', ''),
    file_num: stats.files,
    records: stats.records,
    original_size: stats.originalSize,
    compressed_size: stats.compressedSize,
    // Hours, the smallest `settings.max_query_range` of the streams read (0: none).
    max_query_range: maxQueryRange,
    partitions,
    order_by: 'desc',
    limit: query.size ?? 0,
    streaming_output: false,
    streaming_aggs: false,
    streaming_id: null,
    is_histogram_eligible: true,
  };
}
