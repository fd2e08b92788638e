import type { Utf8Column } from './utf8-column.js';

/**
 * Rows per row group (`ZO_PARQUET_MAX_ROW_GROUP_SIZE` when 0). Smaller than O2's 131072: the
 * token index names the row groups a rare term can be in, and DuckDB prunes by row group, so a
 * group is the least a `match_all` reads per hit; `_timestamp` statistics prune finer too.
 * 1M k8s rows in 8 files: 131072 → 16384 is +25 % Parquet bytes (7.7 → 9.7 MB), rare term count
 * 152 → 16 ms (1 hit) and 616 → 253 ms (10 hits), newest 100 of the last 10 s 27 → 17 ms; full
 * scans unchanged within noise.
 */
export const DEFAULT_ROW_GROUP_SIZE = 16 * 1024;

/**
 * Whether files of a stream type are written with rows clustered: logs, where shippers add a
 * source's fields to every line (measured: -26 % bytes, no query slower). Metrics and traces keep
 * `_timestamp` desc within groups: PromQL's per-series reads were not faster clustered
 * (`pnpm bench:metrics`, query p50 ÷ Prometheus 1.94-2.47 clustered vs 1.99-2.01).
 */
export function clustersRows(streamType: string): boolean {
  return streamType === 'logs';
}

/** Rows sampled (evenly spaced) to pick the key column. */
const SAMPLE_ROWS = 2048;
/** A key column holds at most one distinct value per this many sampled rows. */
const ROWS_PER_KEY_VALUE = 16;
/** Tables smaller than this are written in time order alone. */
const MIN_ROWS = 64;

/**
 * The order a Parquet file's rows are written in. Row groups stay time slices, newest first, so
 * `_timestamp` statistics prune groups as before; within a group the rows are clustered by the
 * group's finest low-cardinality text column (a log's pod or container), newest
 * first within each cluster. Rows of one source then sit together, and every column that follows
 * from that source (k8s: pod id, docker id, labels, image, host: ~25 of the fixture's 32 columns)
 * becomes a few dictionary runs instead of a dictionary index per row, and its log lines compress
 * against each other. k8s fixture, one 146 k-row file: 3.77 → 2.79 MB (-26 %), `_timestamp` up
 * from 336 to 445 KB (deltas within a cluster are wider). Answers are unchanged: nothing reads a
 * file's rows in stored order without `ORDER BY` (token-index blocks and row ranges are positions
 * in the file as written).
 *
 * `order` is the time-desc order of the builder's rows (row numbers); it is reordered in place
 * within each run of `groupRows` entries, and the answer says whether it was (false: no column
 * qualifies as a key). The key's hash only groups rows, so a collision merely interleaves two
 * sources.
 */
export function clusterWithinGroups(
  order: Uint32Array,
  candidates: readonly Utf8Column[],
  groupRows: number,
): boolean {
  const rows = order.length;
  if (rows < MIN_ROWS || groupRows < 2) return false;
  const key = keyColumn(order, candidates);
  if (key === undefined) return false;
  // key * groupRows + position sorts natively by key, then by position (time desc); the hash is
  // cut to the bits left beside the position so the product stays an exact float.
  const positionBits = Math.ceil(Math.log2(groupRows + 1));
  const keyModulus = 2 ** Math.min(32, 52 - positionBits);
  const keys = new Float64Array(Math.min(groupRows, rows));
  for (let start = 0; start < rows; start += groupRows) {
    const size = Math.min(groupRows, rows - start);
    const chunk = size === keys.length ? keys : keys.subarray(0, size);
    for (let i = 0; i < size; i++) {
      chunk[i] = (key.valueHash(order[start + i]!) % keyModulus) * groupRows + i;
    }
    chunk.sort();
    const rowsBefore = order.slice(start, start + size);
    for (let i = 0; i < size; i++) order[start + i] = rowsBefore[chunk[i]! % groupRows]!;
  }
  return true;
}

/**
 * The candidate with the most distinct values among those with at most one per
 * ROWS_PER_KEY_VALUE sampled rows (and at least two), or none.
 */
function keyColumn(order: Uint32Array, candidates: readonly Utf8Column[]): Utf8Column | undefined {
  const sample = Math.min(SAMPLE_ROWS, order.length);
  const step = order.length / sample;
  const limit = Math.max(2, Math.floor(sample / ROWS_PER_KEY_VALUE));
  let best: Utf8Column | undefined;
  let bestDistinct = 1;
  for (const column of candidates) {
    const seen = new Set<number>();
    for (let i = 0; i < sample && seen.size <= limit; i++) {
      seen.add(column.valueHash(order[Math.floor(i * step)]!));
    }
    if (seen.size <= limit && seen.size > bestDistinct) {
      best = column;
      bestDistinct = seen.size;
    }
  }
  return best;
}
