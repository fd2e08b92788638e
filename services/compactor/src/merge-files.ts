import {
  FILE_ADDED_TOPIC,
  parseFileKey,
  publishEvent,
  storedFileKey,
  tokenIndexKey,
  traceIdIndexKey,
} from '@o2/domain';
import type { EventBus, StreamRef } from '@o2/domain';
import { isAppError } from '@o2/errors';
import type { Logger } from '@o2/logger';
import type { FileEntry, MetaStore, StoredFileEntry } from '@o2/metastore';
import { clustersRows, mergeParquetFiles } from '@o2/parquet';
import type { EncodedParquet, FileIdGenerator } from '@o2/parquet';
import type { ObjectStore } from '@o2/storage';
import type { FileIndexPool } from '@o2/token-index';

export interface MergeDeps {
  metaStore: MetaStore;
  objectStore: ObjectStore;
  /** Where queriers hear of the merged file (to warm their caches). */
  events: EventBus;
  logger: Logger;
  /** ZO_COMPACT_MAX_FILE_SIZE in bytes: no merge produces a file above it. */
  maxFileBytes: number;
  /**
   * Bytes of rows (the files' `originalSize`) one merge may decode (`compactionDecodedBytes`,
   * from ZO_MEM_TABLE_BUDGET); 0 or absent: no bound beyond `maxFileBytes`.
   */
  maxDecodedBytes?: number;
  /** ZO_ENABLE_INVERTED_INDEX: whether merged files get a token index. */
  invertedIndex: boolean;
  /**
   * Builds a merged file's side indexes (token index, trace-id set) off this thread, as the
   * ingester's upload does for its files, so queriers prune a merged file as they pruned its
   * inputs.
   */
  buildIndexes: FileIndexPool['build'];
  ids: FileIdGenerator;
  /**
   * Merges a group's files into one (default: `mergeParquetFiles` on this thread). The compactor
   * passes its pool's `merge`, so the seconds of decoding, copying and sorting a big group takes
   * happen in a worker rather than stall queries sharing this event loop. The files are handed
   * over: their memory may move to the worker.
   */
  merge?: (files: Uint8Array[], cluster: boolean) => Promise<EncodedParquet>;
  /** True once the compactor is stopping: no further group is started. */
  stopping?: () => boolean;
  now: () => number;
}

export interface MergeRun {
  /** Merged files written and registered. */
  merged: number;
  /** Input files they replaced (marked deleted; purged after the delay). */
  replaced: number;
  /** Small files left for a later pass (their merge failed or lost a race). */
  backlog: number;
}

/** file_list `date` of the hour `ms` falls in (`YYYY/MM/DD/HH`, UTC). */
export function hourPartition(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(11, 13)}`;
}

/** The partition a file lies in: its hour plus its partition-key directories. */
function partitionOf(file: StoredFileEntry): string {
  return `${file.date}/${file.file.slice(0, file.file.lastIndexOf('/') + 1)}`;
}

/**
 * Groups of a partition's small files to merge, each no larger than `maxBytes` in total and, with
 * `maxDecodedBytes`, decoding to no more than that (the files' `originalSize`): files are taken
 * smallest first, so a big merged file takes in late arrivals only while it fits. A file already
 * at either limit is not small. A group of one is nothing to merge and is left out.
 * The decoded bound is what keeps a merge's memory bounded: the merge holds its rows decoded
 * several times over, and k8s logs compress ~50×, so `ZO_COMPACT_MAX_FILE_SIZE` (512 MB of
 * Parquet) alone let one merge decode an hour of any size (a 400 k-record hour, 620 MB of
 * `_bulk`, merged as one file, and re-merged whole with every new upload while it was written).
 */
export function planMerges(
  files: readonly StoredFileEntry[],
  maxBytes: number,
  maxDecodedBytes = 0,
): StoredFileEntry[][] {
  const bounded = maxDecodedBytes > 0;
  const groups: StoredFileEntry[][] = [];
  const small = files
    .filter((f) => f.compressedSize < maxBytes && (!bounded || f.originalSize < maxDecodedBytes))
    .sort((a, b) => a.compressedSize - b.compressedSize || a.id - b.id);
  let current: StoredFileEntry[] = [];
  let size = 0;
  let decoded = 0;
  for (const file of small) {
    const full =
      size + file.compressedSize > maxBytes ||
      (bounded && decoded + file.originalSize > maxDecodedBytes);
    if (current.length > 0 && full) {
      groups.push(current);
      current = [];
      size = 0;
      decoded = 0;
    }
    current.push(file);
    size += file.compressedSize;
    decoded += file.originalSize;
  }
  groups.push(current);
  return groups.filter((g) => g.length > 1);
}

/**
 * Merges the small files of one stream, partition by partition (late data included: a file that
 * arrived for an old hour joins that hour's merge). The hour being written now is left to fill
 * and merged once it is over, so a busy partition is not rewritten every pass.
 *
 * One merge, in an order that never retires a file before its replacement is visible:
 * 1. the inputs are read and merged (union schema, sorted `_timestamp` desc);
 * 2. the token index (and for traces the trace-id index), then the data object, are put under
 *    a new id in the inputs' partition (O2's key layout);
 * 3. one file_list transaction registers it and marks the inputs deleted — a reader lists
 *    either the inputs or the merged file, never both or neither;
 * 4. the inputs' objects stay until ZO_COMPACT_DELETE_FILES_DELAY_MINUTES have passed (the
 *    delayed purge), so a query that listed them just before the commit still reads them.
 * Before step 2 the merged key is queued for the delayed purge without a file_list row, and the
 * commit takes it off again: a compactor killed in between leaves objects the purge removes.
 * When the commit is refused (an input was deleted meanwhile, or the stream is being deleted),
 * the new objects are removed and the inputs stay as they were.
 */
export async function mergeStream(deps: MergeDeps, ref: StreamRef): Promise<MergeRun> {
  const run: MergeRun = { merged: 0, replaced: 0, backlog: 0 };
  const current = hourPartition(deps.now());
  const partitions = new Map<string, StoredFileEntry[]>();
  for (const file of await deps.metaStore.fileList.query(ref)) {
    if (file.date >= current) continue;
    const key = partitionOf(file);
    partitions.set(key, [...(partitions.get(key) ?? []), file]);
  }
  if (partitions.size === 0) return run;
  const stream = await deps.metaStore.streams.get(ref);
  for (const files of partitions.values()) {
    for (const group of planMerges(files, deps.maxFileBytes, deps.maxDecodedBytes)) {
      if (deps.stopping?.() === true) {
        run.backlog += group.length;
        continue;
      }
      try {
        if (await mergeGroup(deps, ref, group, stream?.settings ?? {})) {
          run.merged += 1;
          run.replaced += group.length;
        } else run.backlog += group.length;
      } catch (err) {
        run.backlog += group.length;
        // A merge abandoned by a shutdown is not a failure worth an error.
        deps.logger[deps.stopping?.() === true ? 'info' : 'error'](
          { org: ref.org, type: ref.type, stream: ref.name, files: group.length, err },
          'merge failed; the files stay as they are until the next pass',
        );
      }
    }
  }
  return run;
}

async function mergeGroup(
  deps: MergeDeps,
  ref: StreamRef,
  group: readonly StoredFileEntry[],
  settings: Record<string, unknown>,
): Promise<boolean> {
  const { objectStore } = deps;
  const first = group[0] as StoredFileEntry;
  const inputs = await Promise.all(group.map((f) => objectStore.getBytes(storedFileKey(f))));
  const cluster = clustersRows(ref.type);
  const encoded = await (deps.merge === undefined
    ? mergeParquetFiles(inputs, [], { cluster })
    : deps.merge(inputs, cluster));
  const dirs = first.file.slice(0, first.file.lastIndexOf('/') + 1);
  const entry: FileEntry = {
    org: ref.org,
    type: ref.type,
    stream: ref.name,
    date: first.date,
    file: `${dirs}${deps.ids.next()}.parquet`,
    minTs: encoded.minTs,
    maxTs: encoded.maxTs,
    records: encoded.records,
    originalSize: group.reduce((sum, f) => sum + f.originalSize, 0),
    compressedSize: encoded.bytes.byteLength,
    indexSize: 0,
    flattened: false,
  };
  const key = storedFileKey(entry);
  parseFileKey(key); // the merged file keeps O2's layout, or nothing is written
  const indexes = await deps.buildIndexes(encoded.bytes, {
    type: ref.type,
    settings,
    invertedIndex: deps.invertedIndex,
  });
  // The intent first: queued for the delayed purge with no file_list row, so if this process
  // dies before the commit the objects below are removed instead of left orphaned; the commit
  // takes the key off the queue.
  await deps.metaStore.fileList.markDeleted(ref, [{ date: entry.date, file: entry.file }]);
  const written: string[] = [];
  const put = async (objectKey: string, body: Uint8Array) => {
    written.push(objectKey);
    await objectStore.put(objectKey, body);
  };
  if (indexes.tokens !== undefined) await put(tokenIndexKey(key), indexes.tokens);
  if (indexes.traceIds !== undefined) await put(traceIdIndexKey(key), indexes.traceIds);
  await put(key, encoded.bytes);
  const final: FileEntry = { ...entry, indexSize: indexes.tokens?.byteLength ?? 0 };
  try {
    await deps.metaStore.fileList.replace(
      ref,
      [final],
      group.map((f) => ({ date: f.date, file: f.file })),
    );
  } catch (err) {
    await objectStore.deleteMany(written).catch(() => undefined);
    if (isAppError(err) && err.code === 'CONFLICT') {
      deps.logger.info(
        { org: ref.org, type: ref.type, stream: ref.name, reason: err.message },
        'merge not committed; inputs unchanged',
      );
      return false;
    }
    throw err;
  }
  deps.logger.info(
    {
      org: ref.org,
      type: ref.type,
      stream: ref.name,
      date: entry.date,
      inputs: group.length,
      records: final.records,
      bytes: final.compressedSize,
    },
    'merged small files',
  );
  await publishEvent(deps.events, FILE_ADDED_TOPIC, { key, ...final }).catch((err: unknown) =>
    deps.logger.warn({ key, err }, 'file.added not published; queriers fetch on first read'),
  );
  return true;
}
